// Turns one engine decision into the parameters of dormouse_apply_decision (migrations 0002, 0003):
// the execution row's columns, parallel arrays for operations, events, due work and callbacks, then
// the lease's node and the commit's claim.
import type { Decision, DueWork, DueWorkKey, OperationRecord } from "@dormouse/engine";
import type { DueWorkClaim } from "../cluster.js";

/** Its 33 parameters, in the order of the function's signature. */
export function decisionParameters(decision: Decision, claim?: DueWorkClaim): unknown[] {
  const { execution } = decision;
  checkKeys(decision);
  const operations = lastByKey(decision.operations, (op) => op.Id);
  const schedule = lastByKey(decision.schedule, dueWorkKey);
  return [
    decision.created === true,
    decision.purge === true,
    execution.arn,
    execution.functionName,
    execution.name,
    execution.version,
    execution.status,
    execution.startedAt,
    execution.endedAt ?? null,
    execution.rev,
    execution.invocation !== undefined,
    execution.codeId ?? null,
    JSON.stringify(execution),
    operations.map((op) => op.Id),
    operations.map((op) => op.seq),
    operations.map((op: OperationRecord) => JSON.stringify(op)),
    decision.events.map((e) => e.eventId),
    decision.events.map((e) => e.type),
    decision.events.map((e) => JSON.stringify(e)),
    decision.unscheduleAll === true,
    decision.unschedule.map((k) => k.arn),
    decision.unschedule.map((k) => k.kind),
    decision.unschedule.map((k) => k.operationId),
    schedule.map((w) => w.arn),
    schedule.map((w) => w.kind),
    schedule.map((w) => w.operationId),
    schedule.map((w) => w.dueAt),
    schedule.map((w: DueWork) => (w.data === undefined ? null : JSON.stringify(w.data))),
    decision.callbacks.map((c) => c.callbackId),
    decision.callbacks.map((c) => c.operationId),
    execution.invocation?.node ?? null,
    claim?.node ?? null,
    claim === undefined ? null : Math.max(Number.MIN_SAFE_INTEGER, Math.floor(claim.dueBy)),
  ];
}

/**
 * Records go in as JSON text, which escapes everything; keys go in as they are, and PostgreSQL
 * text cannot hold NUL, while the driver would silently replace a lone surrogate with U+FFFD (two
 * different keys could then become one). Such a key is refused before anything is written.
 */
function checkKeys(decision: Decision): void {
  const { execution } = decision;
  const keys: [string, string][] = [
    ["execution arn", execution.arn],
    ["function name", execution.functionName],
    ["execution name", execution.name],
    ["version", execution.version],
    ...(execution.codeId !== undefined ? [["code id", execution.codeId] as [string, string]] : []),
    ...(execution.invocation?.node !== undefined
      ? [["lease node", execution.invocation.node] as [string, string]]
      : []),
    ...decision.operations.map((op): [string, string] => ["operation id", op.Id]),
    ...decision.callbacks.flatMap((c): [string, string][] => [
      ["callback id", c.callbackId],
      ["callback operation id", c.operationId],
    ]),
    ...[...decision.schedule, ...decision.unschedule].flatMap((k): [string, string][] => [
      ["due work arn", k.arn],
      ["due work operation id", k.operationId],
    ]),
  ];
  for (const [what, value] of keys) {
    if (UNSTORABLE.test(value)) {
      throw new TypeError(
        `${what} ${JSON.stringify(value)} contains a NUL character or a lone surrogate, which PostgreSQL cannot store`,
      );
    }
  }
}

const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Applied one after another, a later entry with the same key replaces an earlier one. */
function lastByKey<T>(items: T[], key: (item: T) => string): T[] {
  if (items.length < 2) return items;
  return [...new Map(items.map((item) => [key(item), item])).values()];
}

function dueWorkKey(key: DueWorkKey): string {
  return JSON.stringify([key.arn, key.kind, key.operationId]);
}
