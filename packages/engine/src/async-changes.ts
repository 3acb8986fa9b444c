// Changes that happen outside an invocation (spec §4.2): timers firing, callbacks completed from
// outside, chained targets finishing. Each one marks the operation dirty and wakes the function.
import { DurableError, invalidParameter, notFound } from "@dormouse/protocol";
import type { ErrorObject } from "@dormouse/protocol";
import { Draft } from "./draft.js";
import { payloadWrapper, purgeExecution, timeOutExecution, trigger } from "./lifecycle.js";
import { completeInvocation } from "./invocation.js";
import type { Decision, DueWork, ExecutionState, OperationRecord } from "./model.js";
import type { EngineContext } from "./ports.js";

/**
 * The engine's answer to a due timer; undefined when the timer is stale (its operation moved on).
 * `invoke`, `chained-start` and `chained-complete` are driven by the scheduler through
 * beginInvocation / startExecution / finishChainedInvoke instead.
 */
export function fireTimer(state: ExecutionState, work: DueWork, ctx: EngineContext): Decision | undefined {
  const exec = state.execution;
  switch (work.kind) {
    case "execution-timeout":
      return timeOutExecution(state, ctx);
    case "purge":
      return exec.status === "RUNNING" ? undefined : purgeExecution(state, ctx);
    case "invocation-timeout": {
      const epoch = typeof work.data?.epoch === "number" ? work.data.epoch : exec.invocation?.epoch;
      if (epoch === undefined) return undefined;
      return completeInvocation(
        state,
        epoch,
        {
          kind: "error",
          error: {
            ErrorType: "Sandbox.Timedout",
            ErrorMessage: `Task timed out after ${exec.config.functionTimeoutSeconds} seconds`,
          },
        },
        ctx,
      );
    }
    case "wait":
    case "retry":
    case "callback-timeout":
    case "callback-heartbeat":
      return fireOperationTimer(state, work, ctx);
    case "invoke":
    case "chained-start":
    case "chained-complete":
      return undefined;
    default:
      work.kind satisfies never;
      return undefined;
  }
}

function fireOperationTimer(state: ExecutionState, work: DueWork, ctx: EngineContext): Decision | undefined {
  const exec = state.execution;
  const op = state.operations.get(work.operationId);
  if (exec.status !== "RUNNING" || !op) return undefined;
  const d = new Draft(state, ctx);
  // A timer read before it was re-armed (a new RETRY, a heartbeat) must not fire early: the
  // operation's own deadline is the truth, and the row is moved to it.
  const deadline = operationDeadline(op, work.kind);
  if (deadline !== undefined && deadline > ctx.now) {
    d.schedule({ arn: exec.arn, kind: work.kind, operationId: op.Id, dueAt: deadline });
    return d.finish();
  }
  d.unschedule(exec.arn, work.kind, op.Id);
  switch (work.kind) {
    case "wait": {
      if (op.Type !== "WAIT" || op.Status !== "STARTED") return undefined;
      const started = d.put({ ...op, Status: "SUCCEEDED", EndTimestamp: ctx.now });
      const duration = Math.round(
        ((op.WaitDetails?.ScheduledEndTimestamp ?? ctx.now) - op.StartTimestamp) / 1000,
      );
      d.event("WaitSucceeded", started, { Duration: duration });
      break;
    }
    case "retry":
      if (op.Type !== "STEP" || op.Status !== "PENDING") return undefined;
      d.put({ ...op, Status: "READY" });
      break;
    case "callback-timeout":
    case "callback-heartbeat": {
      if (op.Type !== "CALLBACK" || op.Status !== "STARTED") return undefined;
      const error: ErrorObject =
        work.kind === "callback-timeout"
          ? { ErrorType: "Callback.Timeout", ErrorMessage: "Callback timed out" }
          : { ErrorType: "Callback.Heartbeat", ErrorMessage: "Callback heartbeat timed out" };
      d.unschedule(exec.arn, "callback-timeout", op.Id);
      d.unschedule(exec.arn, "callback-heartbeat", op.Id);
      const timedOut = d.put({
        ...op,
        Status: "TIMED_OUT",
        EndTimestamp: ctx.now,
        CallbackDetails: { CallbackId: op.CallbackDetails?.CallbackId ?? "", Error: error },
      });
      d.event("CallbackTimedOut", timedOut, { Error: { Payload: error, Truncated: false } });
      break;
    }
    default:
      return undefined;
  }
  d.markDirty(op.Id);
  trigger(d);
  return d.finish();
}

function operationDeadline(op: OperationRecord, kind: DueWork["kind"]): number | undefined {
  if (kind === "wait" && op.Status === "STARTED") return op.WaitDetails?.ScheduledEndTimestamp;
  if (kind === "retry" && op.Status === "PENDING") return op.StepDetails?.NextAttemptTimestamp;
  if (kind === "callback-heartbeat" && op.Status === "STARTED") return op.heartbeatDeadline;
  return undefined;
}

export type CallbackCompletion =
  | { kind: "succeed"; result: string | undefined }
  | { kind: "fail"; error: ErrorObject }
  | { kind: "heartbeat" };

/** SendDurableExecutionCallback{Success,Failure,Heartbeat} (spec §5): the first completion wins. */
export function completeCallback(
  state: ExecutionState,
  operationId: string,
  completion: CallbackCompletion,
  ctx: EngineContext,
): Decision | undefined {
  const exec = state.execution;
  const op = state.operations.get(operationId);
  if (!op || op.Type !== "CALLBACK") throw notFound("Callback not found");
  if (op.Status === "TIMED_OUT") throw new DurableError("CallbackTimeoutException", "Callback timed out");
  if (exec.status !== "RUNNING") throw invalidParameter("Execution is not running");
  if (op.Status !== "STARTED") throw invalidParameter("Callback already completed");

  const d = new Draft(state, ctx);
  if (completion.kind === "heartbeat") {
    if (op.heartbeatTimeoutSeconds === undefined) return undefined; // a no-op that still succeeds
    const deadline = ctx.now + op.heartbeatTimeoutSeconds * 1000;
    d.put({ ...op, heartbeatDeadline: deadline });
    d.schedule({ arn: exec.arn, kind: "callback-heartbeat", operationId, dueAt: deadline });
    return d.finish();
  }
  // An empty success body means "no result" (spec §5.2): the SDK must get an absent Result, not "".
  const result = completion.kind === "succeed" && completion.result !== "" ? completion.result : undefined;
  if (result !== undefined && Buffer.byteLength(result, "utf8") > ctx.limits.callbackResultBytes) {
    throw invalidParameter("Result: callback result exceeds the maximum allowed size.");
  }
  d.unschedule(exec.arn, "callback-timeout", operationId);
  d.unschedule(exec.arn, "callback-heartbeat", operationId);
  const callbackId = op.CallbackDetails?.CallbackId ?? "";
  if (completion.kind === "succeed") {
    const details =
      result === undefined ? { CallbackId: callbackId } : { CallbackId: callbackId, Result: result };
    const done = d.put({ ...op, Status: "SUCCEEDED", EndTimestamp: ctx.now, CallbackDetails: details });
    d.event("CallbackSucceeded", done, { Result: payloadWrapper(result) });
  } else {
    const done = d.put({
      ...op,
      Status: "FAILED",
      EndTimestamp: ctx.now,
      CallbackDetails: { CallbackId: callbackId, Error: completion.error },
    });
    d.event("CallbackFailed", done, { Error: { Payload: completion.error, Truncated: false } });
  }
  d.markDirty(operationId);
  trigger(d);
  return d.finish();
}

export interface ChainedOutcome {
  status: "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "STOPPED";
  result?: string;
  error?: ErrorObject;
}

const CHAINED_EVENTS = {
  SUCCEEDED: "ChainedInvokeSucceeded",
  FAILED: "ChainedInvokeFailed",
  TIMED_OUT: "ChainedInvokeTimedOut",
  STOPPED: "ChainedInvokeStopped",
} as const;

/** The target of a CHAINED_INVOKE finished (spec §6); undefined when the caller moved on. */
export function finishChainedInvoke(
  state: ExecutionState,
  operationId: string,
  outcome: ChainedOutcome,
  ctx: EngineContext,
): Decision | undefined {
  const exec = state.execution;
  const op = state.operations.get(operationId);
  const d = new Draft(state, ctx);
  d.unschedule(exec.arn, "chained-start", operationId);
  d.unschedule(exec.arn, "chained-complete", operationId);
  if (exec.status !== "RUNNING" || !op || op.Type !== "CHAINED_INVOKE" || op.Status !== "STARTED") {
    return d.finish();
  }
  const details =
    outcome.status === "SUCCEEDED"
      ? outcome.result === undefined
        ? {}
        : { Result: outcome.result }
      : { Error: outcome.error ?? {} };
  const done = d.put({ ...op, Status: outcome.status, EndTimestamp: ctx.now, ChainedInvokeDetails: details });
  d.event(
    CHAINED_EVENTS[outcome.status],
    done,
    outcome.status === "SUCCEEDED"
      ? { Result: payloadWrapper(outcome.result) }
      : { Error: { Payload: outcome.error ?? {}, Truncated: false } },
  );
  d.markDirty(operationId);
  trigger(d);
  return d.finish();
}
