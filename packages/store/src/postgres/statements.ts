// The fixed statements of the adapter. Each has a name, so node-postgres prepares it once per
// connection and then only binds and executes (listExecutions builds its SQL from the filters given,
// see list-executions.ts).
import type pg from "pg";

export interface Statement {
  name: string;
  text: string;
}

/** A named statement with its parameters, ready for `query`. */
export function bind(statement: Statement, values: unknown[]): pg.QueryConfig {
  return { name: statement.name, text: statement.text, values };
}

function statement(name: string, text: string): Statement {
  return { name: `dormouse_${name}`, text };
}

export const statements = {
  // The row and its operations in one statement, so one snapshot: the operations come back as one
  // JSON array text (each record is JSON already), parsed with a single JSON.parse.
  loadExecution: statement(
    "load_execution",
    `SELECT e.record,
            (SELECT '[' || string_agg(o.record, ',' ORDER BY o.seq, o.id) || ']'
               FROM operations o WHERE o.arn = e.arn) AS operations
       FROM executions e WHERE e.arn = $1`,
  ),
  getExecution: statement("get_execution", "SELECT record FROM executions WHERE arn = $1"),
  findExecutionByName: statement(
    "find_execution_by_name",
    "SELECT record FROM executions WHERE function_name = $1 AND name = $2",
  ),
  findCallback: statement("find_callback", "SELECT arn, operation_id FROM callbacks WHERE callback_id = $1"),
  historyForward: statement(
    "history_forward",
    `SELECT record FROM events WHERE arn = $1 AND event_id > $2 AND event_id < $3
      ORDER BY event_id ASC LIMIT $4`,
  ),
  historyReverse: statement(
    "history_reverse",
    `SELECT record FROM events WHERE arn = $1 AND event_id > $2 AND event_id < $3
      ORDER BY event_id DESC LIMIT $4`,
  ),
  historyOfTypesForward: statement(
    "history_of_types_forward",
    `SELECT record FROM events WHERE arn = $1 AND event_id > $2 AND event_id < $3 AND type = ANY ($4)
      ORDER BY event_id ASC LIMIT $5`,
  ),
  historyOfTypesReverse: statement(
    "history_of_types_reverse",
    `SELECT record FROM events WHERE arn = $1 AND event_id > $2 AND event_id < $3 AND type = ANY ($4)
      ORDER BY event_id DESC LIMIT $5`,
  ),
  countByStatus: statement(
    "count_by_status",
    "SELECT function_name, status, count(*) AS n FROM executions GROUP BY function_name, status",
  ),
  dueWork: statement(
    "due_work",
    `SELECT arn, kind, operation_id, due_at, data FROM due_work WHERE due_at <= $1
      ORDER BY due_at, arn, kind, operation_id LIMIT $2`,
  ),
  nextDueAt: statement("next_due_at", "SELECT min(due_at) AS due_at FROM due_work"),
  deleteDueWork: statement(
    "delete_due_work",
    "DELETE FROM due_work WHERE arn = $1 AND kind = $2 AND operation_id = $3",
  ),
  executionsWithLease: statement(
    "executions_with_lease",
    "SELECT arn FROM executions WHERE has_lease ORDER BY arn",
  ),
  applyDecision: statement(
    "apply_decision",
    `SELECT dormouse_apply_decision(${Array.from({ length: 33 }, (_, i) => `$${i + 1}`).join(", ")}) AS outcome`,
  ),

  // ---- the cluster (cluster-records.ts) ------------------------------------------------------
  heartbeat: statement(
    "heartbeat",
    `INSERT INTO nodes (node_id, started_at, heartbeat_at, url) VALUES ($1, $2, $3, $4)
     ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, url = excluded.url`,
  ),
  removeNode: statement("remove_node", "DELETE FROM nodes WHERE node_id = $1"),
  pruneNodes: statement("prune_nodes", "DELETE FROM nodes WHERE heartbeat_at < $1"),
  listNodes: statement("list_nodes", "SELECT * FROM nodes ORDER BY node_id"),
  orphanedLeases: statement(
    "orphaned_leases",
    `SELECT e.arn, e.lease_node FROM executions e
      WHERE e.has_lease AND (e.lease_node IS NULL OR e.lease_node <> $2)
        AND NOT EXISTS (SELECT 1 FROM nodes n WHERE n.node_id = e.lease_node AND n.heartbeat_at >= $1)
      ORDER BY e.arn`,
  ),
  // Rows due and free (unclaimed, or claimed by a node that is not alive), locked with SKIP LOCKED so
  // that nodes claiming at the same moment get different rows; then at most the node's free slots
  // of `invoke` rows per function, ranked by due time. Functions without a free slot are left out
  // of the candidates, so that their backlog does not hide other due rows. The last row of the
  // result is not a claim: it carries the next due instant.
  // $1 now, $2 node, $3 alive since, $4 limit, $5/$6 free slots by function, $7 other functions'.
  claimDueWork: statement(
    "claim_due_work",
    `WITH free AS (
       SELECT * FROM unnest($5::text[], $6::int[]) AS f (function_name, slots)
     ), candidates AS (
       SELECT d.arn, d.kind, d.operation_id, d.due_at
         FROM due_work d
        WHERE d.due_at <= $1
          AND (d.claimed_by IS NULL OR (d.claimed_by <> $2 AND NOT EXISTS (
                SELECT 1 FROM nodes n WHERE n.node_id = d.claimed_by AND n.heartbeat_at >= $3)))
          AND NOT (d.kind = 'invoke' AND EXISTS (
                SELECT 1 FROM executions e JOIN free f USING (function_name)
                 WHERE e.arn = d.arn AND f.slots <= 0))
        ORDER BY d.due_at, d.arn, d.kind, d.operation_id
        LIMIT $4
        FOR UPDATE OF d SKIP LOCKED
     ), ranked AS (
       SELECT c.*, e.function_name,
              row_number() OVER (PARTITION BY e.function_name ORDER BY c.due_at, c.arn) AS n
         FROM candidates c LEFT JOIN executions e ON c.kind = 'invoke' AND e.arn = c.arn
     ), chosen AS (
       SELECT r.arn, r.kind, r.operation_id FROM ranked r LEFT JOIN free f USING (function_name)
        WHERE r.function_name IS NULL OR r.n <= coalesce(f.slots, $7)
     ), claimed AS (
       UPDATE due_work d SET claimed_by = $2 FROM chosen c
        WHERE d.arn = c.arn AND d.kind = c.kind AND d.operation_id = c.operation_id
       RETURNING d.arn, d.kind, d.operation_id, d.due_at, d.data
     )
     SELECT arn, kind, operation_id, due_at, data FROM claimed
     UNION ALL
     SELECT NULL, NULL, NULL, (SELECT min(due_at) FROM due_work WHERE due_at > $1), NULL`,
  ),
  releaseClaims: statement("release_claims", "UPDATE due_work SET claimed_by = NULL WHERE claimed_by = $1"),
  releaseClaimsOf: statement(
    "release_claims_of",
    `UPDATE due_work d SET claimed_by = NULL
       FROM unnest($2::text[], $3::text[], $4::text[]) AS k (arn, kind, operation_id)
      WHERE d.claimed_by = $1 AND d.arn = k.arn AND d.kind = k.kind AND d.operation_id = k.operation_id`,
  ),
};

export type { DueWorkRow } from "../due-work-rows.js";
