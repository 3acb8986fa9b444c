export * from "./types.js";
export { Runtime, definitionKey, type RuntimeOptions, type RuntimeStats } from "./runtime.js";
export type { PoolStats, WorkerEvent } from "./pool.js";
