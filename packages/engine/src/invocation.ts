// Invocations (spec §2, §4): begin one (fresh lease and token, current state, UpdatedOperationIds),
// and account for its end: success, failure, PENDING, or a function error retried with backoff.
import type { ErrorObject, InvocationEvent } from "@dormouse/protocol";
import { Draft } from "./draft.js";
import { INVOCATION_GRACE_MS, appendTerminalEvent, hasPendingWork, terminate } from "./lifecycle.js";
import type { Decision, ExecutionState, InvocationLease } from "./model.js";
import type { EngineContext } from "./ports.js";
import { pageOperations } from "./state-view.js";
import { encodeToken } from "./tokens.js";

/** Keep the event well under Lambda's 6 MB invoke payload limit; the SDK pages the rest. */
const EVENT_OPERATION_BYTES = 4 * 1024 * 1024;
const EVENT_OPERATION_ITEMS = 1000;

export interface BeganInvocation {
  decision: Decision;
  /** Absent when nothing may run: the execution is not RUNNING or an invocation is active. */
  began?: { lease: InvocationLease; event: InvocationEvent };
}

/** Starts invocation N+1, consuming the `invoke` due work that asked for it. */
export function beginInvocation(state: ExecutionState, ctx: EngineContext): BeganInvocation {
  const exec = state.execution;
  const d = new Draft(state, ctx);
  d.unschedule(exec.arn, "invoke");
  if (exec.status !== "RUNNING" || exec.invocation) return { decision: d.finish() };
  const lease: InvocationLease = {
    epoch: exec.lastEpoch + 1,
    requestId: ctx.newId(),
    nonce: ctx.newSecret(),
    tokenSeq: 0,
    startedAt: ctx.now,
    deadline: ctx.now + exec.config.functionTimeoutSeconds * 1000,
    progressed: false,
  };
  if (ctx.nodeId !== undefined) lease.node = ctx.nodeId;
  d.exec.invocation = lease;
  d.exec.lastEpoch = lease.epoch;
  const updated = d.exec.dirty;
  d.exec.dirty = [];
  d.schedule({
    arn: exec.arn,
    kind: "invocation-timeout",
    operationId: "",
    dueAt: lease.deadline + INVOCATION_GRACE_MS,
    data: { epoch: lease.epoch },
  });
  const page = pageOperations(state.operations, undefined, EVENT_OPERATION_ITEMS, EVENT_OPERATION_BYTES);
  const event: InvocationEvent = {
    DurableExecutionArn: exec.arn,
    CheckpointToken: encodeToken(lease),
    InitialExecutionState: page.nextMarker
      ? { Operations: page.operations.map(stripInternal), NextMarker: page.nextMarker }
      : { Operations: page.operations.map(stripInternal) },
    UpdatedOperationIds: updated,
  };
  return { decision: d.finish(), began: { lease, event } };
}

/** How an invocation ended, as the runtime saw it. */
export type InvocationResult = { kind: "returned"; payload: string } | { kind: "error"; error: ErrorObject };

/** Accounts for the end of invocation `epoch`; undefined when that invocation is no longer current. */
export function completeInvocation(
  state: ExecutionState,
  epoch: number,
  result: InvocationResult,
  ctx: EngineContext,
): Decision | undefined {
  const exec = state.execution;
  const lease = exec.invocation;
  if (!lease || lease.epoch !== epoch) return undefined;
  const d = new Draft(state, ctx);
  delete d.exec.invocation;
  d.unschedule(exec.arn, "invocation-timeout");

  if (exec.status !== "RUNNING") {
    // Ended by an EXECUTION checkpoint: close the history now. Stopped or timed out: the terminal
    // event is already last and nothing may follow it (spec §7.3.3).
    if (exec.deferredTerminal) {
      invocationCompleted(d, lease, result.kind === "error" ? result.error : undefined);
      delete d.exec.deferredTerminal;
      appendTerminalEvent(d, exec.status);
    }
    return d.finish();
  }

  const outcome = result.kind === "returned" ? parseOutput(result.payload) : result;
  if (outcome.kind === "error") {
    invocationCompleted(d, lease, outcome.error);
    const failures = (lease.progressed ? 0 : exec.consecutiveFailures) + 1;
    d.exec.consecutiveFailures = failures;
    const policy = ctx.invocationRetry;
    if (policy.maxConsecutiveFailures > 0 && failures >= policy.maxConsecutiveFailures) {
      terminate(d, "FAILED", { error: outcome.error });
      return d.finish();
    }
    const backoff =
      failures <= policy.immediateRetries
        ? 0
        : Math.min(
            policy.maxBackoffMs,
            policy.initialBackoffMs * 2 ** (failures - policy.immediateRetries - 1),
          );
    d.schedule({ arn: exec.arn, kind: "invoke", operationId: "", dueAt: ctx.now + backoff });
    return d.finish();
  }

  invocationCompleted(d, lease, undefined);
  d.exec.consecutiveFailures = 0;
  const output = outcome.output;
  switch (output.Status) {
    case "SUCCEEDED":
      terminate(d, "SUCCEEDED", { result: output.Result });
      break;
    case "FAILED":
      terminate(d, "FAILED", { error: output.Error ?? {} });
      break;
    case "PENDING":
      if (d.exec.dirty.length > 0) {
        d.schedule({ arn: exec.arn, kind: "invoke", operationId: "", dueAt: ctx.now });
      } else if (!hasPendingWork(state.operations.values())) {
        terminate(d, "FAILED", {
          error: {
            ErrorType: "InvalidParameterValueException",
            ErrorMessage: "Cannot return PENDING status with no pending operations.",
          },
        });
      }
      break;
    default:
      output satisfies never;
  }
  return d.finish();
}

function invocationCompleted(d: Draft, lease: InvocationLease, error: ErrorObject | undefined): void {
  const details: Record<string, unknown> = {
    StartTimestamp: lease.startedAt / 1000,
    EndTimestamp: d.now / 1000,
    RequestId: lease.requestId,
  };
  if (error) details.Error = { Payload: error, Truncated: false };
  d.event("InvocationCompleted", undefined, details);
}

type ParsedOutput =
  | {
      kind: "ok";
      output:
        | { Status: "SUCCEEDED"; Result?: string }
        | { Status: "FAILED"; Error?: ErrorObject }
        | { Status: "PENDING" };
    }
  | { kind: "error"; error: ErrorObject };

/** Validates the handler's output (spec §2.3); anything malformed is a function error (spec §2.4). */
export function parseOutput(payload: string): ParsedOutput {
  const bad = (why: string): ParsedOutput => ({
    kind: "error",
    error: { ErrorType: "Runtime.InvalidOutput", ErrorMessage: `Invalid durable execution output: ${why}` },
  });
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return bad("not JSON");
  }
  if (typeof value !== "object" || value === null) return bad("not an object");
  const o = value as Record<string, unknown>;
  switch (o.Status) {
    case "SUCCEEDED":
      if (o.Error !== undefined) return bad("SUCCEEDED with an Error");
      if (o.Result !== undefined && typeof o.Result !== "string") return bad("Result is not a string");
      return {
        kind: "ok",
        output: o.Result === undefined ? { Status: "SUCCEEDED" } : { Status: "SUCCEEDED", Result: o.Result },
      };
    case "FAILED":
      if (o.Result !== undefined) return bad("FAILED with a Result");
      if (o.Error !== undefined && (typeof o.Error !== "object" || o.Error === null))
        return bad("Error is not an object");
      return { kind: "ok", output: { Status: "FAILED", Error: (o.Error as ErrorObject | undefined) ?? {} } };
    case "PENDING":
      return { kind: "ok", output: { Status: "PENDING" } };
    default:
      return bad(`unknown Status ${JSON.stringify(o.Status)}`);
  }
}

/** Drops fields that are ours, not the wire's. */
export function stripInternal<
  T extends { seq: number; heartbeatTimeoutSeconds?: number; heartbeatDeadline?: number },
>(op: T): Omit<T, "seq" | "heartbeatTimeoutSeconds" | "heartbeatDeadline"> {
  const { seq: _seq, heartbeatTimeoutSeconds: _hb, heartbeatDeadline: _hd, ...wire } = op;
  return wire;
}
