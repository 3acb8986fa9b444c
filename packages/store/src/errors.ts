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
