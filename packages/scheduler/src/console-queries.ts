// The console's read side (ConsoleService): functions with execution counts, executions of all
// functions, one execution with every operation and its invocation timeline, events page by page.
// Reads go to the store, not to the orchestrator's cache, so browsing does not evict hot executions.
import type { EventRecord, ExecutionRecord } from "@dormouse/engine";
import {
  EXECUTION_STATUSES,
  notFound,
  type ConsoleInvocation,
  type ErrorObject,
  type StatusCounts,
} from "@dormouse/protocol";
import type { ListExecutionsPage, ListExecutionsQuery, Store } from "@dormouse/store";
import type { ExecutionChangeListener, ExecutionChangeSource } from "./change-feed.js";
import type { FunctionCatalog } from "./ports.js";
import type {
  ConsoleFunctionInfo,
  ConsoleService,
  EventsPage,
  ExecutionDetail,
  FunctionSummary,
} from "./service.js";

export interface ConsoleQueriesOptions {
  store: Store;
  functions: FunctionCatalog;
  changes: ExecutionChangeSource;
}

/** Invocation events are read in pages of this size (an execution may have been invoked often). */
const INVOCATION_PAGE = 1000;

export class ConsoleQueries implements ConsoleService {
  private readonly store: Store;
  private readonly functions: FunctionCatalog;
  private readonly changes: ExecutionChangeSource;

  constructor(opts: ConsoleQueriesOptions) {
    this.store = opts.store;
    this.functions = opts.functions;
    this.changes = opts.changes;
  }

  onExecutionChange(listener: ExecutionChangeListener): () => void {
    return this.changes.onExecutionChange(listener);
  }

  async listFunctions(): Promise<ConsoleFunctionInfo[]> {
    const counts = await this.store.countByStatus();
    const aliases = this.functions.aliases?.() ?? [];
    const byName = new Map<string, FunctionSummary[]>();
    for (const fn of this.functions.list()) {
      const versions = byName.get(fn.name);
      if (versions) versions.push(fn);
      else byName.set(fn.name, [fn]);
    }
    return [...byName.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, summaries]) => {
        const versions = [...new Set(["$LATEST", ...summaries.map((s) => s.version)])].sort(compareVersions);
        const summary =
          summaries.find((s) => s.version === "$LATEST") ??
          [...summaries].sort((a, b) => compareVersions(a.version, b.version)).at(-1)!;
        const own = aliases
          .filter((a) => a.functionName === name)
          .map((a) => ({ name: a.name, version: a.version }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        return { summary, versions, aliases: own, counts: counts.get(name) ?? zeroCounts() };
      });
  }

  listExecutions(query: ListExecutionsQuery): Promise<ListExecutionsPage> {
    return this.store.listExecutions(query);
  }

  async getExecutionDetail(arn: string): Promise<ExecutionDetail> {
    const state = await this.store.loadExecution(arn);
    if (!state) throw executionNotFound(arn);
    const { execution } = state;
    // Events are append-only: those below the state's nextEventId are exactly the ones that state
    // has seen, so the timeline and the lease below are one consistent snapshot.
    const completed = await this.invocationEvents(arn, execution.nextEventId);
    return {
      execution,
      operations: [...state.operations.values()],
      invocations: invocationTimeline(completed, execution),
      eventCount: execution.nextEventId - 1,
    };
  }

  async getEvents(arn: string, query: { afterEventId?: number; limit: number }): Promise<EventsPage> {
    if (!(await this.store.getExecution(arn))) throw executionNotFound(arn);
    const events = await this.store.history(arn, {
      reverse: false,
      limit: query.limit + 1,
      ...(query.afterEventId !== undefined && { afterEventId: query.afterEventId }),
    });
    if (events.length <= query.limit) return { events };
    const page = events.slice(0, query.limit);
    return { events: page, nextAfterEventId: page[page.length - 1]!.eventId };
  }

  private async invocationEvents(arn: string, beforeEventId: number): Promise<EventRecord[]> {
    const all: EventRecord[] = [];
    for (;;) {
      const page = await this.store.history(arn, {
        types: ["InvocationCompleted"],
        reverse: false,
        limit: INVOCATION_PAGE,
        beforeEventId,
        ...(all.length > 0 && { afterEventId: all[all.length - 1]!.eventId }),
      });
      all.push(...page);
      if (page.length < INVOCATION_PAGE) return all;
    }
  }
}

/**
 * Invocations 1..N: one per InvocationCompleted event (its details carry epoch seconds), then the
 * active invocation, which has no event until it ends. (An invocation that was still running when
 * the execution was stopped or timed out never gets an event, spec §7.3.3, so it is not listed.)
 */
export function invocationTimeline(
  completed: EventRecord[],
  execution: ExecutionRecord,
): ConsoleInvocation[] {
  const out: ConsoleInvocation[] = completed.map((event, i) => {
    const d = event.details as {
      RequestId?: string;
      StartTimestamp?: number;
      EndTimestamp?: number;
      Error?: { Payload?: ErrorObject };
    };
    const invocation: ConsoleInvocation = {
      number: i + 1,
      requestId: d.RequestId ?? "",
      startedAt: secondsToMs(d.StartTimestamp ?? event.timestamp / 1000),
      endedAt: secondsToMs(d.EndTimestamp ?? event.timestamp / 1000),
    };
    if (d.Error?.Payload) invocation.error = d.Error.Payload;
    return invocation;
  });
  const lease = execution.invocation;
  if (lease && !out.some((inv) => inv.requestId === lease.requestId)) {
    out.push({ number: out.length + 1, requestId: lease.requestId, startedAt: lease.startedAt });
  }
  return out;
}

/** Event details hold epoch seconds with a millisecond fraction; rounding undoes the float error. */
const secondsToMs = (seconds: number): number => Math.round(seconds * 1000);

/** `$LATEST` first, then numeric versions ascending (anything else after them, by name). */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  if (a === "$LATEST") return -1;
  if (b === "$LATEST") return 1;
  const [na, nb] = [Number(a), Number(b)];
  const [ia, ib] = [Number.isSafeInteger(na), Number.isSafeInteger(nb)];
  if (ia && ib) return na - nb;
  if (ia !== ib) return ia ? -1 : 1;
  return a < b ? -1 : 1;
}

function zeroCounts(): StatusCounts {
  return Object.fromEntries(EXECUTION_STATUSES.map((status) => [status, 0])) as StatusCounts;
}

function executionNotFound(arn: string): Error {
  return notFound(`Durable execution not found: ${arn}`);
}
