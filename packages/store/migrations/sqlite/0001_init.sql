-- Initial schema. Append-only: never edit a migration that has shipped, add 0002_… instead.
--
-- Every row keeps its whole record as JSON in `record` (what the code reads back), plus the few
-- fields that queries filter or sort on as plain columns (duplicated only so they can be indexed).
-- JSON text round-trips strings byte-exactly and keeps an absent member absent.

CREATE TABLE executions (
  arn           TEXT    NOT NULL PRIMARY KEY,
  function_name TEXT    NOT NULL,
  name          TEXT    NOT NULL,
  version       TEXT    NOT NULL,
  status        TEXT    NOT NULL,
  started_at    INTEGER NOT NULL,
  ended_at      INTEGER,
  rev           INTEGER NOT NULL,
  -- 1 while an invocation lease is held; recovery after a restart starts from these.
  has_lease     INTEGER NOT NULL DEFAULT 0,
  record        TEXT    NOT NULL
) STRICT;

-- Names are unique per function (spec §1.3).
CREATE UNIQUE INDEX executions_by_name ON executions (function_name, name);
-- ListDurableExecutionsByFunction pages on (started_at, arn).
CREATE INDEX executions_by_start ON executions (function_name, started_at, arn);
CREATE INDEX executions_with_lease ON executions (arn) WHERE has_lease = 1;

CREATE TABLE operations (
  arn    TEXT    NOT NULL REFERENCES executions (arn),
  id     TEXT    NOT NULL,
  seq    INTEGER NOT NULL,
  record TEXT    NOT NULL,
  PRIMARY KEY (arn, id)
) STRICT, WITHOUT ROWID;

CREATE INDEX operations_by_seq ON operations (arn, seq);

CREATE TABLE events (
  arn      TEXT    NOT NULL REFERENCES executions (arn),
  event_id INTEGER NOT NULL,
  record   TEXT    NOT NULL,
  PRIMARY KEY (arn, event_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE callbacks (
  callback_id  TEXT NOT NULL PRIMARY KEY,
  arn          TEXT NOT NULL REFERENCES executions (arn),
  operation_id TEXT NOT NULL
) STRICT;

CREATE INDEX callbacks_by_arn ON callbacks (arn);

-- No foreign key here: a decision may schedule work for another execution (a chained target's
-- completion is delivered to its caller), and the scheduler copes with work whose row is gone.
CREATE TABLE due_work (
  arn          TEXT    NOT NULL,
  kind         TEXT    NOT NULL,
  operation_id TEXT    NOT NULL,
  due_at       INTEGER NOT NULL,
  data         TEXT,
  PRIMARY KEY (arn, kind, operation_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX due_work_by_due_at ON due_work (due_at);
