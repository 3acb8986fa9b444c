// The console's JSON/SSE API (served by the api package under /console-api, consumed by the
// console app). Timestamps are epoch milliseconds. Actions (callbacks, stop, start) use the
// Lambda REST API itself, same origin.
import type { ErrorObject, Operation } from "./operation.js";
import type { EventType } from "./events.js";
import type { ExecutionStatus } from "./execution.js";

export const CONSOLE_API_PREFIX = "/console-api";

export type StatusCounts = Record<ExecutionStatus, number>;

export interface ConsoleFunction {
  name: string;
  durable: boolean;
  runtime: string;
  handler: string;
  timeoutSeconds: number;
  memoryMb: number;
  executionTimeoutSeconds?: number;
  retentionDays?: number;
  /** Published versions, newest last; `$LATEST` always first. */
  versions: string[];
  aliases: { name: string; version: string }[];
  counts: StatusCounts;
}

/** GET /console-api/functions */
export interface ConsoleFunctionsResponse {
  functions: ConsoleFunction[];
}

export interface ConsoleExecutionSummary {
  arn: string;
  name: string;
  functionName: string;
  version: string;
  status: ExecutionStatus;
  startedAt: number;
  endedAt?: number;
}

/**
 * GET /console-api/executions?function=&status=&status=&q=&startedAfter=&startedBefore=&cursor=&limit=
 * `q` matches a name prefix or a whole ARN; startedAfter/startedBefore are epoch ms; newest first.
 */
export interface ConsoleExecutionsResponse {
  executions: ConsoleExecutionSummary[];
  next?: string;
}

export interface ConsoleInvocation {
  /** 1-based invocation number. */
  number: number;
  requestId: string;
  startedAt: number;
  /** Absent while it runs. */
  endedAt?: number;
  /** Function error (crash, timeout, unhandled exception), if any. */
  error?: ErrorObject;
}

export interface ConsoleOperation extends Operation {
  /** Creation order. */
  seq: number;
}

export interface ConsoleExecutionDetail extends ConsoleExecutionSummary {
  input: string;
  result?: string;
  error?: ErrorObject;
  executionTimeoutSeconds: number;
  retentionDays: number;
  tenantId?: string;
  /** Set when this execution is the durable target of another execution's chained invoke. */
  parent?: { arn: string; operationId: string };
}

/** GET /console-api/executions/:arn — all operations (nothing pruned), timestamps in ms. */
export interface ConsoleExecutionResponse {
  execution: ConsoleExecutionDetail;
  operations: ConsoleOperation[];
  invocations: ConsoleInvocation[];
  eventCount: number;
}

export interface ConsoleEvent {
  eventId: number;
  type: EventType;
  timestamp: number;
  operationId?: string;
  name?: string;
  subType?: string;
  parentId?: string;
  /**
   * The history's `${type}Details` member. Its timestamps (`StartTimestamp`, `EndTimestamp`,
   * `ScheduledEndTimestamp`) are epoch ms like every timestamp here; durations (`Duration`,
   * `Timeout`, `ExecutionTimeout`, …) stay in seconds, as in the Lambda history.
   */
  details: Record<string, unknown>;
}

/** GET /console-api/executions/:arn/events?after=<eventId>&limit= (oldest first) */
export interface ConsoleEventsResponse {
  events: ConsoleEvent[];
  next?: string;
}

/**
 * GET /console-api/stream — Server-Sent Events. `event: execution` with a ConsoleExecutionSummary
 * as data whenever an execution is created or changes; `event: ping` every 15 s.
 */
export type ConsoleStreamMessage = { event: "execution"; data: ConsoleExecutionSummary };
