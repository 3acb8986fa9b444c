// Errors the adapters raise at open time. (ConflictError, raised per commit, lives with the port.)

/** The database was migrated by a newer Dormouse; opening it could corrupt data the code cannot see. */
export class SchemaTooNewError extends Error {
  readonly location: string;
  readonly databaseVersion: number;
  readonly knownVersion: number;
  constructor(location: string, databaseVersion: number, knownVersion: number) {
    super(
      `${location} has schema version ${databaseVersion}, but this Dormouse only knows schema versions ` +
        `up to ${knownVersion}: it was written by a newer Dormouse. Upgrade Dormouse, or use another database.`,
    );
    this.name = "SchemaTooNewError";
    this.location = location;
    this.databaseVersion = databaseVersion;
    this.knownVersion = knownVersion;
  }
}

/**
 * The database cannot be reached now (refused, lost or timed out connections). Retryable: the
 * request was not carried out, or (a commit whose connection broke at COMMIT) its outcome is not
 * known; either way it was not acknowledged, and carrying a request out twice is safe (every API
 * call is idempotent or fenced). The adapter keeps trying to reconnect, backing off.
 */
export class StoreUnavailableError extends Error {
  /** Where the database is (no password). */
  readonly location: string;
  constructor(location: string, cause: unknown) {
    super(
      `the database at ${location} is unavailable (${cause instanceof Error ? cause.message || cause.name : String(cause)})`,
      { cause },
    );
    this.name = "StoreUnavailableError";
    this.location = location;
  }
}
