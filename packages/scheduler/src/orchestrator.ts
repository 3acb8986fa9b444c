// The orchestrator: every change to an execution goes through `mutate` — load (cached) state, ask
// the engine, commit the decision in one transaction, then act on it (arm timers, start
// invocations, wake waiters). It implements the DurableService the api talks to.
import { randomBytes, randomUUID } from "node:crypto";
import * as engine from "@dormouse/engine";
import type {
  Decision,
  DueWork,
  EngineContext,
  ExecutionRecord,
  ExecutionState,
  InvocationRetryPolicy,
  ResolvedFunction,
} from "@dormouse/engine";
import {
  DEFAULT_ARN_CONTEXT,
  DEFAULT_LIMITS,
  DurableError,
  invalidParameter,
  notFound,
} from "@dormouse/protocol";
import type { ArnContext, ErrorObject, Limits } from "@dormouse/protocol";
import { ConflictError } from "@dormouse/store";
import type { ListExecutionsPage, ListExecutionsQuery, Store } from "@dormouse/store";
import { ExecutionChangeFeed } from "./change-feed.js";
import type { ExecutionChangeListener, ExecutionChangeSource } from "./change-feed.js";
import { DueWorkLoop } from "./due-work-loop.js";
import { FaultPoints } from "./fault-points.js";
import { InvocationSlots } from "./invocation-slots.js";
import { KeyedMutex } from "./keyed-mutex.js";
import type { FunctionCatalog, Invoker, Logger } from "./ports.js";
import { silentLogger, versionRef } from "./ports.js";
import type {
  CheckpointCall,
  CheckpointResult,
  DurableService,
  FunctionSummary,
  HistoryPage,
  PlainInvokeResult,
  StartExecutionRequest,
  StatePage,
} from "./service.js";
import { StateCache } from "./state-cache.js";
import { decodeHistoryMarker, encodeHistoryMarker } from "./markers.js";
import { ChainedInvokes } from "./chained-invokes.js";

export interface OrchestratorOptions {
  store: Store;
  invoker: Invoker;
  functions: FunctionCatalog;
  limits?: Limits;
  arnContext?: ArnContext;
  invocationRetry?: InvocationRetryPolicy;
  logger?: Logger;
  /** Clock, epoch ms (tests of the wiring may pass their own). */
  clock?: () => number;
  cacheSize?: number;
  /** Crash tests only: points at which the process kills itself (see fault-points.ts). */
  faultPoints?: FaultPoints;
}

/** Called with the terminal record, or with undefined when the server stops first. */
type Waiter = (exec: ExecutionRecord | undefined) => void;

export class Orchestrator implements DurableService, ExecutionChangeSource {
  readonly store: Store;
  private readonly invoker: Invoker;
  private readonly functions: FunctionCatalog;
  private readonly limits: Limits;
  private readonly arnContext: ArnContext;
  private readonly retry: InvocationRetryPolicy;
  readonly log: Logger;
  private readonly clock: () => number;
  private readonly locks = new KeyedMutex();
  private readonly cache: StateCache;
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly loop: DueWorkLoop;
  private readonly slots: InvocationSlots;
  private readonly chained: ChainedInvokes;
  private readonly running = new Set<Promise<unknown>>();
  private readonly faults: FaultPoints;
  private readonly changes: ExecutionChangeFeed;
  private closed = false;

  constructor(opts: OrchestratorOptions) {
    this.store = opts.store;
    this.invoker = opts.invoker;
    this.functions = opts.functions;
    this.limits = opts.limits ?? DEFAULT_LIMITS;
    this.arnContext = opts.arnContext ?? DEFAULT_ARN_CONTEXT;
    this.retry = opts.invocationRetry ?? engine.DEFAULT_INVOCATION_RETRY;
    this.log = opts.logger ?? silentLogger;
    this.clock = opts.clock ?? Date.now;
    this.cache = new StateCache(opts.cacheSize ?? 2000);
    this.faults = opts.faultPoints ?? new FaultPoints();
    this.changes = new ExecutionChangeFeed(this.log);
    this.slots = new InvocationSlots((fn) => this.invoker.capacity?.(fn) ?? 8);
    this.loop = new DueWorkLoop(this.store, (work) => this.handleWork(work), this.log, this.clock);
    this.chained = new ChainedInvokes(this);
  }

  /** Recovers invocations lost with the previous process, then starts firing due work. */
  async start(): Promise<void> {
    for (const arn of await this.store.executionsWithLease()) {
      await this.mutate(arn, (state) => {
        const lease = state.execution.invocation;
        if (!lease) return undefined;
        return engine.completeInvocation(
          state,
          lease.epoch,
          {
            kind: "error",
            error: {
              ErrorType: "Runtime.ExitError",
              ErrorMessage: "The server restarted while the invocation was running",
            },
          },
          this.ctx(),
        );
      });
    }
    this.loop.start();
  }

  /** Stops firing due work and answers everyone waiting for an execution with its current state. */
  stop(): void {
    this.closed = true;
    this.slots.close();
    this.loop.stop();
    for (const [arn, set] of this.waiters) {
      this.waiters.delete(arn);
      const exec = this.cache.get(arn)?.execution;
      for (const w of set) w(exec);
    }
  }

  /** Waits for the bookkeeping of invocations still running (close the runtime first). */
  async close(): Promise<void> {
    this.stop();
    await Promise.allSettled([...this.running]);
    this.changes.close();
  }

  /** Every committed change to an execution, coalesced per tick (see change-feed.ts). */
  onExecutionChange(listener: ExecutionChangeListener): () => void {
    return this.changes.onExecutionChange(listener);
  }

  ctx(): EngineContext {
    return {
      now: this.clock(),
      newId: randomUUID,
      newSecret: () => randomBytes(24).toString("base64"),
      limits: this.limits,
      arnContext: this.arnContext,
      resolveFunction: (ref) => this.functions.resolve(ref),
      invocationRetry: this.retry,
    };
  }

  // ---- the one write path -------------------------------------------------------------------

  async load(arn: string): Promise<ExecutionState | undefined> {
    const cached = this.cache.get(arn);
    if (cached) return cached;
    const state = await this.store.loadExecution(arn);
    if (state) this.cache.put(state);
    return state;
  }

  /**
   * Runs `decide` on the current state under the execution's lock and commits what it returns.
   * A conflict (the stored row moved) reloads and decides again.
   */
  async mutate<T>(
    arn: string,
    decide: (state: ExecutionState) => Decision | undefined | { decision?: Decision; value: T },
    missing?: () => never,
  ): Promise<T | undefined> {
    return this.locks.run(arn, async () => {
      for (let attempt = 0; ; attempt++) {
        const state = await this.load(arn);
        if (!state) {
          if (missing) missing();
          return undefined;
        }
        const out = decide(state);
        const decision = out && "value" in out ? out.decision : (out as Decision | undefined);
        const value = out && "value" in out ? out.value : undefined;
        if (!decision) return value;
        try {
          await this.commit(decision);
          return value;
        } catch (err) {
          if (!(err instanceof ConflictError) || attempt >= 5) throw err;
          this.cache.delete(arn);
        }
      }
    });
  }

  async commit(decision: Decision): Promise<void> {
    await this.store.commit(decision);
    this.cache.apply(decision);
    this.afterCommit(decision);
  }

  private afterCommit(decision: Decision): void {
    const exec = decision.execution;
    for (const work of decision.schedule) this.loop.scheduled(work);
    if (!decision.purge) this.changes.publish(exec);
    if (exec.status !== "RUNNING" || decision.purge) {
      const set = this.waiters.get(exec.arn);
      if (set) {
        this.waiters.delete(exec.arn);
        for (const w of set) w(exec);
      }
    }
  }

  /** Keeps a background task's promise so that close() can wait for it. */
  track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    void p.finally(() => this.running.delete(p)).catch(() => undefined);
    return p;
  }

  // ---- due work -----------------------------------------------------------------------------

  private async handleWork(work: DueWork): Promise<void> {
    if (this.closed) return;
    switch (work.kind) {
      case "invoke":
        return this.beginInvocation(work.arn);
      case "chained-start":
        return this.chained.start(work);
      case "chained-complete":
        return this.chained.complete(work);
      default: {
        let fired = false;
        await this.mutate(work.arn, (state) => {
          const decision = engine.fireTimer(state, work, this.ctx());
          fired = decision !== undefined;
          return decision ?? dropWork(state, work, this.ctx());
        });
        if (fired && work.kind === "wait") this.faults.reached("timer:after-fire-commit");
      }
    }
  }

  private async beginInvocation(arn: string): Promise<void> {
    const loaded = await this.load(arn);
    if (!loaded) return this.store.dropDueWork({ arn, kind: "invoke", operationId: "" });
    // The due row stays (and stays in flight in the loop) until a worker slot is free.
    const functionName = loaded.execution.functionName;
    if (!(await this.slots.acquire(functionName))) return;
    let began;
    try {
      began = await this.mutate(arn, (state) => {
        const out = engine.beginInvocation(state, this.ctx());
        return { decision: out.decision, value: out.began && { ...out.began, exec: state.execution } };
      });
    } catch (err) {
      this.slots.release(functionName);
      throw err;
    }
    if (!began) return this.slots.release(functionName);
    this.faults.reached("invocation:after-begin-before-invoke");
    const { lease, event, exec } = began;
    const payload = JSON.stringify(event);
    void this.track(
      (async () => {
        const call: Parameters<Invoker["invoke"]>[1] = {
          requestId: lease.requestId,
          payload,
          deadline: lease.deadline,
          executionArn: arn,
        };
        if (exec.tenantId !== undefined) call.tenantId = exec.tenantId;
        let result: engine.InvocationResult;
        try {
          result = await this.invoker.invoke(versionRef(exec), call);
        } catch (err) {
          result = { kind: "error", error: { ErrorType: "Runtime.Unknown", ErrorMessage: String(err) } };
        }
        this.slots.release(functionName);
        await this.mutate(arn, (state) => engine.completeInvocation(state, lease.epoch, result, this.ctx()));
      })().catch((err) => this.log.error({ err, arn }, "invocation bookkeeping failed")),
    );
  }

  // ---- DurableService -----------------------------------------------------------------------

  resolveFunction(ref: string, qualifier?: string): ResolvedFunction {
    const fn = this.functions.resolve(ref, qualifier);
    if (!fn) throw notFound(`Function not found: ${qualifier ? `${ref}:${qualifier}` : ref}`);
    return fn;
  }

  resolveFunctionOrUndefined(ref: string): ResolvedFunction | undefined {
    return this.functions.resolve(ref);
  }

  listFunctions(): FunctionSummary[] {
    return this.functions.list();
  }

  async startExecution(
    req: StartExecutionRequest,
  ): Promise<{ execution: ExecutionRecord; created: boolean }> {
    if (!req.fn.durable) throw invalidParameter(`Function ${req.fn.functionName} is not a durable function`);
    const payload = req.payload === "" ? "{}" : req.payload;
    const nameKey = req.name === undefined ? undefined : `name:${req.fn.functionName}:${req.name}`;
    const run = async () => {
      if (req.name !== undefined) {
        const existing = await this.store.findExecutionByName(req.fn.functionName, req.name);
        if (existing) {
          if (existing.input !== payload) {
            throw new DurableError(
              "DurableExecutionAlreadyStartedException",
              `An execution named ${req.name} already exists for function ${req.fn.functionName} with a different input`,
            );
          }
          return { execution: existing, created: false };
        }
      }
      const input: engine.StartInput = { fn: req.fn, payload };
      if (req.name !== undefined) input.name = req.name;
      if (req.tenantId !== undefined) input.tenantId = req.tenantId;
      if (req.traceId !== undefined) input.traceId = req.traceId;
      const decision = engine.startExecution(input, this.ctx());
      await this.commit(decision);
      return { execution: decision.execution, created: true };
    };
    // Same-name starts are serialised so that exactly one of two concurrent ones creates.
    return nameKey ? this.locks.run(nameKey, run) : run();
  }

  async waitForTerminal(arn: string, timeoutMs: number): Promise<ExecutionRecord> {
    const current = await this.getExecution(arn);
    if (current.status !== "RUNNING") return current;
    return new Promise((resolve) => {
      let set = this.waiters.get(arn);
      if (!set) this.waiters.set(arn, (set = new Set()));
      const waiter: Waiter = (exec) => {
        clearTimeout(timer);
        resolve(exec ?? current);
      };
      const timer = setTimeout(() => {
        this.waiters.get(arn)?.delete(waiter);
        void this.getExecution(arn).then(resolve, () => resolve(current));
      }, timeoutMs);
      set.add(waiter);
    });
  }

  async invokePlain(fn: ResolvedFunction, payload: string, tenantId?: string): Promise<PlainInvokeResult> {
    const call: Parameters<Invoker["invoke"]>[1] = {
      requestId: randomUUID(),
      payload: payload === "" ? "{}" : payload,
      deadline: this.clock() + fn.functionTimeoutSeconds * 1000,
    };
    if (tenantId !== undefined) call.tenantId = tenantId;
    const out = await this.invoker.invoke(versionRef(fn), call);
    return out.kind === "returned" ? { ok: true, payload: out.payload } : { ok: false, error: out.error };
  }

  async getExecution(arn: string): Promise<ExecutionRecord> {
    const exec = this.cache.get(arn)?.execution ?? (await this.store.getExecution(arn));
    if (!exec) throw notFound(`Durable execution not found: ${arn}`);
    return exec;
  }

  async getHistory(
    arn: string,
    q: { marker?: string; maxItems: number; reverse: boolean },
  ): Promise<HistoryPage> {
    await this.getExecution(arn);
    const limit = q.maxItems === 0 ? 100 : q.maxItems;
    const after = q.marker === undefined ? undefined : decodeHistoryMarker(q.marker, q.reverse);
    const query: Parameters<Store["history"]>[1] = { reverse: q.reverse, limit: limit + 1 };
    if (after !== undefined) {
      if (q.reverse) query.beforeEventId = after;
      else query.afterEventId = after;
    }
    const events = await this.store.history(arn, query);
    if (events.length <= limit) return { events };
    const page = events.slice(0, limit);
    return { events: page, nextMarker: encodeHistoryMarker(page[page.length - 1]!.eventId, q.reverse) };
  }

  async listExecutions(query: ListExecutionsQuery): Promise<ListExecutionsPage> {
    return this.store.listExecutions(query);
  }

  async stopExecution(arn: string, error?: ErrorObject): Promise<{ stoppedAt: number }> {
    const out = await this.mutate(
      arn,
      (state) => {
        const r = engine.stopExecution(state, error, this.ctx());
        return { decision: r.decision, value: r.stoppedAt };
      },
      () => {
        throw notFound(`Durable execution not found: ${arn}`);
      },
    );
    return { stoppedAt: out! };
  }

  async getState(
    arn: string,
    token: string,
    marker: string | undefined,
    maxItems: number,
  ): Promise<StatePage> {
    const state = await this.load(arn);
    if (!state) throw invalidParameter(`Durable execution not found: ${arn}`);
    return engine.getState(state, token, marker, maxItems);
  }

  async checkpoint(arn: string, call: CheckpointCall): Promise<CheckpointResult> {
    let committed = false;
    const response = await this.mutate(
      arn,
      (state) => {
        const input: engine.CheckpointInput = {
          token: call.token,
          updates: call.updates,
          bodyHash: call.bodyHash,
        };
        if (call.clientToken !== undefined) input.clientToken = call.clientToken;
        const out = engine.checkpoint(state, input, this.ctx());
        committed = out.decision !== undefined;
        return { decision: out.decision, value: out.response };
      },
      () => {
        throw invalidParameter(`Durable execution not found: ${arn}`);
      },
    );
    if (committed) this.faults.reached("checkpoint:after-commit-before-reply");
    const result: CheckpointResult = {
      operations: response!.NewExecutionState.Operations as CheckpointResult["operations"],
    };
    if (response!.CheckpointToken !== undefined) result.token = response!.CheckpointToken;
    return result;
  }

  callbackSuccess(callbackId: string, result: string | undefined): Promise<void> {
    return this.callback(callbackId, { kind: "succeed", result });
  }

  callbackFailure(callbackId: string, error: ErrorObject): Promise<void> {
    return this.callback(callbackId, { kind: "fail", error });
  }

  callbackHeartbeat(callbackId: string): Promise<void> {
    return this.callback(callbackId, { kind: "heartbeat" });
  }

  private async callback(callbackId: string, completion: engine.CallbackCompletion): Promise<void> {
    const ref = await this.store.findCallback(callbackId);
    const missing = (): never => {
      throw notFound("Callback not found");
    };
    if (!ref) missing();
    await this.mutate(
      ref!.arn,
      (state) => engine.completeCallback(state, ref!.operationId, completion, this.ctx()),
      missing,
    );
  }
}

/** A decision that only consumes a due work row whose work turned out to be stale. */
export function dropWork(state: ExecutionState, work: DueWork, ctx: EngineContext): Decision {
  const d = new engine.Draft(state, ctx);
  d.unschedule(work.arn, work.kind, work.operationId);
  return d.finish();
}
