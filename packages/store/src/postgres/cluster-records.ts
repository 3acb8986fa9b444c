// Nodes, lease holders, due work claims and locks in PostgreSQL (see 0003_cluster.sql and
// ../cluster.ts). Claims are one statement (statements.ts claimDueWork) whose SKIP LOCKED gives
// nodes claiming at the same moment different rows. A lock is a session advisory lock held on a
// connection of its own while the work runs on the pool.
import type { DueWorkKey } from "@dormouse/engine";
import type pg from "pg";
import type { ClaimQuery, ClaimedWork, NodeRecord, OrphanedLease } from "../cluster.js";
import { dueWorkFromRow, type DueWorkRow } from "../due-work-rows.js";
import { bind, statements } from "./statements.js";
import { checkout } from "./connection.js";

interface NodeRow {
  node_id: string;
  started_at: number;
  heartbeat_at: number;
  url: string;
}

/** Per lock name and schema, and apart from the transaction locks of function-records.ts. */
const LOCK =
  "SELECT pg_advisory_lock(hashtext('dormouse.lock:' || $1), hashtext(coalesce(current_schema(), '')))";
const UNLOCK =
  "SELECT pg_advisory_unlock(hashtext('dormouse.lock:' || $1), hashtext(coalesce(current_schema(), '')))";

export class PostgresClusterRecords {
  constructor(private readonly pool: pg.Pool) {}

  async heartbeat(node: NodeRecord): Promise<void> {
    await this.pool.query(
      bind(statements.heartbeat, [node.nodeId, node.startedAt, node.heartbeatAt, node.url]),
    );
  }

  async removeNode(nodeId: string): Promise<void> {
    await this.pool.query(bind(statements.removeNode, [nodeId]));
  }

  async pruneNodes(heartbeatBefore: number): Promise<number> {
    return (await this.pool.query(bind(statements.pruneNodes, [heartbeatBefore]))).rowCount ?? 0;
  }

  async listNodes(): Promise<NodeRecord[]> {
    const { rows } = await this.pool.query<NodeRow>(bind(statements.listNodes, []));
    return rows.map((row) => ({
      nodeId: row.node_id,
      startedAt: row.started_at,
      heartbeatAt: row.heartbeat_at,
      url: row.url,
    }));
  }

  async orphanedLeases(aliveSince: number, exceptNode: string): Promise<OrphanedLease[]> {
    const { rows } = await this.pool.query<{ arn: string; lease_node: string | null }>(
      bind(statements.orphanedLeases, [aliveSince, exceptNode]),
    );
    return rows.map((row) =>
      row.lease_node === null ? { arn: row.arn } : { arn: row.arn, node: row.lease_node },
    );
  }

  async claimDueWork(q: ClaimQuery): Promise<ClaimedWork> {
    const free = [...q.free];
    // The last row has only due_at (the next due instant).
    const { rows } = await this.pool.query<DueWorkRow | (Omit<DueWorkRow, "arn"> & { arn: null })>(
      bind(statements.claimDueWork, [
        q.now,
        q.node,
        q.aliveSince,
        Math.max(0, Math.floor(q.limit)),
        free.map(([name]) => name),
        free.map(([, n]) => Math.max(0, Math.floor(n))),
        Math.max(0, Math.floor(q.defaultFree)),
      ]),
    );
    let nextDueAt: number | undefined;
    const work = [];
    for (const row of rows) {
      if (row.arn === null) nextDueAt = row.due_at ?? undefined;
      else work.push(dueWorkFromRow(row));
    }
    work.sort((a, b) => a.dueAt - b.dueAt || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
    return nextDueAt === undefined ? { work } : { work, nextDueAt };
  }

  async releaseClaims(nodeId: string, keys?: DueWorkKey[]): Promise<void> {
    await this.pool.query(
      keys === undefined
        ? bind(statements.releaseClaims, [nodeId])
        : bind(statements.releaseClaimsOf, [
            nodeId,
            keys.map((k) => k.arn),
            keys.map((k) => k.kind),
            keys.map((k) => k.operationId),
          ]),
    );
  }

  async withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    const client = await checkout(this.pool);
    let broken: Error | undefined;
    try {
      await client.query(LOCK, [name]);
    } catch (error) {
      client.release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    try {
      return await work();
    } finally {
      // If the connection broke, PostgreSQL released the lock with it.
      await client.query(UNLOCK, [name]).catch((error: unknown) => {
        broken = error instanceof Error ? error : new Error(String(error));
      });
      client.release(broken);
    }
  }
}
