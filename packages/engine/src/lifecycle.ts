// Execution lifecycle: start, terminal transitions (succeed, fail, stop, time out) and purge.
//
//   RUNNING ──handler SUCCEEDED / EXECUTION SUCCEED──▶ SUCCEEDED
//   RUNNING ──handler FAILED / EXECUTION FAIL────────▶ FAILED
//   RUNNING ──StopDurableExecution───────────────────▶ STOPPED
//   RUNNING ──ExecutionTimeout elapsed───────────────▶ TIMED_OUT
import { executionArn, invalidParameter, parseExecutionArn } from "@dormouse/protocol";
import type { ErrorObject, ExecutionStatus } from "@dormouse/protocol";
import { Draft } from "./draft.js";
import type { Decision, ExecutionRecord, ExecutionState, OperationRecord } from "./model.js";
import type { EngineContext, ResolvedFunction } from "./ports.js";

const DAY_MS = 86_400_000;

export interface StartInput {
  fn: ResolvedFunction;
  /** The Invoke body as text; "" is stored as "{}" (spec §2.2). */
  payload: string;
  name?: string;
  tenantId?: string;
  traceId?: string;
  parent?: { arn: string; operationId: string };
  /** Pre-minted ARN (chained invokes record the child's ARN before it exists). */
  arn?: string;
}

export function startExecution(input: StartInput, ctx: EngineContext): Decision {
  // A pre-minted ARN already names the execution and its id; keep the record consistent with it.
  const minted = input.arn === undefined ? undefined : parseExecutionArn(input.arn);
  const executionId = minted?.executionId ?? ctx.newId();
  const name = input.name ?? minted?.executionName ?? ctx.newId();
  const arn =
    input.arn ?? executionArn(ctx.arnContext, input.fn.functionName, input.fn.version, name, executionId);
  const payload = input.payload === "" ? "{}" : input.payload;
  const exec: ExecutionRecord = {
    arn,
    executionId,
    name,
    functionName: input.fn.functionName,
    version: input.fn.version,
    status: "RUNNING",
    startedAt: ctx.now,
    input: payload,
    executionOpId: ctx.newId(),
    config: {
      executionTimeoutSeconds: input.fn.executionTimeoutSeconds,
      retentionDays: input.fn.retentionDays,
      functionTimeoutSeconds: input.fn.functionTimeoutSeconds,
    },
    nextEventId: 1,
    nextSeq: 0,
    lastEpoch: 0,
    dirty: [],
    consecutiveFailures: 0,
    rev: 0,
  };
  if (input.fn.codeId !== undefined) exec.codeId = input.fn.codeId;
  if (input.tenantId !== undefined) exec.tenantId = input.tenantId;
  if (input.traceId !== undefined) exec.traceId = input.traceId;
  if (input.parent) exec.parent = input.parent;

  const d = new Draft({ execution: exec, operations: new Map() }, ctx, true);
  const op = d.put({
    Id: exec.executionOpId,
    Type: "EXECUTION",
    Status: "STARTED",
    StartTimestamp: ctx.now,
    ExecutionDetails: { InputPayload: payload },
    seq: d.newOperationSeq(),
  });
  d.event("ExecutionStarted", op, {
    Input: { Payload: payload, Truncated: false },
    ExecutionTimeout: exec.config.executionTimeoutSeconds,
  });
  d.schedule({
    arn,
    kind: "execution-timeout",
    operationId: "",
    dueAt: ctx.now + exec.config.executionTimeoutSeconds * 1000,
  });
  d.schedule({ arn, kind: "invoke", operationId: "", dueAt: ctx.now });
  // The execution-level event has no SubType (spec §7.3.1).
  return d.finish();
}

type TerminalStatus = Exclude<ExecutionStatus, "RUNNING">;

/**
 * Makes the execution terminal. `deferEvent`: the EXECUTION checkpoint path, whose event must follow
 * that invocation's InvocationCompleted (spec §7.3.3).
 */
export function terminate(
  d: Draft,
  status: TerminalStatus,
  outcome: { result?: string; error?: ErrorObject },
  deferEvent = false,
): void {
  const exec = d.exec;
  exec.status = status;
  exec.endedAt = d.now;
  if (outcome.result !== undefined) exec.result = outcome.result;
  else delete exec.result;
  if (outcome.error !== undefined) exec.error = outcome.error;
  exec.dirty = [];
  const op = d.op(exec.executionOpId);
  if (op) d.put({ ...op, Status: status, EndTimestamp: d.now });

  d.unscheduleEverything();
  d.schedule({
    arn: exec.arn,
    kind: "purge",
    operationId: "",
    dueAt: d.now + exec.config.retentionDays * DAY_MS,
  });
  if (exec.invocation) {
    // The running invocation still has to report (or time out) to close the history.
    d.schedule({
      arn: exec.arn,
      kind: "invocation-timeout",
      operationId: "",
      dueAt: exec.invocation.deadline + INVOCATION_GRACE_MS,
      data: { epoch: exec.invocation.epoch },
    });
  }
  if (exec.parent) {
    d.schedule({
      arn: exec.parent.arn,
      kind: "chained-complete",
      operationId: exec.parent.operationId,
      dueAt: d.now,
      data: { childArn: exec.arn },
    });
  }
  if (deferEvent && (status === "SUCCEEDED" || status === "FAILED")) {
    exec.deferredTerminal = status === "SUCCEEDED" ? "ExecutionSucceeded" : "ExecutionFailed";
  } else {
    appendTerminalEvent(d, status);
  }
}

/** How long after its deadline an invocation that never reported is declared lost. */
export const INVOCATION_GRACE_MS = 5_000;

export function appendTerminalEvent(d: Draft, status: TerminalStatus): void {
  const exec = d.exec;
  const op = d.op(exec.executionOpId);
  const error = { Payload: exec.error ?? {}, Truncated: false };
  switch (status) {
    case "SUCCEEDED":
      d.event("ExecutionSucceeded", op, { Result: payloadWrapper(exec.result) });
      return;
    case "FAILED":
      d.event("ExecutionFailed", op, { Error: error });
      return;
    case "TIMED_OUT":
      d.event("ExecutionTimedOut", op, { Error: error });
      return;
    case "STOPPED":
      d.event("ExecutionStopped", op, { Error: error });
      return;
    default:
      status satisfies never;
  }
}

export function payloadWrapper(payload: string | undefined): { Payload?: string; Truncated: boolean } {
  return payload === undefined ? { Truncated: false } : { Payload: payload, Truncated: false };
}

export const DEFAULT_STOP_ERROR: ErrorObject = Object.freeze({
  ErrorType: "Execution.Stopped",
  ErrorMessage: "Execution stopped by user request",
});

export function stopExecution(
  state: ExecutionState,
  error: ErrorObject | undefined,
  ctx: EngineContext,
): { decision?: Decision; stoppedAt: number } {
  const exec = state.execution;
  if (exec.status === "STOPPED") return { stoppedAt: exec.stoppedAt ?? exec.endedAt ?? ctx.now };
  if (exec.status !== "RUNNING") throw invalidParameter(`Execution is not running (status ${exec.status})`);
  const d = new Draft(state, ctx);
  const err = error && Object.keys(error).length > 0 ? error : DEFAULT_STOP_ERROR;
  d.exec.stoppedAt = ctx.now;
  terminate(d, "STOPPED", { error: err });
  return { decision: d.finish(), stoppedAt: ctx.now };
}

export function timeOutExecution(state: ExecutionState, ctx: EngineContext): Decision | undefined {
  const exec = state.execution;
  if (exec.status !== "RUNNING") return undefined;
  const d = new Draft(state, ctx);
  terminate(d, "TIMED_OUT", {
    error: {
      ErrorType: "Execution.Timeout",
      ErrorMessage: `Execution timed out after ${exec.config.executionTimeoutSeconds} seconds.`,
    },
  });
  return d.finish();
}

export function purgeExecution(state: ExecutionState, ctx: EngineContext): Decision {
  const d = new Draft(state, ctx);
  return { ...d.finish(), purge: true };
}

/** Operations that something outside the function will complete (spec Appendix B). */
export function hasPendingWork(ops: Iterable<OperationRecord>): boolean {
  for (const op of ops) {
    if (op.Type === "STEP" && (op.Status === "PENDING" || op.Status === "READY")) return true;
    if (
      (op.Type === "WAIT" || op.Type === "CALLBACK" || op.Type === "CHAINED_INVOKE") &&
      op.Status === "STARTED"
    ) {
      return true;
    }
  }
  return false;
}

/** After an async change: wake the function unless an invocation is running (spec §4.3). */
export function trigger(d: Draft): void {
  if (d.exec.status === "RUNNING" && !d.exec.invocation) {
    d.schedule({ arn: d.exec.arn, kind: "invoke", operationId: "", dueAt: d.now });
  }
}
