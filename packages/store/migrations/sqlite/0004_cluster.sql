-- Several nodes on one database (docs/decisions/0004-cluster.md). SQLite is one process's store, so
-- it never has a second node; it keeps the same columns and tables as PostgreSQL so that both pass
-- one contract suite and a database's shape does not depend on its dialect.

-- The node holding the invocation lease (the record's `invocation.node`): when that node stops
-- heartbeating, another one ends the lease and invokes the execution again.
ALTER TABLE executions ADD COLUMN lease_node TEXT;

-- The node handling a due row now; NULL when nobody is. A claim lasts while its node is alive, and
-- scheduling a row again frees it.
ALTER TABLE due_work ADD COLUMN claimed_by TEXT;

CREATE INDEX due_work_by_claim ON due_work (claimed_by) WHERE claimed_by IS NOT NULL;

CREATE TABLE nodes (
  node_id      TEXT    NOT NULL PRIMARY KEY,
  started_at   INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  url          TEXT    NOT NULL
) STRICT;
