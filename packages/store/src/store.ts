// The storage port. One interface, an adapter per database (sqlite/, later postgres/), all held to
// the contract suite in contract/. Every engine decision is committed in one transaction.
import type {
  Decision,
  DueWork,
  DueWorkKey,
  EventRecord,
  ExecutionRecord,
  ExecutionState,
} from "@dormouse/engine";
import type { EventType, ExecutionStatus, StatusCounts } from "@dormouse/protocol";
import type { ClusterStore, DueWorkClaim } from "./cluster.js";
import type {
  AliasRecord,
  CodeBlob,
  CodeRevision,
  CollectedCode,
  FunctionVersionRecord,
} from "./function-records.js";

/** Thrown by `commit` when the execution row is not at the revision the decision was based on. */
export class ConflictError extends Error {
  constructor(arn: string) {
    super(`execution ${arn} was changed concurrently`);
    this.name = "ConflictError";
  }
}

export interface ListExecutionsQuery {
  /** Only this function's executions; absent lists the executions of all functions. */
  functionName?: string;
  /** Only executions pinned to this version. */
  version?: string;
  /** Exactly this name. */
  name?: string;
  /** Names that start with this (case-sensitive); "" matches every name. */
  namePrefix?: string;
  /** Exactly this execution (at most one item). */
  arn?: string;
  statuses?: ExecutionStatus[];
  /** ms, exclusive bounds on startedAt */
  startedAfter?: number;
  startedBefore?: number;
  /** Default order is newest first; `oldestFirst` flips it. */
  oldestFirst?: boolean;
  limit: number;
  /** Opaque cursor returned as `next` by the previous page. */
  cursor?: string;
}

export interface ListExecutionsPage {
  items: ExecutionRecord[];
  next?: string;
}

export interface HistoryQuery {
  /** Events with eventId > afterEventId (or < beforeEventId when reverse). */
  afterEventId?: number;
  beforeEventId?: number;
  /** Only events of these types (e.g. the InvocationCompleted events of the console's timeline). */
  types?: EventType[];
  reverse: boolean;
  limit: number;
}

/** The port; the cluster half (nodes, leases, claims, locks) is declared in cluster.ts. */
export interface Store extends ClusterStore {
  /** The execution row and all of its operations, or undefined when unknown or purged. */
  loadExecution(arn: string): Promise<ExecutionState | undefined>;
  /** The execution row only. */
  getExecution(arn: string): Promise<ExecutionRecord | undefined>;
  /** The execution with this name for this function (names are unique per function, spec §1.3). */
  findExecutionByName(functionName: string, name: string): Promise<ExecutionRecord | undefined>;
  findCallback(callbackId: string): Promise<{ arn: string; operationId: string } | undefined>;
  /**
   * Applies a decision atomically and durably: when the promise resolves, the decision survives a
   * power cut. Rejects with ConflictError when `decision.execution.rev - 1` is not the stored rev
   * (or the row exists while `created` is set), and then nothing is written. With a `claim`, the
   * rows it schedules due by `claim.dueBy` are claimed by `claim.node` (see ClusterStore).
   */
  commit(decision: Decision, claim?: DueWorkClaim): Promise<void>;
  listExecutions(query: ListExecutionsQuery): Promise<ListExecutionsPage>;
  /** Number of executions in each status, per function name (functions without executions are absent). */
  countByStatus(): Promise<Map<string, StatusCounts>>;
  history(arn: string, query: HistoryQuery): Promise<EventRecord[]>;
  /** Due work with dueAt <= before, earliest first. */
  dueWork(before: number, limit: number): Promise<DueWork[]>;
  /** Earliest dueAt of all due work, or undefined when there is none. */
  nextDueAt(): Promise<number | undefined>;
  /** Removes one due work row outside any decision (its execution no longer exists). */
  dropDueWork(key: DueWorkKey): Promise<void>;
  /** Executions that hold an invocation lease (for recovery after a restart). */
  executionsWithLease(): Promise<string[]>;

  // ---- functions: code, versions, aliases (function-records.ts) ------------------------------
  /** Saves a revision and its blobs; both are content-addressed, so saving twice changes nothing. */
  saveCode(revision: CodeRevision, blobs: CodeBlob[]): Promise<void>;
  getCode(codeId: string): Promise<CodeRevision | undefined>;
  /** The blobs with these hashes that exist (in no particular order). */
  getBlobs(hashes: string[]): Promise<CodeBlob[]>;
  /** Points the function's `$LATEST` at a saved revision (creating the function). */
  setLatest(functionName: string, codeId: string, at: number): Promise<FunctionVersionRecord>;
  /** Publishes a saved revision as the function's next version number (1, 2, …; never reused). */
  publishVersion(functionName: string, codeId: string, at: number): Promise<FunctionVersionRecord>;
  /** `$LATEST` first, then versions by number; all functions by name when none is given. */
  listFunctionVersions(functionName?: string): Promise<FunctionVersionRecord[]>;
  deleteFunctionVersion(functionName: string, version: string): Promise<void>;
  /**
   * Deletes the function: all its versions (`$LATEST` included) and aliases, in one transaction.
   * Its code stays while executions pin it (collectCode); numbers start at 1 again, as on Lambda.
   */
  deleteFunction(functionName: string): Promise<void>;
  /** Creates or moves an alias. */
  putAlias(alias: AliasRecord): Promise<void>;
  listAliases(functionName?: string): Promise<AliasRecord[]>;
  /**
   * Deletes the revisions that no version and no stored execution (`codeId`) references, then the
   * blobs that no remaining revision uses.
   */
  collectCode(): Promise<CollectedCode>;
  close(): Promise<void>;
}
