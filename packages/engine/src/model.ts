// The engine's view of one durable execution. Timestamps are epoch milliseconds throughout;
// the api converts to the wire units of spec §1.7 at the edge.
import type {
  CheckpointResponse,
  ErrorObject,
  EventType,
  ExecutionStatus,
  Operation,
} from "@dormouse/protocol";

/** An operation as stored: the wire shape (timestamps in ms) plus its start order. */
export interface OperationRecord extends Operation {
  /** Creation order within the execution; the EXECUTION operation is 0. */
  seq: number;
  /** CALLBACK only: the heartbeat interval, so that a heartbeat can re-arm its timer. Not on the wire. */
  heartbeatTimeoutSeconds?: number;
  /** CALLBACK only: when the heartbeat timer is due (moves with every heartbeat). Not on the wire. */
  heartbeatDeadline?: number;
}

/** The active invocation. Its epoch and nonce are part of every token it holds (spec §1.5). */
export interface InvocationLease {
  epoch: number;
  requestId: string;
  nonce: string;
  /** Index of the newest token of this invocation's chain; only that one may checkpoint. */
  tokenSeq: number;
  startedAt: number;
  /** When the runtime gives up on it (function Timeout). */
  deadline: number;
  /** Whether a checkpoint of this invocation succeeded (resets the failure counter, spec §4.4). */
  progressed: boolean;
  /**
   * The node running it (EngineContext.nodeId). When that node stops heartbeating, another node
   * ends the lease and the execution is invoked again (docs/decisions/0004-cluster.md).
   */
  node?: string;
}

export interface ExecutionConfig {
  executionTimeoutSeconds: number;
  retentionDays: number;
  /** Per-invocation limit, the function's `Timeout`. */
  functionTimeoutSeconds: number;
  kmsKeyArn?: string;
}

/** Stored response of the last processed checkpoint, for `ClientToken` replays (spec §1.5(4)). */
export interface CheckpointReplay {
  clientToken: string;
  requestToken: string;
  bodyHash: string;
  at: number;
  response: CheckpointResponse;
}

export interface ExecutionRecord {
  arn: string;
  executionId: string;
  name: string;
  functionName: string;
  /** Resolved function version the execution is pinned to (`$LATEST` or a number). */
  version: string;
  /** The code and configuration it runs on (ResolvedFunction.codeId), when the catalog pins one. */
  codeId?: string;
  status: ExecutionStatus;
  startedAt: number;
  endedAt?: number;
  input: string;
  result?: string;
  error?: ErrorObject;
  executionOpId: string;
  config: ExecutionConfig;
  tenantId?: string;
  traceId?: string;
  /** Set when this execution is the durable target of a caller's CHAINED_INVOKE (spec §6). */
  parent?: { arn: string; operationId: string };
  nextEventId: number;
  nextSeq: number;
  invocation?: InvocationLease;
  /** Number of invocations started so far; the next one gets `lastEpoch + 1`. */
  lastEpoch: number;
  /** Operation ids changed outside an invocation and not yet shown to the function (spec §4.2). */
  dirty: string[];
  /** Terminal event held back until the invocation that ended the execution reports (spec §7.3.3). */
  deferredTerminal?: "ExecutionSucceeded" | "ExecutionFailed";
  consecutiveFailures: number;
  lastCheckpoint?: CheckpointReplay;
  /** When it was stopped (StopDurableExecution is idempotent and returns the original time). */
  stoppedAt?: number;
  /** Row revision for optimistic concurrency: a commit expects `rev - 1` in the store. */
  rev: number;
}

export interface ExecutionState {
  execution: ExecutionRecord;
  operations: ReadonlyMap<string, OperationRecord>;
}

export interface EventRecord {
  eventId: number;
  type: EventType;
  /** ms */
  timestamp: number;
  operationId?: string;
  name?: string;
  subType?: string;
  parentId?: string;
  /** Content of the `${type}Details` member, already in wire form (timestamps inside are epoch seconds). */
  details: Record<string, unknown>;
}

export const DUE_WORK_KINDS = [
  /** start the next invocation (immediately, or after a retry backoff) */
  "invoke",
  /** WAIT reached its ScheduledEndTimestamp */
  "wait",
  /** STEP retry delay elapsed: PENDING → READY */
  "retry",
  "callback-timeout",
  "callback-heartbeat",
  "execution-timeout",
  /** the active invocation passed its deadline without reporting */
  "invocation-timeout",
  /** start the target of a CHAINED_INVOKE (operationId = the caller's operation) */
  "chained-start",
  /** a durable chained target finished: copy its outcome into the caller (arn = caller) */
  "chained-complete",
  /** retention elapsed: delete the execution */
  "purge",
] as const;
export type DueWorkKind = (typeof DUE_WORK_KINDS)[number];

export interface DueWorkKey {
  arn: string;
  kind: DueWorkKind;
  /** "" for execution-level work. */
  operationId: string;
}

export interface DueWork extends DueWorkKey {
  dueAt: number;
  /** Kind-specific data (e.g. the epoch an invocation-timeout belongs to, a chained target). */
  data?: Record<string, unknown>;
}

/**
 * Everything one engine decision changes, committed by the store in one transaction:
 * the execution row (compare-and-set on `rev`), changed operations, appended events,
 * due work to add/replace and to remove, new callback ids.
 */
export interface Decision {
  execution: ExecutionRecord;
  /** True when the execution row does not exist yet. */
  created?: boolean;
  operations: OperationRecord[];
  events: EventRecord[];
  schedule: DueWork[];
  unschedule: DueWorkKey[];
  /** Drop all due work of this execution before applying `schedule` (terminal transitions). */
  unscheduleAll?: boolean;
  callbacks: { callbackId: string; operationId: string }[];
  /** Delete the execution and everything it owns (retention purge). */
  purge?: boolean;
}
