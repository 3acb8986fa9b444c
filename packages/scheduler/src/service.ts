// The face the api (and the console) talk to. Implemented by the Orchestrator in this package.
import type { EventRecord, ExecutionRecord, OperationRecord, ResolvedFunction } from "@dormouse/engine";
import type { ConsoleInvocation, ErrorObject, OperationUpdate, StatusCounts } from "@dormouse/protocol";
import type { ListExecutionsPage, ListExecutionsQuery } from "@dormouse/store";
import type { ExecutionChangeSource } from "./change-feed.js";

export interface StartExecutionRequest {
  fn: ResolvedFunction;
  /** The raw Invoke body as text ("" when empty; stored as "{}"). */
  payload: string;
  name?: string;
  tenantId?: string;
  traceId?: string;
}

export interface CheckpointCall {
  token: string;
  updates: OperationUpdate[];
  clientToken?: string;
  /** Hash of the request body, to tell a ClientToken replay from a reuse with another body. */
  bodyHash: string;
}

export interface CheckpointResult {
  /** Absent when this checkpoint ended the execution (spec §1.5(6)). */
  token?: string;
  /** Timestamps in epoch ms; the api converts. */
  operations: OperationRecord[];
}

export interface StatePage {
  operations: OperationRecord[];
  /** Opaque; present only when more operations exist. */
  nextMarker?: string;
}

export interface HistoryPage {
  events: EventRecord[];
  nextMarker?: string;
}

export type PlainInvokeResult = { ok: true; payload: string } | { ok: false; error: ErrorObject };

export interface FunctionSummary {
  name: string;
  version: string;
  durable: boolean;
  timeoutSeconds: number;
  memoryMb: number;
  executionTimeoutSeconds?: number;
  retentionDays?: number;
  handler: string;
  runtime: string;
  /** The function's `Environment` variables (absent: not known here). */
  environment?: Record<string, string>;
  /** When this version was published (`$LATEST`: last changed), epoch ms. */
  lastModified?: number;
}

/** Versions and aliases of the functions (the registry), for the Lambda function APIs. */
export interface FunctionVersionsService {
  /** `$LATEST` first, then published versions; undefined when the function does not exist. */
  listVersions(functionName: string): FunctionSummary[] | undefined;
  /** Undefined when the function does not exist. */
  listAliases(functionName: string): { name: string; version: string }[] | undefined;
  /** Publishes `$LATEST` as a new version (or returns the newest if its code is the same). */
  publishVersion(functionName: string): Promise<FunctionSummary>;
  /** A revision's files as a zip archive (ResolvedFunction.codeId); undefined when unknown. */
  codeArchive(codeId: string): Promise<Uint8Array | undefined>;
}

/**
 * `dormouse deploy`: publishes functions sent as revisions plus file contents (base64 by hash).
 * Validation of the shape is the api's; the service checks hashes, that the code loads, publishes.
 */
export interface DeployService {
  deploy(bundle: DeployBundle): Promise<DeployResult>;
  /** The hashes of these files the server does not have (the client sends only those). */
  missing(hashes: string[]): Promise<string[]>;
}

export interface DeployBundle {
  functions: { revision: Record<string, unknown>; autoPublishAlias?: string }[];
  blobs: Record<string, string>;
}

export interface DeployResult {
  published: {
    name: string;
    changed: boolean;
    publishedVersion?: string;
    alias?: { name: string; version: string };
  }[];
  rejected: { name: string; error: { ErrorType?: string; ErrorMessage?: string } }[];
  /** Functions the deployed template no longer declares: no new executions; running ones finish. */
  removed: string[];
}

export interface DurableService {
  /** Resolves `name`, `name:qualifier`, partial or full ARN, plus an optional Qualifier parameter. */
  resolveFunction(ref: string, qualifier?: string): ResolvedFunction;
  listFunctions(): FunctionSummary[];
  /** Applies name idempotency (spec §1.3); `created` is false when an existing execution was returned. */
  startExecution(req: StartExecutionRequest): Promise<{ execution: ExecutionRecord; created: boolean }>;
  /** Resolves when the execution is terminal or `timeoutMs` passed (then with the RUNNING record). */
  waitForTerminal(arn: string, timeoutMs: number): Promise<ExecutionRecord>;
  invokePlain(fn: ResolvedFunction, payload: string, tenantId?: string): Promise<PlainInvokeResult>;
  getExecution(arn: string): Promise<ExecutionRecord>;
  getHistory(arn: string, q: { marker?: string; maxItems: number; reverse: boolean }): Promise<HistoryPage>;
  listExecutions(query: ListExecutionsQuery): Promise<ListExecutionsPage>;
  stopExecution(arn: string, error?: ErrorObject): Promise<{ stoppedAt: number }>;
  getState(arn: string, token: string, marker: string | undefined, maxItems: number): Promise<StatePage>;
  checkpoint(arn: string, call: CheckpointCall): Promise<CheckpointResult>;
  callbackSuccess(callbackId: string, result: string | undefined): Promise<void>;
  callbackFailure(callbackId: string, error: ErrorObject): Promise<void>;
  callbackHeartbeat(callbackId: string): Promise<void>;
}

/** One function as the console lists it: all its versions, and its executions counted by status. */
export interface ConsoleFunctionInfo {
  /** The configuration shown: that of `$LATEST` when the catalog has it, else of the newest version. */
  summary: FunctionSummary;
  /** `$LATEST` first, then published versions in ascending order. */
  versions: string[];
  aliases: { name: string; version: string }[];
  counts: StatusCounts;
}

/** Everything the console shows about one execution. Records are as stored (ms, nothing pruned). */
export interface ExecutionDetail {
  execution: ExecutionRecord;
  /** Every operation in creation order, including children of completed contexts. */
  operations: OperationRecord[];
  /** Numbered 1..N in start order; the last one has no end while it still runs. */
  invocations: ConsoleInvocation[];
  eventCount: number;
}

export interface EventsPage {
  events: EventRecord[];
  /** Pass as `afterEventId` for the next page; absent on the last page. */
  nextAfterEventId?: number;
}

/** The read side the console needs beyond the Lambda API, and its live change feed. */
export interface ConsoleService extends ExecutionChangeSource {
  listFunctions(): Promise<ConsoleFunctionInfo[]>;
  /** Executions of one or all functions, newest first unless `oldestFirst`. */
  listExecutions(query: ListExecutionsQuery): Promise<ListExecutionsPage>;
  /** Throws ResourceNotFoundException for an unknown (or purged) execution. */
  getExecutionDetail(arn: string): Promise<ExecutionDetail>;
  /** Events oldest first after `afterEventId`; throws ResourceNotFoundException like getExecutionDetail. */
  getEvents(arn: string, query: { afterEventId?: number; limit: number }): Promise<EventsPage>;
}
