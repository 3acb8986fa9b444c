// Errors of the PostgreSQL adapter that a person running a node has to act on.

/** PostgreSQL could not be reached or refused the connection (address, credentials, database). */
export class DatabaseConnectionError extends Error {
  /** `host:port (database "…", user "…")`, never the password. */
  readonly location: string;
  constructor(location: string, cause: unknown) {
    super(`cannot connect to PostgreSQL at ${location}: ${reason(cause)}`, { cause });
    this.name = "DatabaseConnectionError";
    this.location = location;
  }
}

function reason(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  // An AggregateError (every address of "localhost" refused) has an empty message of its own.
  if (cause.message === "" && cause instanceof AggregateError && cause.errors.length > 0) {
    return [...new Set(cause.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))))].join(
      "; ",
    );
  }
  return cause.message;
}
