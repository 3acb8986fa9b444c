export * from "./model.js";
export * from "./ports.js";
export { Draft } from "./draft.js";
export { checkpoint, type CheckpointInput, type CheckpointOutcome } from "./checkpoint.js";
export {
  startExecution,
  stopExecution,
  hasPendingWork,
  DEFAULT_STOP_ERROR,
  INVOCATION_GRACE_MS,
  type StartInput,
} from "./lifecycle.js";
export {
  beginInvocation,
  completeInvocation,
  parseOutput,
  stripInternal,
  type BeganInvocation,
  type InvocationResult,
} from "./invocation.js";
export { getState, pageOperations, visibleOperations, type OperationsPage } from "./state-view.js";
export {
  fireTimer,
  completeCallback,
  finishChainedInvoke,
  type CallbackCompletion,
  type ChainedOutcome,
} from "./async-changes.js";
export { encodeToken, decodeToken } from "./tokens.js";
