// Invocations (spec §2.2–2.4, §4.3–4.4): begin, the outcomes, PENDING rules, function errors.
import { describe, expect, it } from "vitest";
import { fireTimer } from "./async-changes.js";
import { beginInvocation, completeInvocation, parseOutput } from "./invocation.js";
import { INVOCATION_GRACE_MS } from "./lifecycle.js";
import { FUNCTIONS, Run, World, testContext, upd } from "./test-support.js";

const PENDING_ERROR = {
  ErrorType: "InvalidParameterValueException",
  ErrorMessage: "Cannot return PENDING status with no pending operations.",
};

describe("beginInvocation", () => {
  it("hands out a fresh lease, token and the current state; consumes the invoke; arms the deadline", () => {
    const world = new World();
    const run = Run.start(world);
    const ctx = world.ctx;
    ctx.advance(3);
    ctx.queueIds("req-1");
    const event = run.begin();
    const lease = run.exec.invocation!;
    expect(lease).toMatchObject({
      epoch: 1,
      requestId: "req-1",
      tokenSeq: 0,
      startedAt: ctx.now,
      deadline: ctx.now + FUNCTIONS.orders!.functionTimeoutSeconds * 1000,
      progressed: false,
    });
    expect(event.DurableExecutionArn).toBe(run.arn);
    expect(event.CheckpointToken).toBeTruthy();
    expect(event.UpdatedOperationIds).toEqual([]);
    expect(run.work("invoke")).toBeUndefined();
    expect(run.work("invocation-timeout")).toMatchObject({
      dueAt: lease.deadline + INVOCATION_GRACE_MS,
      data: { epoch: 1 },
    });
    expect(run.exec.lastEpoch).toBe(1);
  });

  it("records the node that begins the invocation on its lease, and only then", () => {
    const world = new World();
    const run = Run.start(world);
    expect(beginInvocation(run.state, run.ctx).began?.lease.node).toBeUndefined();
    world.ctx.nodeId = "node-a";
    run.begin();
    expect(run.exec.invocation?.node).toBe("node-a");
    // A later invocation records whichever node begins it.
    run.crashes();
    world.ctx.nodeId = "node-b";
    run.begin();
    expect(run.exec.invocation).toMatchObject({ epoch: 2, node: "node-b" });
  });

  it("never starts a second invocation while one is active", () => {
    const run = Run.running();
    const out = beginInvocation(run.state, run.ctx);
    expect(out.began).toBeUndefined();
    run.world.apply(out.decision);
    expect(run.exec.invocation?.epoch).toBe(1);
  });

  it("does not start on a terminal execution", () => {
    const run = Run.running();
    run.returns({ Status: "SUCCEEDED" });
    expect(beginInvocation(run.state, run.ctx).began).toBeUndefined();
  });

  it("epochs increase across invocations", () => {
    const run = Run.running();
    run.crashes();
    run.begin();
    expect(run.exec.invocation?.epoch).toBe(2);
  });
});

describe("handler outcomes (§2.4)", () => {
  it("SUCCEEDED → execution SUCCEEDED; InvocationCompleted then ExecutionSucceeded; timers cancelled", () => {
    const run = Run.running();
    run.checkpoint([upd("WAIT", "START", "w", { WaitOptions: { WaitSeconds: 100 } })]);
    run.ctx.advance(40);
    run.returns({ Status: "SUCCEEDED", Result: '"done"' });
    const exec = run.exec;
    expect(exec).toMatchObject({ status: "SUCCEEDED", result: '"done"', endedAt: run.ctx.now });
    expect(exec.invocation).toBeUndefined();
    expect(run.history.slice(-2).map((e) => e.type)).toEqual(["InvocationCompleted", "ExecutionSucceeded"]);
    expect(run.history.at(-2)?.details).toEqual({
      StartTimestamp: (run.ctx.now - 40) / 1000,
      EndTimestamp: run.ctx.now / 1000,
      RequestId: run.lease!.requestId,
    });
    expect(run.history.at(-1)?.details).toEqual({ Result: { Payload: '"done"', Truncated: false } });
    expect(run.due.map((w) => w.kind)).toEqual(["purge"]);
    expect(run.op(run.exec.executionOpId)).toMatchObject({ Status: "SUCCEEDED", EndTimestamp: run.ctx.now });
  });

  it("SUCCEEDED without Result → absent Result; with '' → ''", () => {
    const a = Run.running();
    a.returns({ Status: "SUCCEEDED" });
    expect(a.exec).not.toHaveProperty("result");
    expect(a.history.at(-1)?.details).toEqual({ Result: { Truncated: false } });
    const b = Run.running();
    b.returns({ Status: "SUCCEEDED", Result: "" });
    expect(b.exec.result).toBe("");
  });

  it("FAILED → execution FAILED with the Error; InvocationCompleted carries no Error (A17)", () => {
    const run = Run.running();
    const error = { ErrorType: "StepError", ErrorMessage: "bad", ErrorData: "{}", StackTrace: ["a"] };
    run.returns({ Status: "FAILED", Error: error });
    expect(run.exec).toMatchObject({ status: "FAILED", error });
    expect(run.history.at(-2)).toMatchObject({ type: "InvocationCompleted" });
    expect(run.history.at(-2)?.details).not.toHaveProperty("Error");
    expect(run.history.at(-1)).toMatchObject({
      type: "ExecutionFailed",
      operationId: run.exec.executionOpId,
      details: { Error: { Payload: error, Truncated: false } },
    });
    expect(run.work("invoke")).toBeUndefined();
  });

  it("PENDING with a dirty set → invoke at once", () => {
    const run = Run.running();
    run.checkpoint([upd("WAIT", "START", "w", { WaitOptions: { WaitSeconds: 1 } })]);
    run.fire("wait", "w"); // lands while the invocation is active
    expect(run.work("invoke")).toBeUndefined();
    run.ctx.advance(10);
    run.returns({ Status: "PENDING" });
    expect(run.work("invoke")?.dueAt).toBe(run.ctx.now);
    const event = run.begin();
    expect(event.UpdatedOperationIds).toEqual(["w"]);
    expect(run.exec.dirty).toEqual([]);
  });

  it("PENDING with pending work and nothing dirty → idle", () => {
    const run = Run.running();
    run.checkpoint([upd("WAIT", "START", "w", { WaitOptions: { WaitSeconds: 1 } })]);
    run.returns({ Status: "PENDING" });
    expect(run.exec.status).toBe("RUNNING");
    expect(run.work("invoke")).toBeUndefined();
    expect(run.due.map((w) => w.kind).sort()).toEqual(["execution-timeout", "wait"]);
  });

  it.each([
    ["a STEP in PENDING", [upd("STEP", "RETRY", "s", { StepOptions: { NextAttemptDelaySeconds: 5 } })]],
    ["a WAIT in STARTED", [upd("WAIT", "START", "w", { WaitOptions: { WaitSeconds: 5 } })]],
    ["a CALLBACK in STARTED", [upd("CALLBACK", "START", "c")]],
    [
      "a CHAINED_INVOKE in STARTED",
      [upd("CHAINED_INVOKE", "START", "i", { ChainedInvokeOptions: { FunctionName: "plain-fn" } })],
    ],
  ])("%s counts as pending work", (_, updates) => {
    const run = Run.running();
    run.checkpoint(updates);
    run.returns({ Status: "PENDING" });
    expect(run.exec.status).toBe("RUNNING");
  });

  it("a STEP in READY counts as pending work", () => {
    const run = Run.running();
    run.checkpoint([upd("STEP", "RETRY", "s", { StepOptions: { NextAttemptDelaySeconds: 5 } })]);
    run.fire("retry", "s");
    run.checkpoint([]); // delivers the change, so the dirty set is empty again
    run.returns({ Status: "PENDING" });
    expect(run.exec.status).toBe("RUNNING");
  });

  it.each([
    ["nothing at all", []],
    ["only a STEP in STARTED", [upd("STEP", "START", "s")]],
    ["only a CONTEXT in STARTED", [upd("CONTEXT", "START", "c")]],
    ["only finished operations", [upd("STEP", "SUCCEED", "s"), upd("CONTEXT", "SUCCEED", "c")]],
  ])("PENDING with %s pending → execution FAILED with the service's error", (_, updates) => {
    const run = Run.running();
    if (updates.length > 0) run.checkpoint(updates);
    run.returns({ Status: "PENDING" });
    expect(run.exec).toMatchObject({ status: "FAILED", error: PENDING_ERROR });
    expect(run.history.slice(-2).map((e) => e.type)).toEqual(["InvocationCompleted", "ExecutionFailed"]);
    expect(run.history.at(-1)?.details).toEqual({ Error: { Payload: PENDING_ERROR, Truncated: false } });
  });

  it("an outcome for an invocation that is no longer current is ignored", () => {
    const run = Run.running();
    expect(
      completeInvocation(run.state, 7, { kind: "returned", payload: '{"Status":"PENDING"}' }, run.ctx),
    ).toBeUndefined();
  });

  it("output after a stop is ignored and nothing follows the terminal event", () => {
    const run = Run.running();
    run.stop();
    const events = run.history.length;
    run.returns({ Status: "SUCCEEDED", Result: "1" });
    expect(run.exec.status).toBe("STOPPED");
    expect(run.exec.result).toBeUndefined();
    expect(run.exec.invocation).toBeUndefined();
    expect(run.history).toHaveLength(events);
    expect(run.history.at(-1)?.type).toBe("ExecutionStopped");
    expect(run.due.map((w) => w.kind)).toEqual(["purge"]);
  });
});

describe("malformed output is a function error", () => {
  it.each([
    ["not JSON", "{oops"],
    ["not an object", '"SUCCEEDED"'],
    ["null", "null"],
    ["missing Status", "{}"],
    ["unknown Status", '{"Status":"DONE"}'],
    ["SUCCEEDED with Error", '{"Status":"SUCCEEDED","Error":{}}'],
    ["FAILED with Result", '{"Status":"FAILED","Result":"x"}'],
    ["a non-string Result", '{"Status":"SUCCEEDED","Result":{"a":1}}'],
  ])("%s", (_, payload) => {
    expect(parseOutput(payload).kind).toBe("error");
    const run = Run.running();
    run.returns(payload);
    expect(run.exec.status).toBe("RUNNING");
    expect(run.history.at(-1)).toMatchObject({ type: "InvocationCompleted" });
    expect(run.history.at(-1)?.details.Error).toMatchObject({
      Payload: { ErrorType: expect.any(String) },
      Truncated: false,
    });
    expect(run.work("invoke")?.dueAt).toBe(run.ctx.now);
  });

  it("well-formed outputs parse", () => {
    expect(parseOutput('{"Status":"SUCCEEDED"}')).toEqual({ kind: "ok", output: { Status: "SUCCEEDED" } });
    expect(parseOutput('{"Status":"PENDING"}')).toEqual({ kind: "ok", output: { Status: "PENDING" } });
    expect(parseOutput('{"Status":"FAILED","Error":{"ErrorType":"X"}}')).toEqual({
      kind: "ok",
      output: { Status: "FAILED", Error: { ErrorType: "X" } },
    });
  });
});

describe("function errors and retries (§4.4)", () => {
  it("InvocationCompleted{Error}, then immediate twice, then 1 s, 2 s, 4 s … capped at 5 min", () => {
    const run = Run.running();
    const delays: number[] = [];
    const error = { ErrorType: "Runtime.ExitError", ErrorMessage: "exit status 1" };
    for (let i = 0; i < 14; i++) {
      if (i > 0) {
        run.ctx.now = run.work("invoke")!.dueAt;
        run.begin();
      }
      run.ctx.advance(100);
      run.crashes(error);
      const invoke = run.work("invoke");
      expect(invoke).toBeDefined();
      delays.push(invoke!.dueAt - run.ctx.now);
      expect(run.exec.status).toBe("RUNNING");
    }
    expect(delays).toEqual([
      0, 0, 1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000,
    ]);
    const completed = run.history.filter((e) => e.type === "InvocationCompleted");
    expect(completed).toHaveLength(14);
    for (const e of completed) {
      expect(e.details.Error).toEqual({ Payload: error, Truncated: false });
      expect(e.operationId).toBeUndefined();
    }
    expect(run.exec.consecutiveFailures).toBe(14);
  });

  it("the counter resets after an invocation that checkpointed", () => {
    const run = Run.running();
    run.crashes();
    run.begin();
    run.crashes();
    run.begin();
    run.crashes();
    expect(run.work("invoke")!.dueAt - run.ctx.now).toBe(1000);
    run.ctx.now = run.work("invoke")!.dueAt;
    run.begin();
    run.checkpoint([]);
    run.crashes();
    expect(run.work("invoke")!.dueAt).toBe(run.ctx.now);
  });

  it("the counter resets after an invocation that returned normally", () => {
    const run = Run.running();
    run.checkpoint([upd("WAIT", "START", "w", { WaitOptions: { WaitSeconds: 1 } })]);
    run.crashes();
    run.begin();
    run.crashes();
    run.begin();
    run.crashes();
    run.ctx.now = run.work("invoke")!.dueAt;
    run.begin();
    run.returns({ Status: "PENDING" });
    expect(run.exec.consecutiveFailures).toBe(0);
    run.fire("wait", "w");
    run.begin();
    run.crashes();
    expect(run.work("invoke")!.dueAt).toBe(run.ctx.now);
  });

  it("a configured cap fails the execution with the last error", () => {
    const run = Run.running(new World(testContext({ retry: { maxConsecutiveFailures: 2 } })));
    run.crashes({ ErrorType: "A" });
    run.begin();
    run.crashes({ ErrorType: "B" });
    expect(run.exec).toMatchObject({ status: "FAILED", error: { ErrorType: "B" } });
    expect(run.history.slice(-2).map((e) => e.type)).toEqual(["InvocationCompleted", "ExecutionFailed"]);
    expect(run.work("invoke")).toBeUndefined();
  });

  it("an invocation past its deadline is a Sandbox.Timedout function error and its tokens die", () => {
    const run = Run.running();
    const token = run.token;
    run.fire("invocation-timeout");
    expect(run.exec.invocation).toBeUndefined();
    expect(run.history.at(-1)?.details.Error).toEqual({
      Payload: { ErrorType: "Sandbox.Timedout", ErrorMessage: "Task timed out after 60 seconds" },
      Truncated: false,
    });
    expect(run.work("invoke")?.dueAt).toBe(run.ctx.now);
    run.begin();
    // A late report from the timed-out invocation is ignored.
    expect(
      completeInvocation(run.state, 1, { kind: "returned", payload: '{"Status":"PENDING"}' }, run.ctx),
    ).toBeUndefined();
    expect(() => run.checkpoint([], { token })).toThrow(/^Invalid Checkpoint Token/);
  });

  it("a stale invocation-timeout (older epoch) does nothing", () => {
    const run = Run.running();
    const stale = { ...run.work("invocation-timeout")! };
    run.crashes();
    run.begin();
    expect(fireTimer(run.state, stale, run.ctx)).toBeUndefined();
  });
});
