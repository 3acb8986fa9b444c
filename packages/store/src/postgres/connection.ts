// Connecting to PostgreSQL: the pool every query goes through, and how a database is named in
// messages (host, port, database and user; never the password).
import pg from "pg";
import { DatabaseConnectionError } from "./errors.js";

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` (or `postgresql://`); libpq's query options work. */
  url: string;
  /**
   * Keep Dormouse's tables in this schema (created when missing) instead of the first one of the
   * database's search_path: several Dormouse deployments, or tests, can share one database.
   */
  schema?: string;
  /** Connections in the pool (default 10). Each node of a cluster has its own pool. */
  maxConnections?: number;
  /** How long to wait for a connection before failing, ms (default 10000). */
  connectTimeoutMs?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * node-postgres returns BIGINT and count(*) as strings, since they can exceed 2^53. Everything
 * Dormouse keeps in BIGINT is an epoch in ms, a revision or a count, far below that.
 */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 && format !== "binary"
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as "text")) as pg.CustomTypesConfig["getTypeParser"],
};

export function createPool(options: PostgresStoreOptions): pg.Pool {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new TypeError(
      `schema: ${JSON.stringify(options.schema)} is not a valid schema name ` +
        "(lower-case letters, digits and _, not starting with a digit, at most 63 characters)",
    );
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    types: TYPES,
    application_name: "dormouse",
    ...(options.schema !== undefined && { options: `-c search_path=${options.schema}` }),
  });
  // A connection that breaks while idle in the pool is dropped and replaced by the pool; without a
  // listener the 'error' event would crash the process. A real outage shows in the next query.
  pool.on("error", () => undefined);
  return pool;
}

/** A client from the pool; failing to get one is reported with the database's address. */
export async function connect(pool: pg.Pool, options: PostgresStoreOptions): Promise<pg.PoolClient> {
  try {
    return await checkout(pool);
  } catch (error) {
    throw new DatabaseConnectionError(describeDatabase(options.url), error);
  }
}

/**
 * A client from the pool for a sequence of statements. While it is checked out the pool does not
 * listen for its errors, and a connection that breaks between two statements would crash the
 * process with an unhandled 'error' event: the error is kept instead, the next statement fails,
 * and releasing the client discards it.
 */
export async function checkout(pool: pg.Pool): Promise<pg.PoolClient> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost = error;
  };
  client.on("error", onError);
  const release = client.release;
  client.release = (error?: Error | boolean) => {
    client.removeListener("error", onError);
    release(error ?? lost);
  };
  return client;
}

/** `postgres://user:***@host:port/db` — the URL with its password (also a `password=` option) hidden. */
export function redactDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "(an invalid database URL)";
  }
  if (parsed.password !== "") parsed.password = "***";
  if (parsed.searchParams.has("password")) parsed.searchParams.set("password", "***");
  // URL keeps "***" as is in the userinfo, but percent-encodes it in the query; undo that.
  return parsed.toString().replace(/password=%2A%2A%2A/g, "password=***");
}

/** `host:port (database "db", user "u")` as the driver resolves them (URL, PG* variables, defaults). */
export function describeDatabase(url: string): string {
  let client: pg.Client;
  try {
    client = new pg.Client({ connectionString: url }); // resolves the parameters, does not connect
  } catch {
    return "(an invalid database URL)";
  }
  const host = client.host.startsWith("/") ? `socket ${client.host}` : client.host;
  const who = [
    client.database ? `database "${client.database}"` : undefined,
    client.user ? `user "${client.user}"` : undefined,
  ].filter((part) => part !== undefined);
  return `${host}:${client.port}${who.length > 0 ? ` (${who.join(", ")})` : ""}`;
}
