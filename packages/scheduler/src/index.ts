export * from "./service.js";
export * from "./ports.js";
export { Orchestrator, type OrchestratorOptions } from "./orchestrator.js";
export {
  FaultPoints,
  FAULT_POINT_NAMES,
  parseFaultPoint,
  type FaultPointName,
  type FaultPointSpec,
} from "./fault-points.js";
export { ConsoleQueries, type ConsoleQueriesOptions } from "./console-queries.js";
export {
  ExecutionChangeFeed,
  type ExecutionChangeListener,
  type ExecutionChangeSource,
} from "./change-feed.js";
