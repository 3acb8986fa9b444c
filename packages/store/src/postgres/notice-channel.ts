// Notices between the nodes sharing a database (docs/decisions/0004-cluster.md), over LISTEN/NOTIFY
// on one connection of their own, outside the pool. The scheduler's ClusterBus speaks through it
// (this is its NoticeChannel: text messages to every node, the sender included). A lost connection
// is re-established with backoff; after each reconnect the listener hears `reset`, since
// notifications sent meanwhile are gone, and re-reads what they would have told it.
import { createHash } from "node:crypto";
import pg from "pg";
import { DatabaseConnectionError } from "./errors.js";
import { StoreUnavailableError } from "../errors.js";
import { describeDatabase, type PostgresStoreOptions } from "./connection.js";

export interface NoticeListener {
  message(text: string): void;
  reset(): void;
}

/** NOTIFY payloads must be shorter than 8000 bytes. */
const MAX_MESSAGE_BYTES = 7900;
const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 5_000;

export class PostgresNoticeChannel {
  readonly maxMessageBytes = MAX_MESSAGE_BYTES;
  private client: pg.Client | undefined;
  private listener: NoticeListener | undefined;
  private reconnectMs = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Sends go one after another on the one connection. */
  private sending: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: PostgresStoreOptions,
    /** The LISTEN channel: per schema, so deployments in other schemas of one database stay apart. */
    private channel: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Connects and listens; fails (DatabaseConnectionError) when the database cannot be reached. */
  static async open(
    options: PostgresStoreOptions,
    onError: (error: unknown) => void = () => undefined,
  ): Promise<PostgresNoticeChannel> {
    const channel = new PostgresNoticeChannel(options, "", onError);
    try {
      await channel.connect();
    } catch (error) {
      throw new DatabaseConnectionError(describeDatabase(options.url), error);
    }
    return channel;
  }

  listen(listener: NoticeListener): void {
    this.listener = listener;
  }

  send(messages: string[]): Promise<void> {
    const sent = this.sending.then(async () => {
      const client = this.client;
      if (!client) throw new StoreUnavailableError(describeDatabase(this.options.url), "reconnecting");
      await client.query("SELECT pg_notify($1, m) FROM unnest($2::text[]) AS m", [this.channel, messages]);
    });
    this.sending = sent.catch(() => undefined);
    return sent;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.url,
      connectionTimeoutMillis: this.options.connectTimeoutMs ?? 10_000,
      keepAlive: true,
      application_name: "dormouse-notices",
      ...(this.options.schema !== undefined && { options: `-c search_path=${this.options.schema}` }),
    });
    let lost = false;
    const onLost = (error?: unknown) => {
      if (lost) return;
      lost = true;
      if (error) this.onError(error);
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on("error", onLost);
    client.on("end", () => onLost());
    client.on("notification", (n) => {
      if (n.channel === this.channel && n.payload !== undefined) this.listener?.message(n.payload);
    });
    try {
      await client.connect();
      if (this.channel === "") {
        const schema =
          this.options.schema ??
          (await client.query<{ s: string }>("SELECT current_schema() AS s")).rows[0]?.s ??
          "public";
        this.channel = channelName(schema);
      }
      await client.query(`LISTEN ${pg.escapeIdentifier(this.channel)}`);
    } catch (error) {
      lost = true; // not yet listening: the caller decides what to do
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectMs = Math.min(
      RECONNECT_MAX_MS,
      this.reconnectMs === 0 ? RECONNECT_FIRST_MS : this.reconnectMs * 2,
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect().then(
        () => {
          this.reconnectMs = 0;
          if (!this.closed) this.listener?.reset();
        },
        (error: unknown) => {
          this.onError(error);
          this.scheduleReconnect();
        },
      );
    }, this.reconnectMs);
    this.reconnectTimer.unref?.();
  }
}

/** A channel name is an identifier (at most 63 bytes): a long schema name is hashed. */
export function channelName(schema: string): string {
  const name = `dormouse:${schema}`;
  return Buffer.byteLength(name) <= 63
    ? name
    : `dormouse:${createHash("sha256").update(schema).digest("hex").slice(0, 40)}`;
}
