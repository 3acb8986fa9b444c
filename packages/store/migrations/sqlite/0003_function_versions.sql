-- Function versions, aliases and the code they run (issue #3). Code is content-addressed: a blob is
-- one file's bytes keyed by its SHA-256; a revision is one function's configuration plus its file
-- manifest, keyed by the hash of both. Versions and aliases name revisions; executions pin one
-- through `codeId` in their record, so replays run the code they started on.

CREATE TABLE code_blobs (
  hash  TEXT NOT NULL PRIMARY KEY,
  bytes BLOB NOT NULL
) STRICT;

CREATE TABLE code_revisions (
  code_id       TEXT NOT NULL PRIMARY KEY,
  function_name TEXT NOT NULL,
  record        TEXT NOT NULL
) STRICT;

-- Which blobs a revision uses, so that unreferenced blobs can be collected with one query.
CREATE TABLE code_revision_blobs (
  code_id TEXT NOT NULL REFERENCES code_revisions (code_id) ON DELETE CASCADE,
  hash    TEXT NOT NULL REFERENCES code_blobs (hash),
  PRIMARY KEY (code_id, hash)
) STRICT, WITHOUT ROWID;

CREATE INDEX code_revision_blobs_by_hash ON code_revision_blobs (hash);

-- `$LATEST` has number 0; published versions count up from 1 per function and are never reused.
CREATE TABLE function_versions (
  function_name TEXT    NOT NULL,
  number        INTEGER NOT NULL,
  code_id       TEXT    NOT NULL REFERENCES code_revisions (code_id),
  published_at  INTEGER NOT NULL,
  PRIMARY KEY (function_name, number)
) STRICT, WITHOUT ROWID;

CREATE INDEX function_versions_by_code ON function_versions (code_id);

CREATE TABLE function_aliases (
  function_name TEXT    NOT NULL,
  name          TEXT    NOT NULL,
  version       TEXT    NOT NULL,
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (function_name, name)
) STRICT, WITHOUT ROWID;

-- Executions pin a revision inside their JSON record; collection asks which revisions are pinned.
CREATE INDEX executions_by_code ON executions (json_extract(record, '$.codeId'))
  WHERE json_extract(record, '$.codeId') IS NOT NULL;
