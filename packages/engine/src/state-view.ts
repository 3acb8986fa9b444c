// The operation list the function sees (spec §3.2): start order, EXECUTION first, children of
// finished contexts pruned unless the context asked to replay them, paged by a start-order marker.
import { invalidParameter } from "@dormouse/protocol";
import type { ExecutionState, OperationRecord } from "./model.js";
import { requireLease } from "./tokens.js";

export function visibleOperations(ops: ReadonlyMap<string, OperationRecord>): OperationRecord[] {
  const sorted = [...ops.values()].sort((a, b) => a.seq - b.seq);
  const hidden = new Set<string>();
  const out: OperationRecord[] = [];
  for (const op of sorted) {
    const parent = op.ParentId === undefined ? undefined : ops.get(op.ParentId);
    const prune =
      parent !== undefined &&
      (hidden.has(parent.Id) ||
        ((parent.Status === "SUCCEEDED" || parent.Status === "FAILED") &&
          parent.ContextDetails?.ReplayChildren !== true));
    if (prune) hidden.add(op.Id);
    else out.push(op);
  }
  return out;
}

export interface OperationsPage {
  operations: OperationRecord[];
  nextMarker?: string;
}

/** One page of visible operations starting at the marker (a start-order position). */
export function pageOperations(
  ops: ReadonlyMap<string, OperationRecord>,
  marker: string | undefined,
  maxItems: number,
  maxBytes = Infinity,
): OperationsPage {
  const from = marker === undefined ? 0 : decodeMarker(marker);
  const visible = visibleOperations(ops).filter((op) => op.seq >= from);
  const operations: OperationRecord[] = [];
  let bytes = 0;
  for (const op of visible) {
    if (operations.length >= maxItems) break;
    bytes += JSON.stringify(op).length;
    if (operations.length > 0 && bytes > maxBytes) break;
    operations.push(op);
  }
  const next = visible[operations.length];
  return next === undefined ? { operations } : { operations, nextMarker: encodeMarker(next.seq) };
}

export function getState(
  state: ExecutionState,
  token: string,
  marker: string | undefined,
  maxItems: number,
): OperationsPage {
  requireLease(state.execution, token, false);
  return pageOperations(state.operations, marker, maxItems === 0 ? 100 : maxItems);
}

const encodeMarker = (seq: number) => Buffer.from(`op:${seq}`, "utf8").toString("base64url");

function decodeMarker(marker: string): number {
  const m = /^op:(\d+)$/.exec(Buffer.from(marker, "base64url").toString("utf8"));
  if (!m) throw invalidParameter("Marker is not a marker this API returned.");
  return Number(m[1]);
}
