// Notices between the nodes of a cluster (docs/decisions/0004-cluster.md): after a commit a node
// tells the others which execution moved (its new revision and status, and the earliest row it
// scheduled for anyone to claim), or that the functions changed. Receivers drop stale cache entries,
// arm timers, wake synchronous Invokes and feed the console. Notices only make things fast: every
// decision is still a compare-and-set in the database, and polling catches whatever a notice missed.
//
// The transport is a NoticeChannel of text messages (PostgreSQL LISTEN/NOTIFY, or InProcessChannel).
// The bus coalesces the notices of one tick into as few messages as fit a channel's message size.
import type { ExecutionStatus } from "@dormouse/protocol";
import type { Logger } from "./ports.js";

export type ClusterNotice = ExecutionNotice | FunctionsNotice;

export interface ExecutionNotice {
  kind: "execution";
  /** The node that committed. */
  node: string;
  arn: string;
  rev: number;
  /** PURGED: the execution was deleted (retention). */
  status: ExecutionStatus | "PURGED";
  /**
   * Work due now that the committing node left to any node with room (ms): an invocation when its
   * own workers for the function are busy. (Work due later is fired by the node that scheduled it;
   * the others find it by polling if that node dies first.)
   */
  dueAt?: number;
}

/** Versions, aliases or functions changed: reload them from the store. */
export interface FunctionsNotice {
  kind: "functions";
  node: string;
}

export interface ChannelListener {
  message(text: string): void;
  /** Messages may have been lost (the channel reconnected): whatever they would have said, re-read. */
  reset(): void;
}

/** Text messages to every node listening on the same database (the sender included). */
export interface NoticeChannel {
  /** Largest message in bytes (PostgreSQL's NOTIFY payload limit is just under 8000). */
  readonly maxMessageBytes: number;
  /** Best effort: a message that cannot be sent is lost, and receivers fall back to polling. */
  send(messages: string[]): Promise<void>;
  listen(listener: ChannelListener): void;
  close(): Promise<void>;
}

export interface BusListener {
  notice(notice: ClusterNotice): void;
  reset(): void;
}

/** One message: `{"n": node, "e": [[arn, rev, status, dueAt|null], …], "f": 1 when functions changed}`. */
interface Message {
  n: string;
  e?: [string, number, string, number | null][];
  f?: 1;
}

export class ClusterBus {
  private readonly listeners = new Set<BusListener>();
  private executions = new Map<string, ExecutionNotice>();
  private functionsChanged = false;
  private scheduled: NodeJS.Immediate | undefined;
  private closed = false;

  constructor(
    private readonly channel: NoticeChannel,
    readonly nodeId: string,
    private readonly log: Logger,
  ) {
    channel.listen({
      message: (text) => this.receive(text),
      reset: () => {
        for (const l of [...this.listeners]) l.reset();
      },
    });
  }

  /** Queues a notice; the notices of one tick go out together (the newest revision per execution). */
  publish(notice: ClusterNotice): void {
    if (this.closed) return;
    if (notice.kind === "functions") this.functionsChanged = true;
    else {
      const prev = this.executions.get(notice.arn);
      const merged: ExecutionNotice = !prev || notice.rev >= prev.rev ? { ...notice } : { ...prev };
      const dueAt = Math.min(prev?.dueAt ?? Infinity, notice.dueAt ?? Infinity);
      if (dueAt !== Infinity) merged.dueAt = dueAt;
      this.executions.set(notice.arn, merged);
    }
    this.scheduled ??= setImmediate(() => this.flush());
  }

  /** Notices from the other nodes (a node's own are not delivered back to it). */
  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Sends what is queued, then closes the channel. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.scheduled) clearImmediate(this.scheduled);
    await this.flush();
    this.closed = true;
    this.listeners.clear();
    await this.channel.close();
  }

  private flush(): Promise<void> {
    this.scheduled = undefined;
    const executions = [...this.executions.values()];
    const functions = this.functionsChanged;
    this.executions = new Map();
    this.functionsChanged = false;
    const messages = encode(this.nodeId, executions, functions, this.channel.maxMessageBytes);
    if (messages.length === 0) return Promise.resolve();
    return this.channel
      .send(messages)
      .catch((err: unknown) => this.log.warn({ err }, "cluster notices not sent; other nodes will poll"));
  }

  private receive(text: string): void {
    const notices = decode(text);
    if (!notices) {
      this.log.warn({ message: text.slice(0, 200) }, "ignored a malformed cluster notice");
      return;
    }
    for (const notice of notices) {
      if (notice.node === this.nodeId) continue;
      for (const l of [...this.listeners]) {
        try {
          l.notice(notice);
        } catch (err) {
          this.log.error({ err }, "cluster notice listener failed");
        }
      }
    }
  }
}

/** Packs notices into messages of at most `maxBytes` UTF-8 bytes each. */
export function encode(
  node: string,
  executions: ExecutionNotice[],
  functions: boolean,
  maxBytes: number,
): string[] {
  const head = JSON.stringify(node);
  const messages: string[] = [];
  let items: string[] = [];
  let size = 0;
  const base = Buffer.byteLength(`{"n":${head},"e":[]${functions ? ',"f":1' : ""}}`);
  const emit = (withFunctions: boolean) => {
    messages.push(`{"n":${head},"e":[${items.join(",")}]${withFunctions ? ',"f":1' : ""}}`);
    items = [];
    size = 0;
  };
  for (const n of executions) {
    const item = JSON.stringify([n.arn, n.rev, n.status, n.dueAt ?? null]);
    const bytes = Buffer.byteLength(item) + 1;
    if (base + bytes > maxBytes) continue; // an ARN is at most a few hundred bytes; never happens
    if (base + size + bytes > maxBytes) emit(false);
    items.push(item);
    size += bytes;
  }
  if (items.length > 0 || functions) emit(functions);
  return messages;
}

export function decode(text: string): ClusterNotice[] | undefined {
  let m: Message;
  try {
    m = JSON.parse(text) as Message;
  } catch {
    return undefined;
  }
  if (typeof m !== "object" || m === null || typeof m.n !== "string") return undefined;
  const out: ClusterNotice[] = [];
  for (const item of Array.isArray(m.e) ? m.e : []) {
    if (!Array.isArray(item)) return undefined;
    const [arn, rev, status, dueAt] = item;
    if (typeof arn !== "string" || typeof rev !== "number" || typeof status !== "string") return undefined;
    const notice: ExecutionNotice = {
      kind: "execution",
      node: m.n,
      arn,
      rev,
      status: status as ExecutionNotice["status"],
    };
    if (typeof dueAt === "number") notice.dueAt = dueAt;
    out.push(notice);
  }
  if (m.f === 1) out.push({ kind: "functions", node: m.n });
  return out;
}

/**
 * Channels between buses in one process (tests of several nodes in one process; a single node needs
 * no channel at all). Messages are delivered asynchronously, to every channel of the hub.
 */
export class InProcessHub {
  private readonly channels = new Set<InProcessChannel>();

  channel(maxMessageBytes = 7900): InProcessChannel {
    const channel = new InProcessChannel(this, maxMessageBytes);
    this.channels.add(channel);
    return channel;
  }

  deliver(messages: string[]): void {
    for (const channel of [...this.channels]) channel.receive(messages);
  }

  remove(channel: InProcessChannel): void {
    this.channels.delete(channel);
  }

  /** Every channel's listener hears `reset` (as after a reconnect). */
  reset(): void {
    for (const channel of [...this.channels]) channel.listener?.reset();
  }
}

export class InProcessChannel implements NoticeChannel {
  listener: ChannelListener | undefined;

  constructor(
    private readonly hub: InProcessHub,
    readonly maxMessageBytes: number,
  ) {}

  async send(messages: string[]): Promise<void> {
    this.hub.deliver(messages);
  }

  listen(listener: ChannelListener): void {
    this.listener = listener;
  }

  receive(messages: string[]): void {
    setImmediate(() => {
      for (const text of messages) this.listener?.message(text);
    });
  }

  async close(): Promise<void> {
    this.hub.remove(this);
    this.listener = undefined;
  }
}
