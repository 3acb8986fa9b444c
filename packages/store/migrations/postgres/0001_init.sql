-- The PostgreSQL schema: the same tables as migrations/sqlite/0001..0003. Append-only: never edit a
-- migration that has shipped, add 0003_… instead.
--
-- Every row keeps its whole record as JSON text in `record` (what the code reads back, byte for
-- byte), plus the few fields that queries filter or sort on as plain columns. TEXT, not JSONB: JSONB
-- cannot hold \u0000 or a lone surrogate escape, and would not give the text back as it was written.
-- Keys and sort columns are COLLATE "C" (byte order), so orderings and cursors are the same as
-- SQLite's and the JavaScript code's, whatever collation the database was created with.
-- Timestamps are epoch milliseconds in BIGINT.

-- Executions are updated on every checkpoint: room left on each page lets PostgreSQL keep the new
-- row version on the same page (a HOT update, no index writes) when no indexed column changes.
CREATE TABLE executions (
  arn           TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  function_name TEXT COLLATE "C" NOT NULL,
  name          TEXT COLLATE "C" NOT NULL,
  version       TEXT COLLATE "C" NOT NULL,
  status        TEXT COLLATE "C" NOT NULL,
  started_at    BIGINT  NOT NULL,
  ended_at      BIGINT,
  rev           BIGINT  NOT NULL,
  -- true while an invocation lease is held; recovery after a restart starts from these.
  has_lease     BOOLEAN NOT NULL DEFAULT false,
  -- The code revision the execution is pinned to (`codeId` of the record), for code collection.
  code_id       TEXT COLLATE "C",
  record        TEXT    NOT NULL
) WITH (fillfactor = 80);

-- Names are unique per function (spec §1.3).
CREATE UNIQUE INDEX executions_by_name ON executions (function_name, name);
-- ListDurableExecutionsByFunction pages on (started_at, arn); the console across all functions.
CREATE INDEX executions_by_start ON executions (function_name, started_at, arn);
CREATE INDEX executions_by_start_all ON executions (started_at, arn);
-- Counting by function and status reads this index alone.
CREATE INDEX executions_by_status ON executions (function_name, status);
CREATE INDEX executions_with_lease ON executions (arn) WHERE has_lease;
CREATE INDEX executions_by_code ON executions (code_id) WHERE code_id IS NOT NULL;

CREATE TABLE operations (
  arn    TEXT COLLATE "C" NOT NULL REFERENCES executions (arn),
  id     TEXT COLLATE "C" NOT NULL,
  seq    BIGINT NOT NULL,
  record TEXT   NOT NULL,
  PRIMARY KEY (arn, id)
);

CREATE INDEX operations_by_seq ON operations (arn, seq);

-- `type` is a copy of the record's, so that the console's timeline can filter on it.
CREATE TABLE events (
  arn      TEXT COLLATE "C" NOT NULL REFERENCES executions (arn),
  event_id BIGINT NOT NULL,
  type     TEXT COLLATE "C" NOT NULL,
  record   TEXT   NOT NULL,
  PRIMARY KEY (arn, event_id)
);

CREATE TABLE callbacks (
  callback_id  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  arn          TEXT COLLATE "C" NOT NULL REFERENCES executions (arn),
  operation_id TEXT COLLATE "C" NOT NULL
);

CREATE INDEX callbacks_by_arn ON callbacks (arn);

-- No foreign key here: a decision may schedule work for another execution (a chained target's
-- completion is delivered to its caller), and the scheduler copes with work whose row is gone.
CREATE TABLE due_work (
  arn          TEXT COLLATE "C" NOT NULL,
  kind         TEXT COLLATE "C" NOT NULL,
  operation_id TEXT COLLATE "C" NOT NULL,
  due_at       BIGINT NOT NULL,
  data         TEXT,
  PRIMARY KEY (arn, kind, operation_id)
);

CREATE INDEX due_work_by_due_at ON due_work (due_at);

-- Function versions, aliases and the code they run. Code is content-addressed: a blob is one file's
-- bytes keyed by its SHA-256; a revision is one function's configuration plus its file manifest,
-- keyed by the hash of both. Versions and aliases name revisions; executions pin one (code_id).

CREATE TABLE code_blobs (
  hash  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  bytes BYTEA NOT NULL
);

CREATE TABLE code_revisions (
  code_id       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  function_name TEXT COLLATE "C" NOT NULL,
  record        TEXT NOT NULL
);

-- Which blobs a revision uses, so that unreferenced blobs can be collected with one query.
CREATE TABLE code_revision_blobs (
  code_id TEXT COLLATE "C" NOT NULL REFERENCES code_revisions (code_id) ON DELETE CASCADE,
  hash    TEXT COLLATE "C" NOT NULL REFERENCES code_blobs (hash),
  PRIMARY KEY (code_id, hash)
);

CREATE INDEX code_revision_blobs_by_hash ON code_revision_blobs (hash);

-- `$LATEST` has number 0; published versions count up from 1 per function and are never reused.
CREATE TABLE function_versions (
  function_name TEXT COLLATE "C" NOT NULL,
  number        INTEGER NOT NULL,
  code_id       TEXT COLLATE "C" NOT NULL REFERENCES code_revisions (code_id),
  published_at  BIGINT  NOT NULL,
  PRIMARY KEY (function_name, number)
);

CREATE INDEX function_versions_by_code ON function_versions (code_id);

CREATE TABLE function_aliases (
  function_name TEXT COLLATE "C" NOT NULL,
  name          TEXT COLLATE "C" NOT NULL,
  version       TEXT COLLATE "C" NOT NULL,
  updated_at    BIGINT NOT NULL,
  PRIMARY KEY (function_name, name)
);
