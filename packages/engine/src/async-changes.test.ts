// Changes outside an invocation (spec §4.2, §5, §6): the dirty set, timers, callbacks, chained invokes.
import { describe, expect, it } from "vitest";
import { fireTimer } from "./async-changes.js";
import { Run, expectDurableError, expectInvalidParameter, testContext, upd, World } from "./test-support.js";

const C = "c9e6e7b69f98f516";
const startCallback = (
  run: Run,
  options: { TimeoutSeconds?: number; HeartbeatTimeoutSeconds?: number } = {},
) => run.checkpoint([upd("CALLBACK", "START", C, { SubType: "Callback", CallbackOptions: options })]);

describe("the dirty set", () => {
  it("changes during an active invocation come back in the next (empty) checkpoint, once", () => {
    const run = Run.running();
    run.checkpoint([
      upd("WAIT", "START", "w", { WaitOptions: { WaitSeconds: 1 } }),
      upd("STEP", "RETRY", "s", { StepOptions: { NextAttemptDelaySeconds: 1 } }),
    ]);
    run.fire("wait", "w");
    run.fire("retry", "s");
    // No second invocation while one is active.
    expect(run.work("invoke")).toBeUndefined();
    const poll = run.checkpoint([]);
    expect(poll.NewExecutionState.Operations.map((o) => [o.Id, o.Status])).toEqual([
      ["w", "SUCCEEDED"],
      ["s", "READY"],
    ]);
    expect(run.checkpoint([]).NewExecutionState.Operations).toEqual([]);
    // Delivered, so ending with PENDING does not re-invoke at once.
    run.returns({ Status: "PENDING" });
    expect(run.work("invoke")).toBeUndefined();
  });

  it("changes not delivered before a crash are listed in the next invocation's UpdatedOperationIds", () => {
    const run = Run.running();
    startCallback(run);
    run.callback(C, { kind: "fail", error: { ErrorMessage: "no" } });
    run.crashes();
    const event = run.begin();
    expect(event.UpdatedOperationIds).toEqual([C]);
    expect(event.InitialExecutionState.Operations.find((o) => o.Id === C)?.Status).toBe("FAILED");
  });

  it("several changes while idle coalesce into one invoke", () => {
    const run = Run.running();
    run.checkpoint([
      upd("WAIT", "START", "w1", { WaitOptions: { WaitSeconds: 1 } }),
      upd("WAIT", "START", "w2", { WaitOptions: { WaitSeconds: 1 } }),
    ]);
    run.returns({ Status: "PENDING" });
    run.fire("wait", "w1");
    run.fire("wait", "w2");
    expect(run.due.filter((w) => w.kind === "invoke")).toHaveLength(1);
    expect(run.begin().UpdatedOperationIds).toEqual(["w1", "w2"]);
  });

  it("re-invokes even for a change nobody awaits (A19: callback timed out during a later wait)", () => {
    const run = Run.running();
    startCallback(run, { TimeoutSeconds: 10 });
    run.checkpoint([upd("WAIT", "START", "w", { WaitOptions: { WaitSeconds: 3600 } })]);
    run.returns({ Status: "PENDING" });
    run.fire("callback-timeout", C);
    expect(run.work("invoke")?.dueAt).toBe(run.ctx.now);
    run.begin();
    run.returns({ Status: "PENDING" });
    expect(run.exec.status).toBe("RUNNING");
  });
});

describe("timers", () => {
  it("stale timers do nothing", () => {
    const run = Run.running();
    run.checkpoint([upd("WAIT", "START", "w", { WaitOptions: { WaitSeconds: 5 } })]);
    const wait = { ...run.work("wait", "w")! };
    run.checkpoint([upd("WAIT", "CANCEL", "w")]);
    expect(fireTimer(run.state, wait, run.ctx)).toBeUndefined();
    expect(fireTimer(run.state, { ...wait, kind: "retry", operationId: "w" }, run.ctx)).toBeUndefined();
    expect(fireTimer(run.state, { ...wait, operationId: "unknown" }, run.ctx)).toBeUndefined();
  });

  it("no timer fires after the execution is terminal", () => {
    const run = Run.running();
    run.checkpoint([upd("WAIT", "START", "w", { WaitOptions: { WaitSeconds: 5 } })]);
    const wait = { ...run.work("wait", "w")! };
    run.stop();
    expect(fireTimer(run.state, wait, run.ctx)).toBeUndefined();
    expect(
      fireTimer(run.state, { ...wait, kind: "execution-timeout", operationId: "" }, run.ctx),
    ).toBeUndefined();
  });
});

describe("callbacks", () => {
  it("success: Result verbatim, timers cleared, CallbackSucceeded, dirty, invoke", () => {
    const run = Run.running();
    startCallback(run, { TimeoutSeconds: 60, HeartbeatTimeoutSeconds: 10 });
    run.returns({ Status: "PENDING" });
    run.ctx.advance(500);
    run.callback(C, { kind: "succeed", result: '"abc"' });
    expect(run.op(C)).toMatchObject({
      Status: "SUCCEEDED",
      EndTimestamp: run.ctx.now,
      CallbackDetails: { Result: '"abc"' },
    });
    expect(run.work("callback-timeout", C)).toBeUndefined();
    expect(run.work("callback-heartbeat", C)).toBeUndefined();
    expect(run.history.at(-1)).toMatchObject({
      type: "CallbackSucceeded",
      operationId: C,
      subType: "Callback",
      details: { Result: { Payload: '"abc"', Truncated: false } },
    });
    expect(run.exec.dirty).toEqual([C]);
    expect(run.work("invoke")?.dueAt).toBe(run.ctx.now);
  });

  it("success without a body → absent Result (conformance 7-15)", () => {
    for (const result of [undefined, ""]) {
      const run = Run.running();
      startCallback(run);
      run.callback(C, { kind: "succeed", result });
      expect(run.op(C)?.CallbackDetails).not.toHaveProperty("Result");
      expect(run.history.at(-1)?.details).toEqual({ Result: { Truncated: false } });
    }
  });

  it("failure: Error as given (even {}), CallbackFailed", () => {
    const run = Run.running();
    startCallback(run);
    run.callback(C, { kind: "fail", error: {} });
    expect(run.op(C)).toMatchObject({ Status: "FAILED", CallbackDetails: { Error: {} } });
    expect(run.history.at(-1)).toMatchObject({
      type: "CallbackFailed",
      details: { Error: { Payload: {}, Truncated: false } },
    });
    expect(run.exec.dirty).toEqual([C]);
  });

  it("a result over the limit is a 400 and changes nothing", () => {
    const run = Run.running(new World(testContext({ limits: { callbackResultBytes: 4 } })));
    startCallback(run);
    expectInvalidParameter(() => run.callback(C, { kind: "succeed", result: "12345" }));
    expect(run.op(C)?.Status).toBe("STARTED");
    run.callback(C, { kind: "succeed", result: "1234" });
  });

  it("heartbeat re-arms the heartbeat timer from now, leaves the overall timeout, records nothing", () => {
    const run = Run.running();
    startCallback(run, { TimeoutSeconds: 100, HeartbeatTimeoutSeconds: 10 });
    const timeout = run.work("callback-timeout", C)!.dueAt;
    const events = run.history.length;
    run.ctx.advance(8000);
    run.callback(C, { kind: "heartbeat" });
    expect(run.work("callback-heartbeat", C)?.dueAt).toBe(run.ctx.now + 10_000);
    expect(run.work("callback-timeout", C)?.dueAt).toBe(timeout);
    expect(run.history).toHaveLength(events);
    expect(run.op(C)?.Status).toBe("STARTED");
    expect(run.exec.dirty).toEqual([]);
  });

  it("heartbeat on a callback without a heartbeat timeout is a successful no-op", () => {
    const run = Run.running();
    startCallback(run, { TimeoutSeconds: 100 });
    const before = run.world.snapshot();
    run.callback(C, { kind: "heartbeat" });
    expect(run.world.snapshot()).toEqual(before);
  });

  it("overall timeout → TIMED_OUT with Callback.Timeout", () => {
    const run = Run.running();
    startCallback(run, { TimeoutSeconds: 600, HeartbeatTimeoutSeconds: 60 });
    run.returns({ Status: "PENDING" });
    run.ctx.advance(600_000);
    run.callback(C, { kind: "heartbeat" }); // keeps the heartbeat alive, not the deadline
    run.fire("callback-timeout", C);
    const error = { ErrorType: "Callback.Timeout", ErrorMessage: "Callback timed out" };
    expect(run.op(C)).toMatchObject({
      Status: "TIMED_OUT",
      EndTimestamp: run.ctx.now,
      CallbackDetails: { Error: error },
    });
    expect(run.history.at(-1)).toMatchObject({
      type: "CallbackTimedOut",
      details: { Error: { Payload: error, Truncated: false } },
    });
    expect(run.work("callback-heartbeat", C)).toBeUndefined();
    expect(run.exec.dirty).toEqual([C]);
    expect(run.work("invoke")).toBeDefined();
  });

  it("heartbeat timeout → TIMED_OUT with Callback.Heartbeat", () => {
    const run = Run.running();
    startCallback(run, { TimeoutSeconds: 600, HeartbeatTimeoutSeconds: 30 });
    run.fire("callback-heartbeat", C);
    expect(run.op(C)?.CallbackDetails?.Error).toEqual({
      ErrorType: "Callback.Heartbeat",
      ErrorMessage: "Callback heartbeat timed out",
    });
    expect(run.history.at(-1)?.details).toEqual({
      Error: {
        Payload: { ErrorType: "Callback.Heartbeat", ErrorMessage: "Callback heartbeat timed out" },
        Truncated: false,
      },
    });
    expect(run.work("callback-timeout", C)).toBeUndefined();
  });

  it("the first completion wins; later ones are 400 InvalidParameterValueException", () => {
    const run = Run.running();
    startCallback(run);
    run.callback(C, { kind: "succeed", result: "1" });
    const before = run.world.snapshot();
    expectInvalidParameter(() => run.callback(C, { kind: "succeed", result: "2" }));
    expectInvalidParameter(() => run.callback(C, { kind: "fail", error: {} }));
    expectInvalidParameter(() => run.callback(C, { kind: "heartbeat" }));
    expect(run.world.snapshot()).toEqual(before);
    expect(run.op(C)?.CallbackDetails?.Result).toBe("1");
  });

  it("after a timeout: CallbackTimeoutException", () => {
    const run = Run.running();
    startCallback(run, { HeartbeatTimeoutSeconds: 5 });
    run.fire("callback-heartbeat", C);
    for (const completion of [
      { kind: "succeed", result: "1" },
      { kind: "fail", error: {} },
      { kind: "heartbeat" },
    ] as const) {
      expectDurableError(() => run.callback(C, completion), "CallbackTimeoutException");
    }
  });

  it("after CANCEL the id stops accepting completions", () => {
    const run = Run.running();
    startCallback(run);
    run.checkpoint([upd("CALLBACK", "CANCEL", C)]);
    expectInvalidParameter(() => run.callback(C, { kind: "succeed", result: "1" }));
  });

  it("on a stopped or timed-out execution: 400", () => {
    const stopped = Run.running();
    startCallback(stopped);
    stopped.stop();
    expectInvalidParameter(() => stopped.callback(C, { kind: "succeed", result: "1" }));
    expectInvalidParameter(() => stopped.callback(C, { kind: "heartbeat" }));
    expect(stopped.op(C)?.Status).toBe("STARTED");

    const timedOut = Run.running();
    startCallback(timedOut);
    timedOut.fire("execution-timeout");
    expectInvalidParameter(() => timedOut.callback(C, { kind: "fail", error: {} }));
  });

  it("an operation that is not a callback: 404", () => {
    const run = Run.running();
    run.checkpoint([upd("STEP", "START", "s")]);
    expectDurableError(
      () => run.callback("s", { kind: "succeed", result: "1" }),
      "ResourceNotFoundException",
    );
    expectDurableError(
      () => run.callback("zzz", { kind: "succeed", result: "1" }),
      "ResourceNotFoundException",
    );
  });
});

describe("chained invoke outcomes (§6)", () => {
  const I = "c4ca4238a0b92382";
  const started = () => {
    const run = Run.running();
    run.checkpoint([
      upd("CHAINED_INVOKE", "START", I, {
        SubType: "ChainedInvoke",
        Name: "call",
        Payload: "{}",
        ChainedInvokeOptions: { FunctionName: "child:1" },
      }),
    ]);
    run.returns({ Status: "PENDING" });
    return run;
  };

  it.each([
    [
      "SUCCEEDED",
      "ChainedInvokeSucceeded",
      { result: '{"r":1}' },
      { Result: '{"r":1}' },
      { Result: { Payload: '{"r":1}', Truncated: false } },
    ],
    ["SUCCEEDED", "ChainedInvokeSucceeded", {}, {}, { Result: { Truncated: false } }],
    [
      "FAILED",
      "ChainedInvokeFailed",
      { error: { ErrorType: "X" } },
      { Error: { ErrorType: "X" } },
      { Error: { Payload: { ErrorType: "X" }, Truncated: false } },
    ],
    [
      "TIMED_OUT",
      "ChainedInvokeTimedOut",
      { error: { ErrorType: "Execution.Timeout" } },
      { Error: { ErrorType: "Execution.Timeout" } },
      { Error: { Payload: { ErrorType: "Execution.Timeout" }, Truncated: false } },
    ],
    [
      "STOPPED",
      "ChainedInvokeStopped",
      { error: { ErrorType: "Execution.Stopped" } },
      { Error: { ErrorType: "Execution.Stopped" } },
      { Error: { Payload: { ErrorType: "Execution.Stopped" }, Truncated: false } },
    ],
  ] as const)("%s → %s", (status, eventType, outcome, details, eventDetails) => {
    const run = started();
    run.ctx.advance(1234);
    run.finishChained(I, { status, ...outcome });
    expect(run.op(I)).toMatchObject({ Status: status, EndTimestamp: run.ctx.now });
    expect(run.op(I)?.ChainedInvokeDetails).toEqual(details);
    expect(run.history.at(-1)).toMatchObject({
      type: eventType,
      operationId: I,
      name: "call",
      subType: "ChainedInvoke",
    });
    expect(run.history.at(-1)?.details).toEqual(eventDetails);
    expect(run.exec.dirty).toEqual([I]);
    expect(run.work("invoke")?.dueAt).toBe(run.ctx.now);
    expect(run.work("chained-start", I)).toBeUndefined();
  });

  it("a second outcome, or one for a finished caller, changes nothing but the due work", () => {
    const run = started();
    run.finishChained(I, { status: "SUCCEEDED", result: "1" });
    const events = run.history.length;
    run.finishChained(I, { status: "FAILED", error: {} });
    expect(run.op(I)?.Status).toBe("SUCCEEDED");
    expect(run.history).toHaveLength(events);

    const stopped = started();
    stopped.stop();
    stopped.finishChained(I, { status: "SUCCEEDED", result: "1" });
    expect(stopped.op(I)?.Status).toBe("STARTED");
    expect(stopped.history.at(-1)?.type).toBe("ExecutionStopped");
  });
});
