// Literal records for the contract suite. Only the fields a test is about are passed in; the rest is
// a plausible RUNNING execution.
import type { Decision, EventRecord, ExecutionRecord, OperationRecord } from "@dormouse/engine";
import { DEFAULT_ARN_CONTEXT, executionArn } from "@dormouse/protocol";

export const T0 = 1_700_000_000_000;

export function executionRecord(
  fields: Partial<ExecutionRecord> & { name: string; functionName?: string; executionId?: string },
): ExecutionRecord {
  const functionName = fields.functionName ?? "orders";
  const version = fields.version ?? "$LATEST";
  const executionId = fields.executionId ?? `id-${fields.name}`;
  return {
    arn: executionArn(DEFAULT_ARN_CONTEXT, functionName, version, fields.name, executionId),
    executionId,
    functionName,
    version,
    status: "RUNNING",
    startedAt: T0,
    input: "{}",
    executionOpId: `op-${fields.name}`,
    config: { executionTimeoutSeconds: 3600, retentionDays: 7, functionTimeoutSeconds: 30 },
    nextEventId: 1,
    nextSeq: 1,
    lastEpoch: 0,
    dirty: [],
    consecutiveFailures: 0,
    rev: 1,
    ...fields,
  };
}

export function operationRecord(
  id: string,
  seq: number,
  fields: Partial<OperationRecord> = {},
): OperationRecord {
  return { Id: id, Type: "STEP", Status: "STARTED", StartTimestamp: T0 + seq, seq, ...fields };
}

export function eventRecord(eventId: number, fields: Partial<EventRecord> = {}): EventRecord {
  return { eventId, type: "StepStarted", timestamp: T0 + eventId, details: {}, ...fields };
}

/** The decision that creates `execution`. */
export function createDecision(execution: ExecutionRecord, parts: Partial<Decision> = {}): Decision {
  return { ...emptyDecision(execution), created: true, ...parts };
}

/** The decision that moves `previous` to its next revision with `changes` applied. */
export function updateDecision(
  previous: ExecutionRecord,
  changes: Partial<ExecutionRecord> = {},
  parts: Partial<Decision> = {},
): Decision {
  return { ...emptyDecision({ ...previous, ...changes, rev: previous.rev + 1 }), ...parts };
}

function emptyDecision(execution: ExecutionRecord): Decision {
  return { execution, operations: [], events: [], schedule: [], unschedule: [], callbacks: [] };
}
