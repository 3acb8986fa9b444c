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
import type {
  DueWorkClaim,
  ListExecutionsPage,
  ListExecutionsQuery,
  OrphanedLease,
  Store,
} from "@dormouse/store";
import { ExecutionChangeFeed } from "./change-feed.js";
import type { ExecutionChangeListener, ExecutionChangeSource } from "./change-feed.js";
import { claimDueWork } from "./claim-due-work.js";
import type { ClusterBus, ClusterNotice } from "./cluster-bus.js";
import { DueWorkLoop, readDueWork } from "./due-work-loop.js";
import { FaultPoints } from "./fault-points.js";
import { InvocationSlots } from "./invocation-slots.js";
import { KeyedMutex } from "./keyed-mutex.js";
import { NodeLiveness } from "./node-liveness.js";
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
  /** This node's id, recorded on the invocation leases it begins (random when absent). */
  nodeId?: string;
  /** Other nodes share the store (docs/decisions/0004-cluster.md); absent: this node is alone. */
  cluster?: ClusterOptions;
}

export interface ClusterOptions {
  /** Notices to and from the other nodes. */
  bus: ClusterBus;
  /** At most this long after a node stops, its invocations are re-invoked by another node. */
  leaseTtlMs: number;
  /** Longest time between two looks at the store when no notice arrives (default 2 s or less). */
  pollMs?: number;
}

/** Default of ClusterOptions.pollMs: what a lost notice can delay at most. */
const CLUSTER_POLL_MS = 2_000;
/** Invocation bookkeeping that failed (the database is unreachable) is retried, backing off to this. */
const BOOKKEEPING_RETRY_MAX_MS = 5_000;

/** Called with the terminal record, or with undefined when the server stops first. */
type Waiter = (exec: ExecutionRecord | undefined) => void;

export class Orchestrator implements DurableService, ExecutionChangeSource {
  readonly store: Store;
  readonly nodeId: string;
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
  private readonly cluster: ClusterOptions | undefined;
  /** Cluster only: the longest a lost notice can delay what it would have said. */
  private readonly pollMs: number;
  private readonly liveness: NodeLiveness | undefined;
  /** Worker slots taken by commits that claimed an `invoke` row due now, by execution. */
  private readonly slotsForClaims = new Map<string, string>();
  /** Executions other nodes changed this tick, for the change feed. */
  private remoteChanges = new Set<string>();
  private remoteChangesScheduled: NodeJS.Immediate | undefined;
  private waiterPoll: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  /** `invoke` rows were left unclaimed for want of a slot here: a freed slot looks again. */
  private claimsSaturated = false;
  private closed = false;

  constructor(opts: OrchestratorOptions) {
    this.store = opts.store;
    this.nodeId = opts.nodeId ?? randomUUID();
    this.cluster = opts.cluster;
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
    const capacity = (fn: string) => this.invoker.capacity?.(fn) ?? 8;
    this.slots = new InvocationSlots(capacity);
    const cluster = this.cluster;
    this.pollMs = cluster?.pollMs ?? Math.min(CLUSTER_POLL_MS, (cluster?.leaseTtlMs ?? 0) / 2);
    const source = cluster
      ? claimDueWork(this.store, this.slots, {
          nodeId: this.nodeId,
          leaseTtlMs: cluster.leaseTtlMs,
          pollMs: this.pollMs,
          capacity,
          onSaturation: (saturated) => (this.claimsSaturated = saturated),
        })
      : readDueWork(this.store);
    this.loop = new DueWorkLoop(source, (work) => this.handleWork(work), this.log, this.clock);
    this.liveness = cluster
      ? new NodeLiveness({
          store: this.store,
          nodeId: this.nodeId,
          leaseTtlMs: cluster.leaseTtlMs,
          clock: this.clock,
          log: this.log,
          recover: (lease) => this.endOrphanedLease(lease),
          // While this node was presumed dead, notices may have been missed and claims taken over.
          revived: () => this.resync(),
        })
      : undefined;
    this.chained = new ChainedInvokes(this);
  }

  /**
   * Recovers invocations lost with the previous process, then starts firing due work. In a cluster:
   * registers the node (under `url`, where its API listens), ends the leases of dead nodes, and
   * listens to the other nodes.
   */
  async start(opts: { url?: string } = {}): Promise<void> {
    if (this.cluster && this.liveness) {
      await this.liveness.start(opts.url ?? "");
      this.unsubscribe = this.cluster.bus.subscribe({
        notice: (n) => this.onNotice(n),
        reset: () => this.resync(),
      });
      await this.liveness.sweep();
      this.waiterPoll = setInterval(() => void this.pollWaiters(), this.pollMs);
      this.waiterPoll.unref?.();
      this.loop.start();
      return;
    }
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
    this.liveness?.stop();
    if (this.waiterPoll) clearInterval(this.waiterPoll);
    this.unsubscribe?.();
    for (const [arn, set] of this.waiters) {
      this.waiters.delete(arn);
      const exec = this.cache.get(arn)?.execution;
      for (const w of set) w(exec);
    }
  }

  /**
   * Waits for the bookkeeping of invocations still running (close the runtime first). In a cluster,
   * then hands what this node holds to the others at once: its claims, its node row, last notices.
   */
  async close(): Promise<void> {
    this.stop();
    await Promise.allSettled([...this.running]);
    this.changes.close();
    if (this.remoteChangesScheduled) clearImmediate(this.remoteChangesScheduled);
    if (this.cluster && this.liveness) {
      const leaving = async () => {
        await this.store.releaseClaims(this.nodeId);
        await this.liveness!.leave();
      };
      await leaving().catch((err: unknown) =>
        this.log.warn({ err }, "could not leave the cluster cleanly; others take over after the lease TTL"),
      );
      await this.cluster.bus.close();
    }
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
      nodeId: this.nodeId,
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
    const claim = this.claimFor(decision);
    try {
      await this.store.commit(decision, claim?.claim);
    } catch (err) {
      claim?.undo();
      // The commit may have landed nonetheless (the connection broke at COMMIT): then rows are
      // claimed for this node that nothing here will handle. Give them back once the store answers.
      if (claim && !(err instanceof ConflictError)) this.releaseUncertainClaims(decision, claim.claim);
      throw err;
    }
    this.cache.apply(decision);
    this.afterCommit(decision, claim?.claim);
  }

  /**
   * In a cluster, a commit claims the rows it schedules due now for this node, which handles them
   * at once; an `invoke` only when a worker slot is free here (the slot is taken now, and the
   * invocation uses it). Otherwise the rows are left for any node, and the notice says so.
   */
  private claimFor(decision: Decision): { claim: DueWorkClaim; undo: () => void } | undefined {
    // Before start and once closing, the loop would not handle what it claimed.
    if (!this.cluster || this.closed || !this.loop.active) return undefined;
    const now = this.clock();
    const claim = { node: this.nodeId, dueBy: now };
    const arn = decision.execution.arn;
    const invokesNow = decision.schedule.some((w) => w.kind === "invoke" && w.dueAt <= now);
    if (!invokesNow || this.slotsForClaims.has(arn)) return { claim, undo: () => undefined };
    const functionName = decision.execution.functionName;
    if (!this.slots.tryAcquire(functionName)) {
      // Left to any node with room, this one included once a slot here is free.
      this.claimsSaturated = true;
      return undefined;
    }
    this.slotsForClaims.set(arn, functionName);
    return {
      claim,
      undo: () => {
        this.slotsForClaims.delete(arn);
        this.releaseSlot(functionName);
      },
    };
  }

  private releaseUncertainClaims(decision: Decision, claim: DueWorkClaim): void {
    const keys = decision.schedule
      .filter((w) => w.dueAt <= claim.dueBy)
      .map((w) => ({ arn: w.arn, kind: w.kind, operationId: w.operationId }));
    if (keys.length === 0) return;
    void this.track(
      this.persistently("release claims", () => this.store.releaseClaims(this.nodeId, keys)).catch(
        (err: unknown) =>
          this.log.warn({ err }, "could not release claims; other nodes take them after the lease TTL"),
      ),
    );
  }

  private releaseSlot(functionName: string): void {
    this.slots.release(functionName);
    if (this.claimsSaturated) this.loop.wake();
  }

  private afterCommit(decision: Decision, claim: DueWorkClaim | undefined): void {
    const exec = decision.execution;
    const now = this.clock();
    // Rows due later are this node's to fire when they are due (its timer); other nodes find them
    // by polling if it dies first. Rows due now that it did not claim are for any node with room.
    let leftForOthers = Infinity;
    for (const work of decision.schedule) {
      const claimed = claim === undefined ? !this.cluster : work.dueAt <= claim.dueBy;
      this.loop.scheduled(work, claimed);
      if (!claimed && work.dueAt <= now) leftForOthers = Math.min(leftForOthers, work.dueAt);
    }
    if (this.cluster) {
      this.cluster.bus.publish({
        kind: "execution",
        node: this.nodeId,
        arn: exec.arn,
        rev: exec.rev,
        status: decision.purge ? "PURGED" : exec.status,
        ...(leftForOthers !== Infinity && { dueAt: leftForOthers }),
      });
    }
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
    // A commit that claimed this `invoke` row took a worker slot for it (claimFor).
    const held = this.slotsForClaims.get(arn);
    this.slotsForClaims.delete(arn);
    let loaded: ExecutionState | undefined;
    try {
      loaded = await this.load(arn);
    } catch (err) {
      if (held !== undefined) this.releaseSlot(held);
      throw err;
    }
    if (!loaded) {
      if (held !== undefined) this.releaseSlot(held);
      return this.store.dropDueWork({ arn, kind: "invoke", operationId: "" });
    }
    // The due row stays (and stays in flight in the loop) until a worker slot is free.
    const functionName = loaded.execution.functionName;
    if (held !== undefined && held !== functionName) this.releaseSlot(held);
    if (held !== functionName && !(await this.slots.acquire(functionName))) return;
    let began;
    try {
      began = await this.mutate(arn, (state) => {
        const out = engine.beginInvocation(state, this.ctx());
        return { decision: out.decision, value: out.began && { ...out.began, exec: state.execution } };
      });
    } catch (err) {
      this.releaseSlot(functionName);
      throw err;
    }
    if (!began) return this.releaseSlot(functionName);
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
        this.releaseSlot(functionName);
        await this.persistently("record the end of an invocation", () =>
          this.mutate(arn, (state) => engine.completeInvocation(state, lease.epoch, result, this.ctx())),
        );
      })().catch((err) => this.log.error({ err, arn }, "invocation bookkeeping failed")),
    );
  }

  /**
   * Runs `write` until it succeeds, backing off while it fails (the database is unreachable): e.g.
   * the end of an invocation must be recorded, or its execution would wait for the invocation
   * timeout. Once the orchestrator is closing, the last failure is thrown.
   */
  private async persistently(what: string, write: () => Promise<unknown>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await write();
        return;
      } catch (err) {
        if (this.closed) throw err;
        const delay = Math.min(BOOKKEEPING_RETRY_MAX_MS, 100 * 2 ** attempt);
        if (attempt === 0) this.log.warn({ err }, `could not ${what}; retrying with backoff`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  // ---- the cluster --------------------------------------------------------------------------

  /** Ends the lease of an invocation whose node died; the retry path invokes the execution again. */
  private async endOrphanedLease(orphan: OrphanedLease): Promise<void> {
    await this.mutate(orphan.arn, (state) => {
      const lease = state.execution.invocation;
      // The lease moved on since the sweep read it (another node ended it, or began a new one).
      if (!lease || lease.node !== orphan.node || lease.node === this.nodeId) return undefined;
      const who = lease.node === undefined ? "" : ` (${lease.node})`;
      return engine.completeInvocation(
        state,
        lease.epoch,
        {
          kind: "error",
          error: {
            ErrorType: "Runtime.ExitError",
            ErrorMessage: `The node running the invocation${who} stopped`,
          },
        },
        this.ctx(),
      );
    });
  }

  private onNotice(notice: ClusterNotice): void {
    if (notice.kind !== "execution" || this.closed) return;
    const { arn } = notice;
    // Another node committed: what this node cached of the execution is older.
    if ((this.cache.peek(arn)?.execution.rev ?? Infinity) < notice.rev || notice.status === "PURGED") {
      this.cache.delete(arn);
    }
    if (notice.dueAt !== undefined) this.loop.notified(notice.dueAt);
    if (notice.status !== "RUNNING" && this.waiters.has(arn)) void this.checkWaiters(arn);
    if (notice.status !== "PURGED" && this.changes.listening) {
      this.remoteChanges.add(arn);
      this.remoteChangesScheduled ??= setImmediate(() => void this.publishRemoteChanges());
    }
  }

  /** Notices may have been lost: forget the cache, look for due work, re-check waiters. */
  private resync(): void {
    if (this.closed) return;
    this.cache.clear();
    this.loop.wake();
    void this.pollWaiters();
  }

  /** Executions other nodes changed, read once per tick, for the change feed (the console). */
  private async publishRemoteChanges(): Promise<void> {
    this.remoteChangesScheduled = undefined;
    const arns = [...this.remoteChanges];
    this.remoteChanges = new Set();
    for (const arn of arns) {
      const exec = await this.store.getExecution(arn).catch(() => undefined);
      if (exec) this.changes.publish(exec);
    }
  }

  private async pollWaiters(): Promise<void> {
    for (const arn of [...this.waiters.keys()]) await this.checkWaiters(arn);
  }

  /** Wakes the synchronous Invokes waiting for `arn` if it has ended (on whichever node). */
  private async checkWaiters(arn: string): Promise<void> {
    let exec: ExecutionRecord | undefined;
    try {
      exec = await this.store.getExecution(arn);
    } catch {
      return; // the next poll tries again
    }
    if (exec && exec.status === "RUNNING") return;
    const set = this.waiters.get(arn);
    if (!set) return;
    this.waiters.delete(arn);
    for (const w of set) w(exec);
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
    const run = async (again = true): Promise<{ execution: ExecutionRecord; created: boolean }> => {
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
      try {
        await this.commit(decision);
      } catch (err) {
        // Another node created an execution of that name first: the one that exists is the answer.
        if (err instanceof ConflictError && req.name !== undefined && again) return run(false);
        throw err;
      }
      return { execution: decision.execution, created: true };
    };
    // Same-name starts are serialised so that exactly one of two concurrent ones creates.
    return nameKey ? this.locks.run(nameKey, () => run()) : run();
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
    // In a cluster another node may have moved the execution a moment ago: read the row itself.
    const cached = this.cluster ? undefined : this.cache.get(arn)?.execution;
    const exec = cached ?? (await this.store.getExecution(arn));
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
