// The scale-out store: PostgreSQL through a node-postgres pool. Several Dormouse nodes can share one
// database: every decision is a compare-and-set on the execution's `rev` (see 0002_apply_decision.sql),
// writes go through group commit (group-commit.ts), the schema is migrated once at open, and nodes,
// leases, claims and locks are in cluster-records.ts. A lost connection makes every call fail with
// StoreUnavailableError until the database answers again (health.ts).
import type {
  Decision,
  DueWork,
  DueWorkKey,
  EventRecord,
  ExecutionRecord,
  ExecutionState,
  OperationRecord,
} from "@dormouse/engine";
import { EXECUTION_STATUSES, type ExecutionStatus, type StatusCounts } from "@dormouse/protocol";
import type pg from "pg";
import type { ClaimQuery, ClaimedWork, DueWorkClaim, NodeRecord, OrphanedLease } from "../cluster.js";
import { encodeListCursor } from "../cursor.js";
import { dueWorkFromRow } from "../due-work-rows.js";
import type {
  AliasRecord,
  CodeBlob,
  CodeRevision,
  CollectedCode,
  FunctionVersionRecord,
} from "../function-records.js";
import type { HistoryQuery, ListExecutionsPage, ListExecutionsQuery, Store } from "../store.js";
import { decisionParameters } from "./apply-decision.js";
import { PostgresClusterRecords } from "./cluster-records.js";
import { connect, createPool, describeDatabase, type PostgresStoreOptions } from "./connection.js";
import { PostgresFunctionRecords } from "./function-records.js";
import { GroupCommitter } from "./group-commit.js";
import { ConnectionHealth } from "./health.js";
import { listExecutionsStatement } from "./list-executions.js";
import { migrate } from "./migrate.js";
import { bind, statements, type DueWorkRow } from "./statements.js";

export type { PostgresStoreOptions } from "./connection.js";

/** Connects, migrates the schema (once, whatever the number of nodes starting) and opens the store. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const pool = createPool(options);
  try {
    const client = await connect(pool, options);
    const location = describeDatabase(options.url) + (options.schema ? `, schema "${options.schema}"` : "");
    try {
      await migrate(client, location, options.schema);
    } finally {
      client.release();
    }
    return new PostgresStore(pool, location);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

const MAX_EVENT_ID = Number.MAX_SAFE_INTEGER;

export class PostgresStore implements Store {
  private readonly committer: GroupCommitter;
  private readonly functions: PostgresFunctionRecords;
  private readonly cluster: PostgresClusterRecords;
  private readonly health: ConnectionHealth;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    /** The database in messages: `host:port (database "…", user "…")`, never the password. */
    readonly location: string,
  ) {
    this.committer = new GroupCommitter(pool);
    this.functions = new PostgresFunctionRecords(pool);
    this.cluster = new PostgresClusterRecords(pool);
    this.health = new ConnectionHealth(location);
  }

  /** False while the database is known to be unreachable (calls are refused meanwhile). */
  get available(): boolean {
    return this.health.available;
  }

  async loadExecution(arn: string): Promise<ExecutionState | undefined> {
    const row = await this.one<{ record: string; operations: string | null }>(statements.loadExecution, [
      arn,
    ]);
    if (!row) return undefined;
    const operations = new Map<string, OperationRecord>();
    for (const op of JSON.parse(row.operations ?? "[]") as OperationRecord[]) operations.set(op.Id, op);
    return { execution: JSON.parse(row.record) as ExecutionRecord, operations };
  }

  async getExecution(arn: string): Promise<ExecutionRecord | undefined> {
    return parseRecord<ExecutionRecord>(await this.one(statements.getExecution, [arn]));
  }

  async findExecutionByName(functionName: string, name: string): Promise<ExecutionRecord | undefined> {
    return parseRecord<ExecutionRecord>(await this.one(statements.findExecutionByName, [functionName, name]));
  }

  async findCallback(callbackId: string): Promise<{ arn: string; operationId: string } | undefined> {
    const row = await this.one<{ arn: string; operation_id: string }>(statements.findCallback, [callbackId]);
    return row && { arn: row.arn, operationId: row.operation_id };
  }

  commit(decision: Decision, claim?: DueWorkClaim): Promise<void> {
    if (this.closing) return Promise.reject(new Error("the store is closed"));
    let params: unknown[];
    try {
      params = decisionParameters(decision, claim);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.health.run(() => this.committer.commit(decision.execution.arn, params));
  }

  async listExecutions(query: ListExecutionsQuery): Promise<ListExecutionsPage> {
    this.assertOpen();
    const limit = Math.max(0, Math.floor(query.limit));
    const { rows } = await this.health.run(() =>
      this.pool.query<{ record: string }>(listExecutionsStatement(query, limit)),
    );
    const items = rows.map((row) => JSON.parse(row.record) as ExecutionRecord);
    if (items.length <= limit) return { items };
    items.length = limit;
    const last = items[limit - 1];
    return last ? { items, next: encodeListCursor(last) } : { items };
  }

  async countByStatus(): Promise<Map<string, StatusCounts>> {
    const counts = new Map<string, StatusCounts>();
    for (const row of await this.all<{ function_name: string; status: string; n: number }>(
      statements.countByStatus,
      [],
    )) {
      let perStatus = counts.get(row.function_name);
      if (!perStatus) counts.set(row.function_name, (perStatus = zeroCounts()));
      perStatus[row.status as ExecutionStatus] = row.n;
    }
    return counts;
  }

  async history(arn: string, query: HistoryQuery): Promise<EventRecord[]> {
    const after = query.afterEventId ?? -1;
    const before = query.beforeEventId ?? MAX_EVENT_ID;
    const limit = Math.max(0, Math.floor(query.limit));
    const rows =
      query.types !== undefined
        ? await this.all<{ record: string }>(
            query.reverse ? statements.historyOfTypesReverse : statements.historyOfTypesForward,
            [arn, after, before, query.types, limit],
          )
        : await this.all<{ record: string }>(
            query.reverse ? statements.historyReverse : statements.historyForward,
            [arn, after, before, limit],
          );
    return rows.map((row) => JSON.parse(row.record) as EventRecord);
  }

  async dueWork(before: number, limit: number): Promise<DueWork[]> {
    const rows = await this.all<DueWorkRow>(statements.dueWork, [before, Math.max(0, Math.floor(limit))]);
    return rows.map(dueWorkFromRow);
  }

  async nextDueAt(): Promise<number | undefined> {
    return (await this.one<{ due_at: number | null }>(statements.nextDueAt, []))?.due_at ?? undefined;
  }

  async dropDueWork(key: DueWorkKey): Promise<void> {
    await this.all(statements.deleteDueWork, [key.arn, key.kind, key.operationId]);
  }

  async executionsWithLease(): Promise<string[]> {
    return (await this.all<{ arn: string }>(statements.executionsWithLease, [])).map((row) => row.arn);
  }

  // ---- the cluster (cluster-records.ts) -----------------------------------------------------------

  async heartbeat(node: NodeRecord): Promise<void> {
    await this.guard(() => this.cluster.heartbeat(node));
  }

  async removeNode(nodeId: string): Promise<void> {
    await this.guard(() => this.cluster.removeNode(nodeId));
  }

  pruneNodes(heartbeatBefore: number): Promise<number> {
    return this.guard(() => this.cluster.pruneNodes(heartbeatBefore));
  }

  listNodes(): Promise<NodeRecord[]> {
    return this.guard(() => this.cluster.listNodes());
  }

  orphanedLeases(aliveSince: number, exceptNode: string): Promise<OrphanedLease[]> {
    return this.guard(() => this.cluster.orphanedLeases(aliveSince, exceptNode));
  }

  claimDueWork(query: ClaimQuery): Promise<ClaimedWork> {
    return this.guard(() => this.cluster.claimDueWork(query));
  }

  async releaseClaims(nodeId: string, keys?: DueWorkKey[]): Promise<void> {
    await this.guard(() => this.cluster.releaseClaims(nodeId, keys));
  }

  withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    this.assertOpen();
    // Only taking the lock is guarded: what `work` throws is its own.
    let locked = false;
    return this.cluster
      .withLock(name, () => {
        locked = true;
        return work();
      })
      .catch((error: unknown) => {
        throw locked ? error : this.health.failed(error);
      });
  }

  async saveCode(revision: CodeRevision, blobs: CodeBlob[]): Promise<void> {
    this.assertOpen();
    await this.guard(() => this.functions.saveCode(revision, blobs));
  }

  async getCode(codeId: string): Promise<CodeRevision | undefined> {
    this.assertOpen();
    return this.guard(() => this.functions.getCode(codeId));
  }

  async getBlobs(hashes: string[]): Promise<CodeBlob[]> {
    this.assertOpen();
    return this.guard(() => this.functions.getBlobs(hashes));
  }

  async setLatest(functionName: string, codeId: string, at: number): Promise<FunctionVersionRecord> {
    this.assertOpen();
    return this.guard(() => this.functions.setLatest(functionName, codeId, at));
  }

  async publishVersion(functionName: string, codeId: string, at: number): Promise<FunctionVersionRecord> {
    this.assertOpen();
    return this.guard(() => this.functions.publishVersion(functionName, codeId, at));
  }

  async listFunctionVersions(functionName?: string): Promise<FunctionVersionRecord[]> {
    this.assertOpen();
    return this.guard(() => this.functions.listFunctionVersions(functionName));
  }

  async deleteFunctionVersion(functionName: string, version: string): Promise<void> {
    this.assertOpen();
    await this.guard(() => this.functions.deleteFunctionVersion(functionName, version));
  }

  async deleteFunction(functionName: string): Promise<void> {
    this.assertOpen();
    await this.guard(() => this.functions.deleteFunction(functionName));
  }

  async putAlias(alias: AliasRecord): Promise<void> {
    this.assertOpen();
    await this.guard(() => this.functions.putAlias(alias));
  }

  async listAliases(functionName?: string): Promise<AliasRecord[]> {
    this.assertOpen();
    return this.guard(() => this.functions.listAliases(functionName));
  }

  async collectCode(): Promise<CollectedCode> {
    this.assertOpen();
    // Queued decisions may pin a revision: write them before deciding what nothing references.
    await this.committer.drain();
    return this.guard(() => this.functions.collectCode());
  }

  /** Writes the commits still queued, then closes the pool's connections. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.committer.drain();
      await this.pool.end();
    })();
    return this.closing;
  }

  private async one<R extends pg.QueryResultRow>(
    statement: Statement,
    values: unknown[],
  ): Promise<R | undefined> {
    return (await this.all<R>(statement, values))[0];
  }

  private async all<R extends pg.QueryResultRow>(statement: Statement, values: unknown[]): Promise<R[]> {
    this.assertOpen();
    return (await this.health.run(() => this.pool.query<R>(bind(statement, values)))).rows;
  }

  /** Runs a call after checking the store is open, through the connection health (health.ts). */
  private guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.health.run(call);
  }

  private assertOpen(): void {
    if (this.closing) throw new Error("the store is closed");
  }
}

type Statement = (typeof statements)[keyof typeof statements];

function zeroCounts(): StatusCounts {
  return Object.fromEntries(EXECUTION_STATUSES.map((status) => [status, 0])) as StatusCounts;
}

function parseRecord<T>(row: { record: string } | undefined): T | undefined {
  return row === undefined ? undefined : (JSON.parse(row.record) as T);
}
