// Test helpers for the engine's unit tests: a deterministic EngineContext (a literal `now` advanced
// by hand, counters for ids and secrets) and a tiny in-memory "store" that applies decisions the way
// the real store does, so a test can chain start → begin → checkpoint → complete → fire … .
// Every state handed to the engine is a deep-frozen copy: a decision that mutates its input throws.
import {
  DEFAULT_ARN_CONTEXT,
  DEFAULT_LIMITS,
  DurableError,
  INVALID_CHECKPOINT_TOKEN,
} from "@dormouse/protocol";
import type {
  CheckpointResponse,
  ErrorObject,
  InvocationEvent,
  InvocationOutput,
  Limits,
  Operation,
  OperationUpdate,
} from "@dormouse/protocol";
import { expect } from "vitest";
import { checkpoint } from "./checkpoint.js";
import type { CheckpointInput } from "./checkpoint.js";
import { completeCallback, finishChainedInvoke } from "./async-changes.js";
import type { CallbackCompletion, ChainedOutcome } from "./async-changes.js";
import { fireTimer } from "./async-changes.js";
import { beginInvocation, completeInvocation, stripInternal } from "./invocation.js";
import type { InvocationResult } from "./invocation.js";
import { startExecution, stopExecution } from "./lifecycle.js";
import type { StartInput } from "./lifecycle.js";
import type {
  Decision,
  DueWork,
  DueWorkKind,
  EventRecord,
  ExecutionRecord,
  ExecutionState,
  InvocationLease,
  OperationRecord,
} from "./model.js";
import { DEFAULT_INVOCATION_RETRY } from "./ports.js";
import type { EngineContext, InvocationRetryPolicy, ResolvedFunction } from "./ports.js";

/** t0 of the worked example (spec §9), epoch ms. */
export const T0 = 1_795_321_200_000;

export const FUNCTIONS: Record<string, ResolvedFunction> = {
  orders: {
    functionName: "orders",
    version: "$LATEST",
    durable: true,
    executionTimeoutSeconds: 3600,
    retentionDays: 14,
    functionTimeoutSeconds: 60,
  },
  "child:1": {
    functionName: "child",
    version: "1",
    durable: true,
    executionTimeoutSeconds: 900,
    retentionDays: 7,
    functionTimeoutSeconds: 30,
  },
  "plain-fn": {
    functionName: "plain-fn",
    version: "$LATEST",
    durable: false,
    executionTimeoutSeconds: 0,
    retentionDays: 0,
    functionTimeoutSeconds: 10,
  },
};

export interface TestContext extends EngineContext {
  now: number;
  /** Moves the clock forward. */
  advance(ms: number): void;
  /** Makes the next `newId()` calls return these values (then the counter resumes). */
  queueIds(...ids: string[]): void;
}

/** Resolves `name`, `name:qualifier` and ARNs (`…:function:name[:qualifier]`) over FUNCTIONS. */
function resolve(ref: string): ResolvedFunction | undefined {
  const m = /(?:^|:function:)([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9_$.-]+))?$/.exec(ref);
  if (!m) return undefined;
  const [, name, qualifier] = m;
  return FUNCTIONS[qualifier ? `${name}:${qualifier}` : name!] ?? FUNCTIONS[name!];
}

export function testContext(
  opts: { now?: number; limits?: Partial<Limits>; retry?: Partial<InvocationRetryPolicy> } = {},
): TestContext {
  let ids = 0;
  let secrets = 0;
  const queued: string[] = [];
  return {
    now: opts.now ?? T0,
    advance(ms: number) {
      this.now += ms;
    },
    queueIds(...more: string[]) {
      queued.push(...more);
    },
    newId() {
      const next = queued.shift();
      if (next !== undefined) return next;
      ids++;
      return `00000000-0000-4000-8000-${ids.toString(16).padStart(12, "0")}`;
    },
    newSecret() {
      secrets++;
      return Buffer.from(`secret-${secrets}-nonce`, "utf8").toString("base64");
    },
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    arnContext: DEFAULT_ARN_CONTEXT,
    resolveFunction: resolve,
    invocationRetry: { ...DEFAULT_INVOCATION_RETRY, ...opts.retry },
  };
}

const workKey = (w: { arn: string; kind: string; operationId: string }) =>
  `${w.arn}|${w.kind}|${w.operationId}`;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (value instanceof Map) for (const v of value.values()) deepFreeze(v);
    else for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

interface Stored {
  execution: ExecutionRecord;
  operations: Map<string, OperationRecord>;
}

/** An in-memory store: applies decisions exactly like the store contract describes. */
export class World {
  readonly ctx: TestContext;
  readonly executions = new Map<string, Stored>();
  readonly events = new Map<string, EventRecord[]>();
  readonly due = new Map<string, DueWork>();
  readonly callbacks = new Map<string, { arn: string; operationId: string }>();
  readonly decisions: Decision[] = [];

  constructor(ctx: TestContext = testContext()) {
    this.ctx = ctx;
  }

  apply(decision: Decision | undefined): Decision | undefined {
    if (!decision) return undefined;
    const exec = decision.execution;
    const stored = this.executions.get(exec.arn);
    if (decision.created) {
      expect(stored, "created execution already exists").toBeUndefined();
      expect(exec.rev).toBe(1);
    } else {
      expect(stored, `unknown execution ${exec.arn}`).toBeDefined();
      expect(exec.rev - 1, "decision based on a stale revision").toBe(stored!.execution.rev);
    }
    this.decisions.push(decision);
    if (decision.purge) {
      this.executions.delete(exec.arn);
      this.events.delete(exec.arn);
      for (const [k, w] of this.due) if (w.arn === exec.arn) this.due.delete(k);
      for (const [k, c] of this.callbacks) if (c.arn === exec.arn) this.callbacks.delete(k);
      return decision;
    }
    const operations = new Map(stored?.operations);
    for (const op of decision.operations) operations.set(op.Id, structuredClone(op));
    this.executions.set(exec.arn, { execution: structuredClone(exec), operations });
    const log = this.events.get(exec.arn) ?? [];
    for (const e of decision.events) {
      expect(e.eventId, "EventIds have no gaps").toBe(log.length + 1);
      log.push(structuredClone(e));
    }
    this.events.set(exec.arn, log);
    if (decision.unscheduleAll) {
      for (const [k, w] of this.due) if (w.arn === exec.arn) this.due.delete(k);
    }
    for (const w of decision.unschedule) this.due.delete(workKey(w));
    for (const w of decision.schedule) this.due.set(workKey(w), structuredClone(w));
    for (const c of decision.callbacks) {
      expect(this.callbacks.has(c.callbackId), "callback ids are never reused").toBe(false);
      this.callbacks.set(c.callbackId, { arn: exec.arn, operationId: c.operationId });
    }
    return decision;
  }

  /** A deep-frozen copy of the stored state, as the engine would receive it from the store. */
  state(arn: string): ExecutionState {
    const s = this.executions.get(arn);
    if (!s) throw new Error(`no execution ${arn}`);
    return deepFreeze(structuredClone({ execution: s.execution, operations: s.operations }));
  }

  execution(arn: string): ExecutionRecord {
    return this.state(arn).execution;
  }

  op(arn: string, id: string): OperationRecord | undefined {
    return this.executions.get(arn)?.operations.get(id);
  }

  history(arn: string): EventRecord[] {
    return this.events.get(arn) ?? [];
  }

  dueFor(arn: string): DueWork[] {
    return [...this.due.values()].filter((w) => w.arn === arn);
  }

  work(arn: string, kind: DueWorkKind, operationId = ""): DueWork | undefined {
    return this.due.get(workKey({ arn, kind, operationId }));
  }

  /** Everything observable, for "nothing changed" assertions. */
  snapshot(): unknown {
    return structuredClone({
      executions: this.executions,
      events: this.events,
      due: this.due,
      callbacks: this.callbacks,
    });
  }
}

/** One execution driven through the engine, with its active invocation's newest token. */
export class Run {
  token = "";
  lease: InvocationLease | undefined;
  lastEvent: InvocationEvent | undefined;

  constructor(
    readonly world: World,
    readonly arn: string,
  ) {}

  static start(world: World, input: Partial<StartInput> = {}): Run {
    const d = world.apply(startExecution({ fn: FUNCTIONS.orders!, payload: "{}", ...input }, world.ctx))!;
    return new Run(world, d.execution.arn);
  }

  /** Started and invocation 1 begun. */
  static running(world: World = new World(), input: Partial<StartInput> = {}): Run {
    const run = Run.start(world, input);
    run.begin();
    return run;
  }

  get ctx(): TestContext {
    return this.world.ctx;
  }
  get state(): ExecutionState {
    return this.world.state(this.arn);
  }
  get exec(): ExecutionRecord {
    return this.world.execution(this.arn);
  }
  op(id: string): OperationRecord | undefined {
    return this.world.op(this.arn, id);
  }
  wireOp(id: string): Operation {
    const op = this.op(id);
    if (!op) throw new Error(`no operation ${id}`);
    return stripInternal(op);
  }
  get history(): EventRecord[] {
    return this.world.history(this.arn);
  }
  get due(): DueWork[] {
    return this.world.dueFor(this.arn);
  }
  work(kind: DueWorkKind, operationId = ""): DueWork | undefined {
    return this.world.work(this.arn, kind, operationId);
  }

  begin(): InvocationEvent {
    const out = beginInvocation(this.state, this.ctx);
    this.world.apply(out.decision);
    if (!out.began) throw new Error("no invocation began");
    this.lease = out.began.lease;
    this.token = out.began.event.CheckpointToken;
    this.lastEvent = out.began.event;
    return out.began.event;
  }

  checkpoint(
    updates: OperationUpdate[],
    opts: { token?: string; clientToken?: string; bodyHash?: string } = {},
  ): CheckpointResponse {
    const input: CheckpointInput = {
      token: opts.token ?? this.token,
      updates,
      bodyHash: opts.bodyHash ?? JSON.stringify(updates),
    };
    if (opts.clientToken !== undefined) input.clientToken = opts.clientToken;
    const out = checkpoint(this.state, input, this.ctx);
    this.world.apply(out.decision);
    if (out.response.CheckpointToken !== undefined) this.token = out.response.CheckpointToken;
    return out.response;
  }

  /** Ends the active invocation with a handler output. */
  returns(output: InvocationOutput | string): Decision | undefined {
    const payload = typeof output === "string" ? output : JSON.stringify(output);
    return this.complete({ kind: "returned", payload });
  }

  /** Ends the active invocation with a function error. */
  crashes(error: ErrorObject = { ErrorType: "Runtime.ExitError", ErrorMessage: "exit 1" }) {
    return this.complete({ kind: "error", error });
  }

  complete(result: InvocationResult, epoch = this.lease?.epoch ?? 0): Decision | undefined {
    return this.world.apply(completeInvocation(this.state, epoch, result, this.ctx));
  }

  /** Fires the due work of that kind (it must exist); the clock moves to its due time if later. */
  fire(kind: DueWorkKind, operationId = ""): Decision | undefined {
    const work = this.work(kind, operationId);
    if (!work) throw new Error(`no due work ${kind} ${operationId}`);
    if (this.ctx.now < work.dueAt) this.ctx.now = work.dueAt;
    return this.world.apply(fireTimer(this.state, work, this.ctx));
  }

  callback(operationId: string, completion: CallbackCompletion): Decision | undefined {
    return this.world.apply(completeCallback(this.state, operationId, completion, this.ctx));
  }

  finishChained(operationId: string, outcome: ChainedOutcome): Decision | undefined {
    return this.world.apply(finishChainedInvoke(this.state, operationId, outcome, this.ctx));
  }

  stop(error?: ErrorObject): number {
    const out = stopExecution(this.state, error, this.ctx);
    this.world.apply(out.decision);
    return out.stoppedAt;
  }
}

/** Builds an OperationUpdate. */
export function upd(
  Type: OperationUpdate["Type"],
  Action: OperationUpdate["Action"],
  Id: string,
  extra: Partial<OperationUpdate> = {},
): OperationUpdate {
  return { Id, Type, Action, ...extra };
}

/** Asserts `fn` throws a DurableError with that AWS name (and message prefix, if given). */
export function expectDurableError(
  fn: () => unknown,
  awsName: DurableError["awsName"],
  messageStart?: string,
): DurableError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, "expected a DurableError").toBeInstanceOf(DurableError);
  const err = caught as DurableError;
  expect(err.awsName).toBe(awsName);
  if (messageStart !== undefined) expect(err.message.startsWith(messageStart), err.message).toBe(true);
  return err;
}

export const expectInvalidParameter = (fn: () => unknown, messageStart?: string) =>
  expectDurableError(fn, "InvalidParameterValueException", messageStart);

export const expectInvalidToken = (fn: () => unknown) =>
  expectDurableError(fn, "InvalidParameterValueException", INVALID_CHECKPOINT_TOKEN);

/**
 * Asserts that the batch is rejected with InvalidParameterValueException and that nothing changed:
 * the stored world is identical and the token was not consumed.
 */
export function expectBatchRejected(run: Run, updates: OperationUpdate[], messageStart?: string) {
  const before = run.world.snapshot();
  const token = run.token;
  const err = expectInvalidParameter(() => run.checkpoint(updates), messageStart);
  expect(err.message.startsWith(INVALID_CHECKPOINT_TOKEN)).toBe(false);
  expect(run.world.snapshot()).toEqual(before);
  expect(run.token).toBe(token);
  return err;
}

/** Events projected to what the spec fixes (no timestamps), for compact history assertions. */
export function shape(events: EventRecord[]) {
  return events.map((e) => {
    const s: Record<string, unknown> = { id: e.eventId, type: e.type };
    if (e.operationId !== undefined) s.op = e.operationId;
    if (e.parentId !== undefined) s.parent = e.parentId;
    return s;
  });
}
