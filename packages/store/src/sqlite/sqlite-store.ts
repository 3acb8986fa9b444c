// The embedded store: one SQLite file through better-sqlite3. Reads are synchronous queries behind the
// async port; writes go through group commit (see group-commit.ts).
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
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
import type { ClaimQuery, ClaimedWork, DueWorkClaim, NodeRecord, OrphanedLease } from "../cluster.js";
import { decodeListCursor, encodeListCursor } from "../cursor.js";
import type {
  AliasRecord,
  CodeBlob,
  CodeRevision,
  CollectedCode,
  FunctionVersionRecord,
} from "../function-records.js";
import type { HistoryQuery, ListExecutionsPage, ListExecutionsQuery, Store } from "../store.js";
import { applyDecision } from "./apply-decision.js";
import { dueWorkFromRow } from "../due-work-rows.js";
import { SqliteClusterRecords } from "./cluster-records.js";
import { SqliteFunctionRecords } from "./function-records.js";
import { GroupCommitter } from "./group-commit.js";
import { migrate } from "./migrate.js";
import { prepareStatements, type Statements } from "./statements.js";

export interface SqliteStoreOptions {
  /** Path of the database file; its directory is created when missing. */
  file: string;
  /** How long to wait for another connection's write lock, ms (default 5000). */
  busyTimeoutMs?: number;
}

export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
  const db = new Database(options.file, { timeout: options.busyTimeoutMs ?? 5000 });
  try {
    db.pragma("journal_mode = WAL");
    // FULL: the WAL is fsynced at every commit, so what was acknowledged survives a power cut.
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    migrate(db, options.file);
    return new SqliteStore(db, path.resolve(options.file));
  } catch (error) {
    db.close();
    throw error;
  }
}

const MAX_EVENT_ID = Number.MAX_SAFE_INTEGER;

export class SqliteStore implements Store {
  private readonly stmts: Statements;
  private readonly committer: GroupCommitter;
  private readonly listStatements = new Map<string, Database.Statement<Record<string, unknown>[], string>>();
  /** Execution row and operations read in one snapshot. */
  private readonly readState: (arn: string) => ExecutionState | undefined;
  private readonly functions: SqliteFunctionRecords;
  private readonly cluster: SqliteClusterRecords;
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    /** The file's absolute path: names its locks (see withLock). */
    private readonly file: string,
  ) {
    this.stmts = prepareStatements(db);
    this.functions = new SqliteFunctionRecords(db);
    this.cluster = new SqliteClusterRecords(db);
    this.committer = new GroupCommitter(db, (decision, claim) => applyDecision(this.stmts, decision, claim));
    this.readState = db.transaction((arn: string) => {
      const record = this.stmts.getExecution.get(arn);
      if (record === undefined) return undefined;
      const operations = new Map<string, OperationRecord>();
      for (const text of this.stmts.operationsInOrder.all(arn)) {
        const op = JSON.parse(text) as OperationRecord;
        operations.set(op.Id, op);
      }
      return { execution: JSON.parse(record) as ExecutionRecord, operations };
    });
  }

  async loadExecution(arn: string): Promise<ExecutionState | undefined> {
    this.assertOpen();
    return this.readState(arn);
  }

  async getExecution(arn: string): Promise<ExecutionRecord | undefined> {
    this.assertOpen();
    return parseOptional<ExecutionRecord>(this.stmts.getExecution.get(arn));
  }

  async findExecutionByName(functionName: string, name: string): Promise<ExecutionRecord | undefined> {
    this.assertOpen();
    return parseOptional<ExecutionRecord>(this.stmts.findExecutionByName.get(functionName, name));
  }

  async findCallback(callbackId: string): Promise<{ arn: string; operationId: string } | undefined> {
    this.assertOpen();
    const row = this.stmts.findCallback.get(callbackId);
    return row && { arn: row.arn, operationId: row.operation_id };
  }

  commit(decision: Decision, claim?: DueWorkClaim): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the store is closed"));
    return this.committer.commit(decision, claim);
  }

  async listExecutions(query: ListExecutionsQuery): Promise<ListExecutionsPage> {
    this.assertOpen();
    const limit = Math.max(0, Math.floor(query.limit));
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: limit + 1 };
    if (query.functionName !== undefined) {
      where.push("function_name = @functionName");
      params.functionName = query.functionName;
    }
    if (query.arn !== undefined) {
      where.push("arn = @arn");
      params.arn = query.arn;
    }
    if (query.version !== undefined) {
      where.push("version = @version");
      params.version = query.version;
    }
    if (query.name !== undefined) {
      where.push("name = @name");
      params.name = query.name;
    }
    if (query.namePrefix !== undefined && query.namePrefix !== "") {
      // substr/length count characters, so this is an exact prefix test whatever the alphabet.
      where.push("substr(name, 1, length(@namePrefix)) = @namePrefix");
      params.namePrefix = query.namePrefix;
    }
    if (query.statuses !== undefined) {
      // One statement shape for any number of statuses, so it can be cached.
      where.push("status IN (SELECT value FROM json_each(@statuses))");
      params.statuses = JSON.stringify(query.statuses);
    }
    if (query.startedAfter !== undefined) {
      where.push("started_at > @startedAfter");
      params.startedAfter = query.startedAfter;
    }
    if (query.startedBefore !== undefined) {
      where.push("started_at < @startedBefore");
      params.startedBefore = query.startedBefore;
    }
    const order = query.oldestFirst ? "ASC" : "DESC";
    if (query.cursor !== undefined) {
      const cursor = decodeListCursor(query.cursor);
      where.push(`(started_at, arn) ${query.oldestFirst ? ">" : "<"} (@cursorStartedAt, @cursorArn)`);
      params.cursorStartedAt = cursor.startedAt;
      params.cursorArn = cursor.arn;
    }
    const sql =
      `SELECT record FROM executions ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ` +
      `ORDER BY started_at ${order}, arn ${order} LIMIT @limit`;
    let stmt = this.listStatements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare<Record<string, unknown>[], string>(sql).pluck();
      this.listStatements.set(sql, stmt);
    }

    const items = stmt.all(params).map((text) => JSON.parse(text) as ExecutionRecord);
    if (items.length <= limit) return { items };
    items.length = limit;
    const last = items[limit - 1];
    return last ? { items, next: encodeListCursor(last) } : { items };
  }

  async countByStatus(): Promise<Map<string, StatusCounts>> {
    this.assertOpen();
    const counts = new Map<string, StatusCounts>();
    for (const row of this.stmts.countByStatus.all()) {
      let perStatus = counts.get(row.function_name);
      if (!perStatus) counts.set(row.function_name, (perStatus = zeroCounts()));
      perStatus[row.status as ExecutionStatus] = row.n;
    }
    return counts;
  }

  async history(arn: string, query: HistoryQuery): Promise<EventRecord[]> {
    this.assertOpen();
    const after = query.afterEventId ?? -1;
    const before = query.beforeEventId ?? MAX_EVENT_ID;
    let texts: string[];
    if (query.types !== undefined) {
      const stmt = query.reverse ? this.stmts.historyOfTypesReverse : this.stmts.historyOfTypesForward;
      texts = stmt.all(arn, after, before, JSON.stringify(query.types), query.limit);
    } else {
      const stmt = query.reverse ? this.stmts.historyReverse : this.stmts.historyForward;
      texts = stmt.all(arn, after, before, query.limit);
    }
    return texts.map((text) => JSON.parse(text) as EventRecord);
  }

  async dueWork(before: number, limit: number): Promise<DueWork[]> {
    this.assertOpen();
    return this.stmts.dueWork.all(before, limit).map(dueWorkFromRow);
  }

  async nextDueAt(): Promise<number | undefined> {
    this.assertOpen();
    return this.stmts.nextDueAt.get() ?? undefined;
  }

  async dropDueWork(key: DueWorkKey): Promise<void> {
    this.assertOpen();
    this.stmts.deleteDueWork.run(key.arn, key.kind, key.operationId);
  }

  async executionsWithLease(): Promise<string[]> {
    this.assertOpen();
    return this.stmts.executionsWithLease.all();
  }

  // ---- cluster (cluster-records.ts) -------------------------------------------------------------

  async heartbeat(node: NodeRecord): Promise<void> {
    this.assertOpen();
    this.cluster.heartbeat(node);
  }

  async removeNode(nodeId: string): Promise<void> {
    this.assertOpen();
    this.cluster.removeNode(nodeId);
  }

  async pruneNodes(heartbeatBefore: number): Promise<number> {
    this.assertOpen();
    return this.cluster.pruneNodes(heartbeatBefore);
  }

  async listNodes(): Promise<NodeRecord[]> {
    this.assertOpen();
    return this.cluster.listNodes();
  }

  async orphanedLeases(aliveSince: number, exceptNode: string): Promise<OrphanedLease[]> {
    this.assertOpen();
    return this.cluster.orphanedLeases(aliveSince, exceptNode);
  }

  async claimDueWork(query: ClaimQuery): Promise<ClaimedWork> {
    this.assertOpen();
    // Decisions still queued may schedule or remove rows: claim against what they leave.
    this.committer.flush();
    return this.cluster.claimDueWork(query);
  }

  async releaseClaims(nodeId: string, keys?: DueWorkKey[]): Promise<void> {
    this.assertOpen();
    this.cluster.releaseClaims(nodeId, keys);
  }

  /**
   * One process owns a SQLite file, so a lock across nodes is a lock across the stores this process
   * has open on the file: a queue per file and name.
   */
  withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    this.assertOpen();
    return fileLocks.run(`${this.file}\u0000${name}`, work);
  }

  async saveCode(revision: CodeRevision, blobs: CodeBlob[]): Promise<void> {
    this.assertOpen();
    this.functions.saveCode(revision, blobs);
  }

  async getCode(codeId: string): Promise<CodeRevision | undefined> {
    this.assertOpen();
    return this.functions.getCode(codeId);
  }

  async getBlobs(hashes: string[]): Promise<CodeBlob[]> {
    this.assertOpen();
    return this.functions.getBlobs(hashes);
  }

  async setLatest(functionName: string, codeId: string, at: number): Promise<FunctionVersionRecord> {
    this.assertOpen();
    return this.functions.setLatest(functionName, codeId, at);
  }

  async publishVersion(functionName: string, codeId: string, at: number): Promise<FunctionVersionRecord> {
    this.assertOpen();
    return this.functions.publishVersion(functionName, codeId, at);
  }

  async listFunctionVersions(functionName?: string): Promise<FunctionVersionRecord[]> {
    this.assertOpen();
    return this.functions.listFunctionVersions(functionName);
  }

  async deleteFunctionVersion(functionName: string, version: string): Promise<void> {
    this.assertOpen();
    this.functions.deleteFunctionVersion(functionName, version);
  }

  async deleteFunction(functionName: string): Promise<void> {
    this.assertOpen();
    this.functions.deleteFunction(functionName);
  }

  async putAlias(alias: AliasRecord): Promise<void> {
    this.assertOpen();
    this.functions.putAlias(alias);
  }

  async listAliases(functionName?: string): Promise<AliasRecord[]> {
    this.assertOpen();
    return this.functions.listAliases(functionName);
  }

  async collectCode(): Promise<CollectedCode> {
    this.assertOpen();
    // Queued decisions may pin a revision: write them before deciding what nothing references.
    this.committer.flush();
    return this.functions.collectCode();
  }

  /** Writes the commits still queued, then closes the file. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.committer.flush();
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("the store is closed");
  }
}

/** The withLock queues of every SQLite store of this process, by file and lock name. */
const fileLocks = new (class {
  private readonly tails = new Map<string, Promise<unknown>>();
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
})();

function zeroCounts(): StatusCounts {
  return Object.fromEntries(EXECUTION_STATUSES.map((status) => [status, 0])) as StatusCounts;
}

function parseOptional<T>(text: string | undefined): T | undefined {
  return text === undefined ? undefined : (JSON.parse(text) as T);
}
