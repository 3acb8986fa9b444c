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
    `SELECT dormouse_apply_decision(${Array.from({ length: 30 }, (_, i) => `$${i + 1}`).join(", ")}) AS outcome`,
  ),
};

export interface DueWorkRow {
  arn: string;
  kind: string;
  operation_id: string;
  due_at: number;
  data: string | null;
}
