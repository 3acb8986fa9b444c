// Records (epoch ms, internal fields) → REST wire shapes (epoch seconds, spec §1.7). Every shape is
// built by copying known members, so internal fields (`seq`, leases…) never leak and absent or
// null members are omitted rather than sent as null (spec §3.1).
import type { EventRecord, ExecutionRecord, OperationRecord } from "@dormouse/engine";
import {
  functionArn,
  type ArnContext,
  type ErrorObject,
  type ExecutionSummary,
  type GetDurableExecutionResponse,
  type HistoryEvent,
  type Operation,
} from "@dormouse/protocol";
import type { FunctionSummary } from "@dormouse/scheduler";

/** Epoch ms → epoch seconds; fractions are allowed on the wire (`1763784000.123`). */
export const toSeconds = (ms: number): number => ms / 1000;

const present = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

export function errorToWire(error: ErrorObject): ErrorObject {
  const out: ErrorObject = {};
  if (present(error.ErrorType)) out.ErrorType = error.ErrorType;
  if (present(error.ErrorMessage)) out.ErrorMessage = error.ErrorMessage;
  if (present(error.ErrorData)) out.ErrorData = error.ErrorData;
  if (present(error.StackTrace)) out.StackTrace = [...error.StackTrace];
  return out;
}

/** Result/Error pair shared by most details members. */
function outcome(d: { Result?: string | null; Error?: ErrorObject | null }): {
  Result?: string;
  Error?: ErrorObject;
} {
  const out: { Result?: string; Error?: ErrorObject } = {};
  if (present(d.Result)) out.Result = d.Result;
  if (present(d.Error)) out.Error = errorToWire(d.Error);
  return out;
}

export function operationToWire(op: OperationRecord): Operation {
  return copyOperation(op, toSeconds);
}

/**
 * The known members of an operation, its timestamps converted by `time` (the console keeps epoch
 * ms and passes the identity). Kept apart from operationToWire, which is used as a map callback.
 */
export function copyOperation(op: OperationRecord, time: (ms: number) => number): Operation {
  const out: Operation = {
    Id: op.Id,
    Type: op.Type,
    Status: op.Status,
    StartTimestamp: time(op.StartTimestamp),
  };
  if (present(op.ParentId)) out.ParentId = op.ParentId;
  if (present(op.Name)) out.Name = op.Name;
  if (present(op.SubType)) out.SubType = op.SubType;
  if (present(op.EndTimestamp)) out.EndTimestamp = time(op.EndTimestamp);
  if (present(op.ExecutionDetails)) {
    const d = op.ExecutionDetails;
    out.ExecutionDetails = present(d.InputPayload) ? { InputPayload: d.InputPayload } : {};
  }
  if (present(op.ContextDetails)) {
    const d = op.ContextDetails;
    out.ContextDetails = {
      ...(present(d.ReplayChildren) ? { ReplayChildren: d.ReplayChildren } : {}),
      ...outcome(d),
    };
  }
  if (present(op.StepDetails)) {
    const d = op.StepDetails;
    out.StepDetails = {
      ...(present(d.Attempt) ? { Attempt: d.Attempt } : {}),
      ...(present(d.NextAttemptTimestamp) ? { NextAttemptTimestamp: time(d.NextAttemptTimestamp) } : {}),
      ...outcome(d),
    };
  }
  if (present(op.WaitDetails)) {
    out.WaitDetails = { ScheduledEndTimestamp: time(op.WaitDetails.ScheduledEndTimestamp) };
  }
  if (present(op.CallbackDetails)) {
    out.CallbackDetails = { CallbackId: op.CallbackDetails.CallbackId, ...outcome(op.CallbackDetails) };
  }
  if (present(op.ChainedInvokeDetails)) out.ChainedInvokeDetails = outcome(op.ChainedInvokeDetails);
  return out;
}

/** The payload wrappers of event details (spec §7.3.1) that IncludeExecutionData=false empties. */
const PAYLOAD_WRAPPERS = new Set(["Input", "Result", "Error"]);

function detailsToWire(details: Record<string, unknown> | null | undefined, includeData: boolean) {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details ?? {})) {
    if (!present(value)) continue;
    if (!includeData && PAYLOAD_WRAPPERS.has(key) && typeof value === "object" && !Array.isArray(value)) {
      const { Payload: _dropped, ...rest } = value as Record<string, unknown>;
      out[key] = rest;
    } else {
      out[key] = value;
    }
  }
  return out;
}

export function eventToWire(ev: EventRecord, includeData: boolean): HistoryEvent {
  const out: HistoryEvent = {
    EventType: ev.type,
    EventId: ev.eventId,
    EventTimestamp: toSeconds(ev.timestamp),
  };
  if (present(ev.operationId)) out.Id = ev.operationId;
  if (present(ev.name)) out.Name = ev.name;
  if (present(ev.subType)) out.SubType = ev.subType;
  if (present(ev.parentId)) out.ParentId = ev.parentId;
  // Always present, `{}` when empty: the official cloud runner throws "Details missing" otherwise.
  out[`${ev.type}Details`] = detailsToWire(ev.details, includeData);
  return out;
}

const TERMINAL_WITH_ERROR = new Set(["FAILED", "TIMED_OUT", "STOPPED"]);

export function executionToWire(
  rec: ExecutionRecord,
  includeData: boolean,
  arnContext: ArnContext,
): GetDurableExecutionResponse {
  const out: GetDurableExecutionResponse = {
    DurableExecutionArn: rec.arn,
    DurableExecutionName: rec.name,
    FunctionArn: functionArn(arnContext, rec.functionName, rec.version),
    Status: rec.status,
    StartTimestamp: toSeconds(rec.startedAt),
    Version: rec.version,
    ExecutionDataIncluded: includeData,
    DurableConfig: {
      ExecutionTimeout: rec.config.executionTimeoutSeconds,
      RetentionPeriodInDays: rec.config.retentionDays,
      ...(present(rec.config.kmsKeyArn) ? { KMSKeyArn: rec.config.kmsKeyArn } : {}),
    },
  };
  if (present(rec.endedAt)) out.EndTimestamp = toSeconds(rec.endedAt);
  if (includeData) {
    if (present(rec.input)) out.InputPayload = rec.input;
    if (rec.status === "SUCCEEDED" && present(rec.result)) out.Result = rec.result;
    if (TERMINAL_WITH_ERROR.has(rec.status) && present(rec.error)) out.Error = errorToWire(rec.error);
  }
  if (present(rec.traceId)) out.TraceHeader = { XAmznTraceId: rec.traceId };
  return out;
}

export function summaryToWire(
  rec: ExecutionRecord,
  arnContext: ArnContext,
): ExecutionSummary & { KMSKeyArn?: string } {
  const out: ExecutionSummary & { KMSKeyArn?: string } = {
    DurableExecutionArn: rec.arn,
    DurableExecutionName: rec.name,
    FunctionArn: functionArn(arnContext, rec.functionName, rec.version),
    Status: rec.status,
    StartTimestamp: toSeconds(rec.startedAt),
  };
  if (present(rec.endedAt)) out.EndTimestamp = toSeconds(rec.endedAt);
  if (present(rec.config.kmsKeyArn)) out.KMSKeyArn = rec.config.kmsKeyArn;
  return out;
}

/** Lambda's function-error body (`X-Amz-Function-Error: Unhandled`). */
export interface FunctionErrorBody {
  errorType: string;
  errorMessage: string;
  errorData?: string;
  stackTrace?: string[];
}

export function functionErrorBody(
  error: ErrorObject | null | undefined,
  fallbackType: string,
  fallbackMessage: string,
): FunctionErrorBody {
  const out: FunctionErrorBody = {
    errorType: present(error?.ErrorType) ? error.ErrorType : fallbackType,
    errorMessage: present(error?.ErrorMessage) ? error.ErrorMessage : fallbackMessage,
  };
  if (present(error?.ErrorData)) out.errorData = error.ErrorData;
  if (present(error?.StackTrace)) out.stackTrace = [...error.StackTrace];
  return out;
}

/** Lambda's FunctionConfiguration, the members a durable-function user looks at. */
export function functionConfiguration(
  fn: FunctionSummary,
  arnContext: ArnContext,
  arnQualifier?: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    FunctionName: fn.name,
    FunctionArn: functionArn(arnContext, fn.name, arnQualifier),
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memoryMb,
    Version: fn.version,
    PackageType: "Zip",
    // Always ready: waiters such as FunctionActiveV2 poll State/LastUpdateStatus.
    State: "Active",
    LastUpdateStatus: "Successful",
  };
  if (fn.runtime) out.Runtime = fn.runtime;
  if (fn.handler) out.Handler = fn.handler;
  if (fn.environment) out.Environment = { Variables: fn.environment };
  // Lambda's own timestamp format here: 2026-01-31T12:00:00.000+0000.
  if (fn.lastModified !== undefined)
    out.LastModified = new Date(fn.lastModified).toISOString().replace("Z", "+0000");
  if (fn.durable) {
    const durableConfig: Record<string, number> = {};
    if (present(fn.executionTimeoutSeconds)) durableConfig.ExecutionTimeout = fn.executionTimeoutSeconds;
    if (present(fn.retentionDays)) durableConfig.RetentionPeriodInDays = fn.retentionDays;
    out.DurableConfig = durableConfig;
  }
  return out;
}
