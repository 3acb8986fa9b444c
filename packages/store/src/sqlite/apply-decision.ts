// Writes one engine decision with the prepared statements. Runs inside a transaction (a savepoint
// of the group commit); throwing rolls back everything this decision wrote.
import type { Decision, ExecutionRecord } from "@dormouse/engine";
import type { DueWorkClaim } from "../cluster.js";
import { ConflictError } from "../store.js";
import type { ExecutionRow, Statements } from "./statements.js";

export function applyDecision(stmts: Statements, decision: Decision, claim?: DueWorkClaim): void {
  const { execution } = decision;
  if (decision.purge) {
    for (const stmt of stmts.purge) stmt.run(execution.arn);
    return;
  }

  const row = executionRow(execution);
  if (decision.created) {
    if (stmts.insertExecution.run(row).changes === 0) throw new ConflictError(execution.arn);
  } else if (stmts.updateExecution.run({ ...row, expected_rev: execution.rev - 1 }).changes === 0) {
    throw new ConflictError(execution.arn);
  }

  for (const op of decision.operations) {
    stmts.upsertOperation.run(execution.arn, op.Id, op.seq, JSON.stringify(op));
  }
  for (const event of decision.events) {
    stmts.insertEvent.run(execution.arn, event.eventId, JSON.stringify(event));
  }
  if (decision.unscheduleAll) stmts.deleteAllDueWork.run(execution.arn);
  for (const key of decision.unschedule) stmts.deleteDueWork.run(key.arn, key.kind, key.operationId);
  for (const work of decision.schedule) {
    const data = work.data === undefined ? null : JSON.stringify(work.data);
    const claimedBy = claim !== undefined && work.dueAt <= claim.dueBy ? claim.node : null;
    stmts.upsertDueWork.run(work.arn, work.kind, work.operationId, work.dueAt, data, claimedBy);
  }
  for (const cb of decision.callbacks) stmts.insertCallback.run(cb.callbackId, execution.arn, cb.operationId);
}

function executionRow(execution: ExecutionRecord): ExecutionRow {
  return {
    arn: execution.arn,
    function_name: execution.functionName,
    name: execution.name,
    version: execution.version,
    status: execution.status,
    started_at: execution.startedAt,
    ended_at: execution.endedAt ?? null,
    rev: execution.rev,
    has_lease: execution.invocation === undefined ? 0 : 1,
    lease_node: execution.invocation?.node ?? null,
    record: JSON.stringify(execution),
  };
}
