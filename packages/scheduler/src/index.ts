export * from "./service.js";
export * from "./ports.js";
export { Orchestrator, type OrchestratorOptions, type ClusterOptions } from "./orchestrator.js";
export {
  ClusterBus,
  InProcessHub,
  InProcessChannel,
  type ClusterNotice,
  type ExecutionNotice,
  type FunctionsNotice,
  type NoticeChannel,
  type ChannelListener,
  type BusListener,
} from "./cluster-bus.js";
export { silenceLimitMs } from "./node-liveness.js";
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
