export { openPostgresStore, PostgresStore, type PostgresStoreOptions } from "./postgres-store.js";
export { describeDatabase, redactDatabaseUrl } from "./connection.js";
export { DatabaseConnectionError } from "./errors.js";
export { createScratchDatabase, type ScratchDatabase } from "./scratch-database.js";
export { PostgresNoticeChannel, type NoticeListener } from "./notice-channel.js";
