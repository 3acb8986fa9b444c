// Losing the database (docs/decisions/0004-cluster.md): a call that fails for want of a connection
// becomes a StoreUnavailableError, and the adapter stops trying for a while (backing off) so that
// API calls meanwhile are refused at once with that retryable error instead of each waiting for a
// connection attempt. The first call after the pause is the probe: it goes through, and its success
// ends the outage. Errors PostgreSQL answers (a constraint, a conflict) pass through unchanged.
import pg from "pg";
import { StoreUnavailableError } from "../errors.js";

const FIRST_PAUSE_MS = 100;
const MAX_PAUSE_MS = 5_000;

/** SQLSTATEs of a server that cannot serve this connection now. */
const UNAVAILABLE_STATES = new Set([
  "57P01", // admin_shutdown (pg_terminate_backend, a fast shutdown)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, in recovery)
  "53300", // too_many_connections
]);

const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** node-postgres's own messages for a connection that broke or never came. */
const DRIVER_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Query read timeout|Connection ended/i;

export function isConnectionError(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (error instanceof pg.DatabaseError) {
    const code = error.code ?? "";
    return code.startsWith("08") || UNAVAILABLE_STATES.has(code);
  }
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return (code !== undefined && SOCKET_CODES.has(code)) || DRIVER_MESSAGES.test(error.message);
}

export class ConnectionHealth {
  private pausedUntil = 0;
  private pauseMs = 0;
  private lastError: unknown;

  constructor(
    private readonly location: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** False while the database is known to be unreachable. */
  get available(): boolean {
    return this.pauseMs === 0;
  }

  /** Runs a call, turning a lost connection into StoreUnavailableError (and refusing during a pause). */
  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.pauseMs > 0 && this.clock() < this.pausedUntil) {
      throw new StoreUnavailableError(this.location, this.lastError);
    }
    try {
      const result = await call();
      this.pauseMs = 0;
      return result;
    } catch (error) {
      throw this.failed(error);
    }
  }

  /** Records a failure; returns what to throw (a StoreUnavailableError when the connection is the cause). */
  failed(error: unknown): unknown {
    if (!isConnectionError(error)) return error;
    this.lastError = error instanceof StoreUnavailableError ? error.cause : error;
    // Calls that were under way together fail together: one failed attempt, one step of backoff.
    const now = this.clock();
    if (this.pauseMs === 0 || now >= this.pausedUntil) {
      this.pauseMs = Math.min(MAX_PAUSE_MS, this.pauseMs === 0 ? FIRST_PAUSE_MS : this.pauseMs * 2);
      this.pausedUntil = now + this.pauseMs;
    }
    return error instanceof StoreUnavailableError ? error : new StoreUnavailableError(this.location, error);
  }
}
