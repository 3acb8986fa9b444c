// Whether the Dormouse server answers, and the live stream of execution changes.
//
// State machine (the banner shows "offline"):
//   connecting --stream open / fetch ok--> online
//   any        --stream error / fetch network failure--> offline   (retry with backoff)
//   offline    --stream open / fetch ok--> online, and `epoch` increments so views refetch
import type { ConsoleExecutionSummary } from "@dormouse/protocol";
import { CONSOLE_API_PREFIX } from "@dormouse/protocol";

export type Reachability = "connecting" | "online" | "offline";

export interface ConnectionSnapshot {
  state: Reachability;
  /** Increments every time the server comes back after being unreachable. */
  epoch: number;
  /** When the server last answered (epoch ms), if ever. */
  lastContact?: number;
}

type ExecutionListener = (summary: ConsoleExecutionSummary) => void;

const MAX_BACKOFF_MS = 8000;

export class Connection {
  private snapshot: ConnectionSnapshot = { state: "connecting", epoch: 0 };
  private readonly listeners = new Set<() => void>();
  private readonly executionListeners = new Set<ExecutionListener>();
  private source: EventSource | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private backoffMs = 500;
  private stopped = true;

  constructor(private readonly streamUrl = `${CONSOLE_API_PREFIX}/stream`) {}

  getSnapshot = (): ConnectionSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Called with every execution that is created or changes, as long as the stream is open. */
  onExecution(listener: ExecutionListener): () => void {
    this.executionListeners.add(listener);
    return () => this.executionListeners.delete(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = undefined;
  }

  /** Reconnects now instead of waiting for the backoff (the banner's "Retry now"). */
  retryNow(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.source?.close();
    this.backoffMs = 500;
    this.open();
  }

  markOnline(): void {
    if (this.snapshot.state === "online") {
      // Nothing a view shows changes: no re-render for every successful request.
      this.snapshot.lastContact = Date.now();
      return;
    }
    const wasOffline = this.snapshot.state === "offline";
    this.backoffMs = 500;
    this.set({
      state: "online",
      epoch: wasOffline ? this.snapshot.epoch + 1 : this.snapshot.epoch,
      lastContact: Date.now(),
    });
    // A fetch got through while the stream was down: reconnect the stream right away.
    if (wasOffline && this.source === undefined && !this.stopped) this.retryNow();
  }

  markOffline(): void {
    if (this.snapshot.state !== "offline") this.set({ ...this.snapshot, state: "offline" });
  }

  private open(): void {
    const source = new EventSource(this.streamUrl);
    this.source = source;
    source.addEventListener("open", () => this.markOnline());
    source.addEventListener("execution", (e) => {
      const data = parseSummary((e as MessageEvent<string>).data);
      if (data) for (const listener of this.executionListeners) listener(data);
    });
    source.addEventListener("ping", () => {
      this.markOnline();
    });
    source.addEventListener("error", () => {
      // EventSource retries on its own only sometimes (not after an HTTP error from a proxy), so
      // every error closes it and we reconnect with our own backoff.
      source.close();
      if (this.source === source) this.source = undefined;
      this.markOffline();
      if (this.stopped) return;
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.open(), this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    });
  }

  private set(next: ConnectionSnapshot): void {
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }
}

function parseSummary(text: string): ConsoleExecutionSummary | undefined {
  try {
    const value = JSON.parse(text) as Partial<ConsoleExecutionSummary>;
    return typeof value.arn === "string" && typeof value.status === "string"
      ? (value as ConsoleExecutionSummary)
      : undefined;
  } catch {
    return undefined;
  }
}
