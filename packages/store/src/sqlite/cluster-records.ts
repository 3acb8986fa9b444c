// Nodes, lease holders and due work claims in SQLite (see 0004_cluster.sql and ../cluster.ts). One
// process owns a SQLite file, so the server never runs these in production; they keep the dialects
// equal under the contract suite. Each write is one synchronous transaction: nothing interleaves.
import type { DueWork, DueWorkKey } from "@dormouse/engine";
import type Database from "better-sqlite3";
import type { ClaimQuery, ClaimedWork, NodeRecord, OrphanedLease } from "../cluster.js";
import { dueWorkFromRow, type DueWorkRow } from "../due-work-rows.js";

interface NodeRow {
  node_id: string;
  started_at: number;
  heartbeat_at: number;
  url: string;
}

interface CandidateRow extends DueWorkRow {
  function_name: string | null;
}

export class SqliteClusterRecords {
  readonly heartbeat: (node: NodeRecord) => void;
  readonly removeNode: (nodeId: string) => void;
  readonly pruneNodes: (heartbeatBefore: number) => number;
  readonly listNodes: () => NodeRecord[];
  readonly orphanedLeases: (aliveSince: number, exceptNode: string) => OrphanedLease[];
  readonly claimDueWork: (query: ClaimQuery) => ClaimedWork;
  readonly releaseClaims: (nodeId: string, keys?: DueWorkKey[]) => void;

  constructor(db: Database.Database) {
    const upsertNode = db.prepare<[NodeRow]>(
      `INSERT INTO nodes (node_id, started_at, heartbeat_at, url)
       VALUES (@node_id, @started_at, @heartbeat_at, @url)
       ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, url = excluded.url`,
    );
    const deleteNode = db.prepare<[string]>("DELETE FROM nodes WHERE node_id = ?");
    const deleteOldNodes = db.prepare<[number]>("DELETE FROM nodes WHERE heartbeat_at < ?");
    const allNodes = db.prepare<[], NodeRow>("SELECT * FROM nodes ORDER BY node_id");
    const orphans = db.prepare<
      { aliveSince: number; except: string },
      { arn: string; lease_node: string | null }
    >(
      `SELECT e.arn, e.lease_node FROM executions e
        WHERE e.has_lease = 1 AND (e.lease_node IS NULL OR e.lease_node <> @except)
          AND NOT EXISTS (
            SELECT 1 FROM nodes n WHERE n.node_id = e.lease_node AND n.heartbeat_at >= @aliveSince)
        ORDER BY e.arn`,
    );
    // Rows due and free: unclaimed, or claimed by a node that is not alive. `invoke` rows carry
    // their function, so that they are claimed only up to the node's free slots.
    const candidates = db.prepare<
      { now: number; node: string; aliveSince: number; full: string; limit: number },
      CandidateRow
    >(
      `SELECT d.arn, d.kind, d.operation_id, d.due_at, d.data, e.function_name
         FROM due_work d LEFT JOIN executions e ON d.kind = 'invoke' AND e.arn = d.arn
        WHERE d.due_at <= @now
          AND (d.claimed_by IS NULL OR (d.claimed_by <> @node AND NOT EXISTS (
                SELECT 1 FROM nodes n WHERE n.node_id = d.claimed_by AND n.heartbeat_at >= @aliveSince)))
          AND (e.function_name IS NULL OR e.function_name NOT IN (SELECT value FROM json_each(@full)))
        ORDER BY d.due_at, d.arn, d.kind, d.operation_id
        LIMIT @limit`,
    );
    const claim = db.prepare<[string, string, string, string]>(
      "UPDATE due_work SET claimed_by = ? WHERE arn = ? AND kind = ? AND operation_id = ?",
    );
    const nextDueAt = db
      .prepare<[number], number | null>("SELECT min(due_at) FROM due_work WHERE due_at > ?")
      .pluck();
    const release = db.prepare<[string]>("UPDATE due_work SET claimed_by = NULL WHERE claimed_by = ?");
    const releaseOne = db.prepare<[string, string, string, string]>(
      `UPDATE due_work SET claimed_by = NULL
        WHERE claimed_by = ? AND arn = ? AND kind = ? AND operation_id = ?`,
    );

    this.heartbeat = (node) =>
      void upsertNode.run({
        node_id: node.nodeId,
        started_at: node.startedAt,
        heartbeat_at: node.heartbeatAt,
        url: node.url,
      });
    this.removeNode = (nodeId) => void deleteNode.run(nodeId);
    this.pruneNodes = (before) => deleteOldNodes.run(before).changes;
    this.listNodes = () =>
      allNodes.all().map((row) => ({
        nodeId: row.node_id,
        startedAt: row.started_at,
        heartbeatAt: row.heartbeat_at,
        url: row.url,
      }));
    this.orphanedLeases = (aliveSince, exceptNode) =>
      orphans
        .all({ aliveSince, except: exceptNode })
        .map((row) => (row.lease_node === null ? { arn: row.arn } : { arn: row.arn, node: row.lease_node }));
    this.claimDueWork = db.transaction((q: ClaimQuery): ClaimedWork => {
      const full = [...q.free].filter(([, n]) => n <= 0).map(([name]) => name);
      const taken = new Map<string, number>();
      const work: DueWork[] = [];
      const rows = candidates.all({
        now: q.now,
        node: q.node,
        aliveSince: q.aliveSince,
        full: JSON.stringify(full),
        limit: Math.max(0, Math.floor(q.limit)),
      });
      for (const row of rows) {
        if (row.kind === "invoke" && row.function_name !== null) {
          const n = taken.get(row.function_name) ?? 0;
          if (n >= (q.free.get(row.function_name) ?? q.defaultFree)) continue;
          taken.set(row.function_name, n + 1);
        }
        claim.run(q.node, row.arn, row.kind, row.operation_id);
        work.push(dueWorkFromRow(row));
      }
      const next = nextDueAt.get(q.now) ?? undefined;
      return next === undefined ? { work } : { work, nextDueAt: next };
    }).immediate;
    this.releaseClaims = db.transaction((nodeId: string, keys?: DueWorkKey[]) => {
      if (keys === undefined) release.run(nodeId);
      else for (const k of keys) releaseOne.run(nodeId, k.arn, k.kind, k.operationId);
    });
  }
}
