// Effects of every (Type × Action) of a checkpoint update (spec §3.6). Each function validates the
// update against the draft (current state plus earlier updates of the batch) and throws a typed
// InvalidParameterValueException before the draft is committed, so a bad batch changes nothing.
import { executionArn, invalidParameter } from "@dormouse/protocol";
import type { ErrorObject, OperationStatus, OperationUpdate } from "@dormouse/protocol";
import type { Draft } from "./draft.js";
import { payloadWrapper, terminate } from "./lifecycle.js";
import type { OperationRecord } from "./model.js";

const TERMINAL: ReadonlySet<OperationStatus> = new Set([
  "SUCCEEDED",
  "FAILED",
  "CANCELLED",
  "TIMED_OUT",
  "STOPPED",
]);

export function applyUpdate(d: Draft, u: OperationUpdate, isLast: boolean): string {
  switch (u.Type) {
    case "EXECUTION":
      return applyExecution(d, u, isLast);
    case "STEP":
      return applyStep(d, u);
    case "WAIT":
      return applyWait(d, u);
    case "CALLBACK":
      return applyCallback(d, u);
    case "CHAINED_INVOKE":
      return applyChainedInvoke(d, u);
    case "CONTEXT":
      return applyContext(d, u);
    default:
      u.Type satisfies never;
      throw invalidParameter("Unknown operation type.");
  }
}

function create(d: Draft, u: OperationUpdate, status: OperationStatus): OperationRecord {
  if (d.exec.nextSeq >= d.ctx.limits.operationsPerExecution) {
    throw invalidParameter("Maximum number of operations per execution exceeded.");
  }
  const op: OperationRecord = {
    Id: u.Id,
    Type: u.Type,
    Status: status,
    StartTimestamp: d.now,
    seq: d.newOperationSeq(),
  };
  if (u.ParentId !== undefined) op.ParentId = u.ParentId;
  if (u.Name !== undefined) op.Name = u.Name;
  if (u.SubType !== undefined) op.SubType = u.SubType;
  return op;
}

function finish<T extends OperationRecord>(d: Draft, op: T, status: OperationStatus): T {
  return { ...op, Status: status, EndTimestamp: d.now };
}

const errorWrapper = (error: ErrorObject | undefined) => ({ Payload: error ?? {}, Truncated: false });

function noPayloadAndError(u: OperationUpdate): void {
  if (u.Action === "SUCCEED" && u.Error !== undefined)
    throw invalidParameter("Cannot provide an Error for SUCCEED action.");
  if (u.Action === "FAIL" && u.Payload !== undefined)
    throw invalidParameter("Cannot provide a Payload for FAIL action.");
}

function applyExecution(d: Draft, u: OperationUpdate, isLast: boolean): string {
  if (u.Action !== "SUCCEED" && u.Action !== "FAIL")
    throw invalidParameter("Invalid action for the given operation type.");
  if (!isLast) throw invalidParameter("EXECUTION checkpoint must be the last update.");
  noPayloadAndError(u);
  // Whatever Id the SDK sent, this update refers to the execution (spec §1.4).
  if (u.Action === "SUCCEED") terminate(d, "SUCCEEDED", { result: u.Payload }, true);
  else terminate(d, "FAILED", { error: u.Error ?? {} }, true);
  return d.exec.executionOpId;
}

function applyStep(d: Draft, u: OperationUpdate): string {
  const prev = d.op(u.Id);
  const prevAttempt = prev?.StepDetails?.Attempt ?? 0;
  switch (u.Action) {
    case "START": {
      if (prev && prev.Status !== "READY") throw invalidParameter("Invalid current STEP state to start.");
      const op = prev ? { ...prev, Status: "STARTED" as const } : create(d, u, "STARTED");
      d.put(op);
      d.event("StepStarted", op, {});
      return u.Id;
    }
    case "SUCCEED":
    case "FAIL": {
      if (prev && prev.Status !== "STARTED" && prev.Status !== "READY") {
        throw invalidParameter("Invalid current STEP state to close.");
      }
      noPayloadAndError(u);
      const base = prev ?? create(d, u, "STARTED");
      const details = { ...base.StepDetails, Attempt: prevAttempt + 1 };
      delete details.NextAttemptTimestamp;
      if (u.Action === "SUCCEED") {
        delete details.Error;
        if (u.Payload === undefined) delete details.Result;
        else details.Result = u.Payload;
      } else {
        delete details.Result;
        details.Error = u.Error ?? {};
      }
      const op = d.put(
        finish(d, { ...base, StepDetails: details }, u.Action === "SUCCEED" ? "SUCCEEDED" : "FAILED"),
      );
      const retry = { CurrentAttempt: prevAttempt + 1 };
      if (u.Action === "SUCCEED")
        d.event("StepSucceeded", op, { Result: payloadWrapper(u.Payload), RetryDetails: retry });
      else d.event("StepFailed", op, { Error: errorWrapper(u.Error), RetryDetails: retry });
      return u.Id;
    }
    case "RETRY": {
      if (prev && prev.Status !== "STARTED" && prev.Status !== "READY") {
        throw invalidParameter("Invalid current STEP state to retry.");
      }
      if (u.Payload !== undefined && u.Error !== undefined) {
        throw invalidParameter("Cannot provide both Payload and Error for RETRY action.");
      }
      const delay = u.StepOptions?.NextAttemptDelaySeconds;
      if (
        delay === undefined ||
        !Number.isInteger(delay) ||
        delay < 1 ||
        delay > d.ctx.limits.maxWaitSeconds
      ) {
        throw invalidParameter(
          `Invalid StepOptions: NextAttemptDelaySeconds must be an integer between 1 and ${d.ctx.limits.maxWaitSeconds}.`,
        );
      }
      const base = prev ?? create(d, u, "STARTED");
      const next = d.now + delay * 1000;
      const details: NonNullable<OperationRecord["StepDetails"]> = {
        Attempt: prevAttempt + 1,
        NextAttemptTimestamp: next,
      };
      if (u.Payload !== undefined) details.Result = u.Payload;
      if (u.Error !== undefined) details.Error = u.Error;
      const op = d.put({ ...base, Status: "PENDING", StepDetails: details });
      d.schedule({ arn: d.exec.arn, kind: "retry", operationId: u.Id, dueAt: next });
      const retry = { CurrentAttempt: prevAttempt + 1, NextAttemptDelaySeconds: delay };
      if (u.Error !== undefined)
        d.event("StepFailed", op, { Error: errorWrapper(u.Error), RetryDetails: retry });
      else d.event("StepSucceeded", op, { Result: payloadWrapper(u.Payload), RetryDetails: retry });
      return u.Id;
    }
    default:
      throw invalidParameter("Invalid action for the given operation type.");
  }
}

function applyWait(d: Draft, u: OperationUpdate): string {
  const prev = d.op(u.Id);
  if (u.Action === "START") {
    if (prev) throw invalidParameter("Cannot start a WAIT that already exists.");
    const seconds = u.WaitOptions?.WaitSeconds;
    if (
      seconds === undefined ||
      !Number.isInteger(seconds) ||
      seconds < 1 ||
      seconds > d.ctx.limits.maxWaitSeconds
    ) {
      throw invalidParameter(
        `Invalid WaitOptions: WaitSeconds must be an integer between 1 and ${d.ctx.limits.maxWaitSeconds}.`,
      );
    }
    const end = d.now + seconds * 1000;
    const op = d.put({ ...create(d, u, "STARTED"), WaitDetails: { ScheduledEndTimestamp: end } });
    d.schedule({ arn: d.exec.arn, kind: "wait", operationId: u.Id, dueAt: end });
    d.event("WaitStarted", op, { Duration: seconds, ScheduledEndTimestamp: end / 1000 });
    return u.Id;
  }
  if (u.Action === "CANCEL") {
    if (!prev || prev.Status !== "STARTED") {
      throw invalidParameter("Cannot cancel a WAIT that does not exist or has already completed.");
    }
    const op = d.put(finish(d, prev, "CANCELLED"));
    d.unschedule(d.exec.arn, "wait", u.Id);
    d.event("WaitCancelled", op, u.Error === undefined ? {} : { Error: errorWrapper(u.Error) });
    return u.Id;
  }
  throw invalidParameter("Invalid action for the given operation type.");
}

function applyCallback(d: Draft, u: OperationUpdate): string {
  const prev = d.op(u.Id);
  if (u.Action === "START") {
    if (prev) throw invalidParameter("Cannot start a CALLBACK that already exists.");
    const timeout = u.CallbackOptions?.TimeoutSeconds ?? 0;
    const heartbeat = u.CallbackOptions?.HeartbeatTimeoutSeconds ?? 0;
    for (const [field, v] of [
      ["TimeoutSeconds", timeout],
      ["HeartbeatTimeoutSeconds", heartbeat],
    ] as const) {
      if (!Number.isInteger(v) || v < 0) {
        throw invalidParameter(`Invalid CallbackOptions: ${field} must be a non-negative integer.`);
      }
    }
    const callbackId = d.ctx.newSecret();
    const op: OperationRecord = { ...create(d, u, "STARTED"), CallbackDetails: { CallbackId: callbackId } };
    if (heartbeat > 0) {
      op.heartbeatTimeoutSeconds = heartbeat;
      op.heartbeatDeadline = d.now + heartbeat * 1000;
    }
    d.put(op);
    d.addCallback(callbackId, u.Id);
    if (timeout > 0) {
      d.schedule({
        arn: d.exec.arn,
        kind: "callback-timeout",
        operationId: u.Id,
        dueAt: d.now + timeout * 1000,
      });
    }
    if (heartbeat > 0) {
      d.schedule({
        arn: d.exec.arn,
        kind: "callback-heartbeat",
        operationId: u.Id,
        dueAt: d.now + heartbeat * 1000,
      });
    }
    const details: Record<string, unknown> = { CallbackId: callbackId };
    if (timeout > 0) details.Timeout = timeout;
    if (heartbeat > 0) details.HeartbeatTimeout = heartbeat;
    d.event("CallbackStarted", op, details);
    return u.Id;
  }
  if (u.Action === "CANCEL") {
    if (!prev || prev.Status !== "STARTED") {
      throw invalidParameter("Cannot cancel a CALLBACK that does not exist or has already completed.");
    }
    d.put(finish(d, prev, "CANCELLED"));
    d.unschedule(d.exec.arn, "callback-timeout", u.Id);
    d.unschedule(d.exec.arn, "callback-heartbeat", u.Id);
    return u.Id; // the service model has no CallbackCancelled event (spec §10 A31)
  }
  throw invalidParameter("Invalid action for the given operation type.");
}

function applyChainedInvoke(d: Draft, u: OperationUpdate): string {
  const prev = d.op(u.Id);
  if (u.Action === "START") {
    if (prev) throw invalidParameter("Cannot start a CHAINED_INVOKE that already exists.");
    const target = u.ChainedInvokeOptions?.FunctionName;
    if (!target)
      throw invalidParameter("ChainedInvokeOptions.FunctionName is required to start a CHAINED_INVOKE.");
    const op = d.put(create(d, u, "STARTED"));
    const fn = d.ctx.resolveFunction(target);
    const details: Record<string, unknown> = { FunctionName: target };
    const tenantId = u.ChainedInvokeOptions?.TenantId;
    if (tenantId !== undefined) details.TenantId = tenantId;
    details.Input = payloadWrapper(u.Payload);
    const data: Record<string, unknown> = { target, payload: u.Payload ?? null, tenantId: tenantId ?? null };
    if (fn) {
      details.ExecutedVersion = fn.version;
      data.functionName = fn.functionName;
      data.version = fn.version;
      data.durable = fn.durable;
      if (fn.durable) {
        const name = d.ctx.newId();
        const childArn = executionArn(d.ctx.arnContext, fn.functionName, fn.version, name, d.ctx.newId());
        details.DurableExecutionArn = childArn;
        data.childArn = childArn;
        data.childName = name;
      }
    }
    d.event("ChainedInvokeStarted", op, details);
    // The target runs asynchronously, never inside this request (spec §6).
    d.schedule({ arn: d.exec.arn, kind: "chained-start", operationId: u.Id, dueAt: d.now, data });
    return u.Id;
  }
  if (u.Action === "CANCEL") {
    if (!prev || prev.Status !== "STARTED") {
      throw invalidParameter("Cannot cancel a CHAINED_INVOKE that does not exist or has already completed.");
    }
    const error = u.Error ?? {
      ErrorType: "ChainedInvoke.Cancelled",
      ErrorMessage: "Chained invoke cancelled",
    };
    const op = d.put({ ...finish(d, prev, "STOPPED"), ChainedInvokeDetails: { Error: error } });
    d.unschedule(d.exec.arn, "chained-start", u.Id);
    d.event("ChainedInvokeStopped", op, { Error: errorWrapper(error) });
    return u.Id;
  }
  throw invalidParameter("Invalid action for the given operation type.");
}

function applyContext(d: Draft, u: OperationUpdate): string {
  const prev = d.op(u.Id);
  switch (u.Action) {
    case "START": {
      if (prev) throw invalidParameter("Cannot start a CONTEXT that already exists.");
      const replay = u.ContextOptions?.ReplayChildren;
      const op = d.put({
        ...create(d, u, "STARTED"),
        ContextDetails: replay === undefined ? {} : { ReplayChildren: replay },
      });
      d.event("ContextStarted", op, {});
      return u.Id;
    }
    case "SUCCEED":
    case "FAIL": {
      if (prev && prev.Status !== "STARTED")
        throw invalidParameter("Invalid current CONTEXT state to close.");
      noPayloadAndError(u);
      const base = prev ?? create(d, u, "STARTED");
      const details: NonNullable<OperationRecord["ContextDetails"]> = {};
      const replay = u.ContextOptions?.ReplayChildren ?? base.ContextDetails?.ReplayChildren;
      if (replay !== undefined) details.ReplayChildren = replay;
      if (u.Action === "SUCCEED") {
        if (u.Payload !== undefined) details.Result = u.Payload;
      } else {
        details.Error = u.Error ?? {};
      }
      const op = d.put(
        finish(d, { ...base, ContextDetails: details }, u.Action === "SUCCEED" ? "SUCCEEDED" : "FAILED"),
      );
      if (u.Action === "SUCCEED") d.event("ContextSucceeded", op, { Result: payloadWrapper(u.Payload) });
      else d.event("ContextFailed", op, { Error: errorWrapper(u.Error) });
      return u.Id;
    }
    default:
      throw invalidParameter("Invalid action for the given operation type.");
  }
}

export { TERMINAL as TERMINAL_STATUSES };
