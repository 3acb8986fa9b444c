// Records → the console's JSON shapes (protocol/console.ts). Like wire.ts, every shape is built by
// copying known members, so internal fields (leases, nonces, tokens, rev, dirty, lastCheckpoint,
// heartbeat bookkeeping) never leak. Unlike the Lambda API, timestamps stay in epoch milliseconds.
import type { EventRecord, ExecutionRecord, OperationRecord } from "@dormouse/engine";
import type {
  ConsoleEvent,
  ConsoleExecutionDetail,
  ConsoleExecutionSummary,
  ConsoleFunction,
  ConsoleInvocation,
  ConsoleOperation,
} from "@dormouse/protocol";
import type { ConsoleFunctionInfo } from "@dormouse/scheduler";
import { copyOperation, errorToWire } from "./wire.js";

const present = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;
const identity = (ms: number): number => ms;

export function functionToConsole(info: ConsoleFunctionInfo): ConsoleFunction {
  const fn = info.summary;
  const out: ConsoleFunction = {
    name: fn.name,
    durable: fn.durable,
    runtime: fn.runtime,
    handler: fn.handler,
    timeoutSeconds: fn.timeoutSeconds,
    memoryMb: fn.memoryMb,
    versions: [...info.versions],
    aliases: info.aliases.map((a) => ({ name: a.name, version: a.version })),
    counts: { ...info.counts },
  };
  if (present(fn.executionTimeoutSeconds)) out.executionTimeoutSeconds = fn.executionTimeoutSeconds;
  if (present(fn.retentionDays)) out.retentionDays = fn.retentionDays;
  return out;
}

export function summaryToConsole(rec: ExecutionRecord): ConsoleExecutionSummary {
  const out: ConsoleExecutionSummary = {
    arn: rec.arn,
    name: rec.name,
    functionName: rec.functionName,
    version: rec.version,
    status: rec.status,
    startedAt: rec.startedAt,
  };
  if (present(rec.endedAt)) out.endedAt = rec.endedAt;
  return out;
}

export function detailToConsole(rec: ExecutionRecord): ConsoleExecutionDetail {
  const out: ConsoleExecutionDetail = {
    ...summaryToConsole(rec),
    input: rec.input,
    executionTimeoutSeconds: rec.config.executionTimeoutSeconds,
    retentionDays: rec.config.retentionDays,
  };
  if (rec.status === "SUCCEEDED" && present(rec.result)) out.result = rec.result;
  if (rec.status !== "SUCCEEDED" && rec.status !== "RUNNING" && present(rec.error)) {
    out.error = errorToWire(rec.error);
  }
  if (present(rec.tenantId)) out.tenantId = rec.tenantId;
  if (present(rec.parent)) out.parent = { arn: rec.parent.arn, operationId: rec.parent.operationId };
  return out;
}

export function operationToConsole(op: OperationRecord): ConsoleOperation {
  return { ...copyOperation(op, identity), seq: op.seq };
}

export function invocationToConsole(inv: ConsoleInvocation): ConsoleInvocation {
  const out: ConsoleInvocation = { number: inv.number, requestId: inv.requestId, startedAt: inv.startedAt };
  if (present(inv.endedAt)) out.endedAt = inv.endedAt;
  if (present(inv.error)) out.error = errorToWire(inv.error);
  return out;
}

/**
 * Event details are stored in the history's wire form, whose timestamps (`StartTimestamp`,
 * `ScheduledEndTimestamp`, …) are epoch seconds; here they become ms like every other console
 * timestamp. Durations (`Duration`, `Timeout`, …) stay in seconds, as their names say.
 */
export function eventToConsole(ev: EventRecord): ConsoleEvent {
  const details: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(ev.details ?? {})) {
    if (!present(value)) continue;
    details[key] = key.endsWith("Timestamp") && typeof value === "number" ? Math.round(value * 1000) : value;
  }
  const out: ConsoleEvent = { eventId: ev.eventId, type: ev.type, timestamp: ev.timestamp, details };
  if (present(ev.operationId)) out.operationId = ev.operationId;
  if (present(ev.name)) out.name = ev.name;
  if (present(ev.subType)) out.subType = ev.subType;
  if (present(ev.parentId)) out.parentId = ev.parentId;
  return out;
}
