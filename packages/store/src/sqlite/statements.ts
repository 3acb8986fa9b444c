// Every fixed statement the adapter runs, prepared once per connection. (listExecutions builds its
// SQL from the filters given and caches those statements in the store.)
import type Database from "better-sqlite3";
import type { DueWorkRow } from "../due-work-rows.js";

export interface ExecutionRow {
  arn: string;
  function_name: string;
  name: string;
  version: string;
  status: string;
  started_at: number;
  ended_at: number | null;
  rev: number;
  has_lease: number;
  lease_node: string | null;
  record: string;
}

export type Statements = ReturnType<typeof prepareStatements>;

export function prepareStatements(db: Database.Database) {
  const columns =
    "arn, function_name, name, version, status, started_at, ended_at, rev, has_lease, lease_node, record";
  const values =
    "@arn, @function_name, @name, @version, @status, @started_at, @ended_at, @rev, @has_lease, @lease_node, @record";
  return {
    // ON CONFLICT DO NOTHING covers both the arn and the (function_name, name) constraint: a
    // change count of 0 means "already exists", reported as a ConflictError.
    insertExecution: db.prepare<[ExecutionRow]>(
      `INSERT INTO executions (${columns}) VALUES (${values}) ON CONFLICT DO NOTHING`,
    ),
    // Compare-and-set on rev: optimistic concurrency between decisions on one execution.
    // function_name, name, version and started_at never change after the insert, so they are not
    // SET: SQLite rewrites every index that covers a SET column, even to the same value, and this
    // runs on every checkpoint (3 index pages fewer in the WAL per commit).
    updateExecution: db.prepare<[ExecutionRow & { expected_rev: number }]>(
      `UPDATE executions SET status = @status, ended_at = @ended_at, rev = @rev,
         has_lease = @has_lease, lease_node = @lease_node, record = @record
       WHERE arn = @arn AND rev = @expected_rev`,
    ),
    upsertOperation: db.prepare<[string, string, number, string]>(
      `INSERT INTO operations (arn, id, seq, record) VALUES (?, ?, ?, ?)
       ON CONFLICT (arn, id) DO UPDATE SET seq = excluded.seq, record = excluded.record`,
    ),
    insertEvent: db.prepare<[string, number, string]>(
      "INSERT INTO events (arn, event_id, record) VALUES (?, ?, ?)",
    ),
    insertCallback: db.prepare<[string, string, string]>(
      "INSERT INTO callbacks (callback_id, arn, operation_id) VALUES (?, ?, ?)",
    ),
    // Scheduling a row again is new work: whoever claimed the old one no longer holds it.
    upsertDueWork: db.prepare<[string, string, string, number, string | null, string | null]>(
      `INSERT INTO due_work (arn, kind, operation_id, due_at, data, claimed_by) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (arn, kind, operation_id) DO UPDATE SET due_at = excluded.due_at, data = excluded.data,
         claimed_by = excluded.claimed_by`,
    ),
    deleteDueWork: db.prepare<[string, string, string]>(
      "DELETE FROM due_work WHERE arn = ? AND kind = ? AND operation_id = ?",
    ),
    deleteAllDueWork: db.prepare<[string]>("DELETE FROM due_work WHERE arn = ?"),
    // Purge: children first, so the foreign keys hold at every step.
    purge: [
      db.prepare<[string]>("DELETE FROM operations WHERE arn = ?"),
      db.prepare<[string]>("DELETE FROM events WHERE arn = ?"),
      db.prepare<[string]>("DELETE FROM callbacks WHERE arn = ?"),
      db.prepare<[string]>("DELETE FROM due_work WHERE arn = ?"),
      db.prepare<[string]>("DELETE FROM executions WHERE arn = ?"),
    ],

    getExecution: db.prepare<[string], string>("SELECT record FROM executions WHERE arn = ?").pluck(),
    findExecutionByName: db
      .prepare<[string, string], string>("SELECT record FROM executions WHERE function_name = ? AND name = ?")
      .pluck(),
    operationsInOrder: db
      .prepare<[string], string>("SELECT record FROM operations WHERE arn = ? ORDER BY seq, id")
      .pluck(),
    findCallback: db.prepare<[string], { arn: string; operation_id: string }>(
      "SELECT arn, operation_id FROM callbacks WHERE callback_id = ?",
    ),
    historyForward: db
      .prepare<[string, number, number, number], string>(
        `SELECT record FROM events WHERE arn = ? AND event_id > ? AND event_id < ?
         ORDER BY event_id ASC LIMIT ?`,
      )
      .pluck(),
    historyReverse: db
      .prepare<[string, number, number, number], string>(
        `SELECT record FROM events WHERE arn = ? AND event_id > ? AND event_id < ?
         ORDER BY event_id DESC LIMIT ?`,
      )
      .pluck(),
    // The type lives only inside the JSON record; scanning one execution's events for it is cheap
    // enough for what asks (the console's invocation timeline), and keeps the write path unindexed.
    historyOfTypesForward: db
      .prepare<[string, number, number, string, number], string>(
        `SELECT record FROM events WHERE arn = ? AND event_id > ? AND event_id < ?
           AND json_extract(record, '$.type') IN (SELECT value FROM json_each(?))
         ORDER BY event_id ASC LIMIT ?`,
      )
      .pluck(),
    historyOfTypesReverse: db
      .prepare<[string, number, number, string, number], string>(
        `SELECT record FROM events WHERE arn = ? AND event_id > ? AND event_id < ?
           AND json_extract(record, '$.type') IN (SELECT value FROM json_each(?))
         ORDER BY event_id DESC LIMIT ?`,
      )
      .pluck(),
    countByStatus: db.prepare<[], { function_name: string; status: string; n: number }>(
      "SELECT function_name, status, count(*) AS n FROM executions GROUP BY function_name, status",
    ),
    dueWork: db.prepare<[number, number], DueWorkRow>(
      `SELECT arn, kind, operation_id, due_at, data FROM due_work WHERE due_at <= ?
       ORDER BY due_at, arn, kind, operation_id LIMIT ?`,
    ),
    nextDueAt: db.prepare<[], number | null>("SELECT min(due_at) FROM due_work").pluck(),
    executionsWithLease: db
      .prepare<[], string>("SELECT arn FROM executions WHERE has_lease = 1 ORDER BY arn")
      .pluck(),
  };
}
