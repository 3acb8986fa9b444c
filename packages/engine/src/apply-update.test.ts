// Every (Type × Action) row of spec §3.6: allowed and forbidden prior statuses, effects, events.
import type { OperationStatus, OperationUpdate } from "@dormouse/protocol";
import { describe, expect, it } from "vitest";
import { Run, World, expectBatchRejected, upd } from "./test-support.js";

const S = "c4ca4238a0b92382";
const ERR = { ErrorType: "StepError", ErrorMessage: "boom" };

type Prior = "absent" | OperationStatus;

/** Brings STEP `S` into the given status through the engine itself. */
function stepIn(run: Run, status: Prior): void {
  const start = upd("STEP", "START", S, { SubType: "Step", Name: "s" });
  switch (status) {
    case "absent":
      return;
    case "STARTED":
      run.checkpoint([start]);
      return;
    case "PENDING":
      run.checkpoint([
        start,
        upd("STEP", "RETRY", S, { Error: ERR, StepOptions: { NextAttemptDelaySeconds: 2 } }),
      ]);
      return;
    case "READY":
      stepIn(run, "PENDING");
      run.fire("retry", S);
      return;
    case "SUCCEEDED":
      run.checkpoint([start, upd("STEP", "SUCCEED", S, { Payload: '"x"' })]);
      return;
    case "FAILED":
      run.checkpoint([start, upd("STEP", "FAIL", S, { Error: ERR })]);
      return;
    default:
      throw new Error(`cannot build a STEP in ${status}`);
  }
}

const lastEvent = (run: Run) => run.history.at(-1)!;

describe("STEP", () => {
  describe("START", () => {
    it("absent → STARTED without Attempt, StepStarted{}", () => {
      const run = Run.running();
      run.ctx.advance(7);
      const res = run.checkpoint([upd("STEP", "START", S, { SubType: "Step", Name: "s" })]);
      expect(run.wireOp(S)).toEqual({
        Id: S,
        Type: "STEP",
        SubType: "Step",
        Name: "s",
        Status: "STARTED",
        StartTimestamp: run.ctx.now,
      });
      expect(res.NewExecutionState.Operations.map((o) => o.Id)).toEqual([S]);
      expect(lastEvent(run)).toMatchObject({
        type: "StepStarted",
        operationId: S,
        name: "s",
        subType: "Step",
        details: {},
      });
    });

    it("READY → STARTED keeping Attempt, Result and Error", () => {
      const run = Run.running();
      run.checkpoint([
        upd("STEP", "START", S),
        upd("STEP", "RETRY", S, { Error: ERR, StepOptions: { NextAttemptDelaySeconds: 3 } }),
      ]);
      run.fire("retry", S);
      expect(run.op(S)?.Status).toBe("READY");
      run.checkpoint([upd("STEP", "START", S)]);
      const op = run.op(S)!;
      expect(op.Status).toBe("STARTED");
      expect(op.StepDetails).toMatchObject({ Attempt: 1, Error: ERR });
      expect(op.EndTimestamp).toBeUndefined();
      expect(lastEvent(run)).toMatchObject({ type: "StepStarted", details: {} });
    });

    it.each<Prior>(["STARTED", "PENDING", "SUCCEEDED", "FAILED"])("rejected on a %s step", (prior) => {
      const run = Run.running();
      stepIn(run, prior);
      expectBatchRejected(run, [upd("STEP", "START", S)]);
    });
  });

  describe.each(["SUCCEED", "FAIL"] as const)("%s", (action) => {
    const u = (): OperationUpdate =>
      action === "SUCCEED"
        ? upd("STEP", "SUCCEED", S, { Payload: '"ok"' })
        : upd("STEP", "FAIL", S, { Error: ERR });

    it.each<Prior>(["absent", "STARTED", "READY"])("allowed on a %s step", (prior) => {
      const run = Run.running();
      stepIn(run, prior);
      const prevAttempt = run.op(S)?.StepDetails?.Attempt ?? 0;
      run.ctx.advance(11);
      const res = run.checkpoint([u()]);
      const op = run.op(S)!;
      expect(op.Status).toBe(action === "SUCCEED" ? "SUCCEEDED" : "FAILED");
      expect(op.EndTimestamp).toBe(run.ctx.now);
      expect(op.StepDetails?.Attempt).toBe(prevAttempt + 1);
      expect(op.StepDetails?.NextAttemptTimestamp).toBeUndefined();
      if (action === "SUCCEED") {
        expect(op.StepDetails?.Result).toBe('"ok"');
        expect(op.StepDetails).not.toHaveProperty("Error");
        expect(lastEvent(run)).toMatchObject({
          type: "StepSucceeded",
          details: {
            Result: { Payload: '"ok"', Truncated: false },
            RetryDetails: { CurrentAttempt: prevAttempt + 1 },
          },
        });
      } else {
        expect(op.StepDetails?.Error).toEqual(ERR);
        expect(op.StepDetails).not.toHaveProperty("Result");
        expect(lastEvent(run)).toMatchObject({
          type: "StepFailed",
          details: {
            Error: { Payload: ERR, Truncated: false },
            RetryDetails: { CurrentAttempt: prevAttempt + 1 },
          },
        });
      }
      // NextAttemptDelaySeconds only on RETRY-derived events.
      expect(lastEvent(run).details.RetryDetails).toEqual({ CurrentAttempt: prevAttempt + 1 });
      expect(res.NewExecutionState.Operations.map((o) => o.Id)).toEqual([S]);
      if (prior === "absent") {
        // A close without START creates the step; only the closing event is recorded.
        expect(run.history.filter((e) => e.operationId === S).map((e) => e.type)).toEqual([
          action === "SUCCEED" ? "StepSucceeded" : "StepFailed",
        ]);
      }
    });

    it.each<Prior>(["PENDING", "SUCCEEDED", "FAILED"])("rejected on a %s step", (prior) => {
      const run = Run.running();
      stepIn(run, prior);
      expectBatchRejected(run, [u()]);
    });
  });

  it("SUCCEED with an Error is rejected; FAIL with a Payload is rejected", () => {
    const run = Run.running();
    stepIn(run, "STARTED");
    expectBatchRejected(run, [upd("STEP", "SUCCEED", S, { Payload: "1", Error: ERR })]);
    expectBatchRejected(run, [upd("STEP", "FAIL", S, { Payload: "1", Error: ERR })]);
  });

  describe("RETRY", () => {
    it.each<Prior>(["absent", "STARTED", "READY"])("allowed on a %s step", (prior) => {
      const run = Run.running();
      stepIn(run, prior);
      const prevAttempt = run.op(S)?.StepDetails?.Attempt ?? 0;
      run.ctx.advance(5);
      const res = run.checkpoint([
        upd("STEP", "RETRY", S, { Error: ERR, StepOptions: { NextAttemptDelaySeconds: 4 } }),
      ]);
      const op = run.op(S)!;
      expect(op.Status).toBe("PENDING");
      expect(op.EndTimestamp).toBeUndefined();
      expect(op.StepDetails).toEqual({
        Attempt: prevAttempt + 1,
        NextAttemptTimestamp: run.ctx.now + 4000,
        Error: ERR,
      });
      expect(res.NewExecutionState.Operations[0]?.StepDetails?.NextAttemptTimestamp).toBe(run.ctx.now + 4000);
      expect(run.work("retry", S)?.dueAt).toBe(run.ctx.now + 4000);
      expect(lastEvent(run)).toMatchObject({
        type: "StepFailed",
        details: {
          Error: { Payload: ERR, Truncated: false },
          RetryDetails: { CurrentAttempt: prevAttempt + 1, NextAttemptDelaySeconds: 4 },
        },
      });
    });

    it.each<Prior>(["PENDING", "SUCCEEDED", "FAILED"])("rejected on a %s step", (prior) => {
      const run = Run.running();
      stepIn(run, prior);
      expectBatchRejected(run, [upd("STEP", "RETRY", S, { StepOptions: { NextAttemptDelaySeconds: 1 } })]);
    });

    it("without Error records StepSucceeded with the Payload as Result", () => {
      const run = Run.running();
      run.checkpoint([
        upd("STEP", "START", S),
        upd("STEP", "RETRY", S, { Payload: '{"n":1}', StepOptions: { NextAttemptDelaySeconds: 1 } }),
      ]);
      expect(run.op(S)?.StepDetails?.Result).toBe('{"n":1}');
      expect(lastEvent(run)).toMatchObject({
        type: "StepSucceeded",
        details: {
          Result: { Payload: '{"n":1}', Truncated: false },
          RetryDetails: { CurrentAttempt: 1, NextAttemptDelaySeconds: 1 },
        },
      });
    });

    it.each<[string, Partial<OperationUpdate>]>([
      ["both Payload and Error", { Payload: "1", Error: ERR, StepOptions: { NextAttemptDelaySeconds: 1 } }],
      ["no StepOptions", {}],
      ["no NextAttemptDelaySeconds", { StepOptions: {} }],
      ["a delay of 0", { StepOptions: { NextAttemptDelaySeconds: 0 } }],
      ["a delay over 31622400", { StepOptions: { NextAttemptDelaySeconds: 31_622_401 } }],
      ["a fractional delay", { StepOptions: { NextAttemptDelaySeconds: 1.5 } }],
    ])("rejected with %s", (_, extra) => {
      const run = Run.running();
      stepIn(run, "STARTED");
      expectBatchRejected(run, [upd("STEP", "RETRY", S, extra)]);
    });

    it("accepts the maximum delay", () => {
      const run = Run.running();
      run.checkpoint([upd("STEP", "RETRY", S, { StepOptions: { NextAttemptDelaySeconds: 31_622_400 } })]);
      expect(run.work("retry", S)?.dueAt).toBe(run.ctx.now + 31_622_400_000);
    });
  });

  it("CANCEL is rejected", () => {
    const run = Run.running();
    stepIn(run, "STARTED");
    expectBatchRejected(run, [upd("STEP", "CANCEL", S)], "Invalid action");
  });

  it("retry timer: PENDING → READY keeping the other fields, no event, dirty, invoke", () => {
    const run = Run.running();
    run.checkpoint([
      upd("STEP", "START", S),
      upd("STEP", "RETRY", S, { Payload: "7", StepOptions: { NextAttemptDelaySeconds: 2 } }),
    ]);
    run.returns({ Status: "PENDING" });
    const before = run.op(S)!;
    const events = run.history.length;
    run.fire("retry", S);
    expect(run.op(S)).toEqual({ ...before, Status: "READY" });
    expect(run.history).toHaveLength(events);
    expect(run.exec.dirty).toEqual([S]);
    expect(run.work("invoke")?.dueAt).toBe(run.ctx.now);
    expect(run.work("retry", S)).toBeUndefined();
  });
});

describe("STEP attempt arithmetic", () => {
  it("conformance 1-12: four attempts → StepFailed {1,1},{2,1},{3,1},{4}", () => {
    const run = Run.running();
    const observedAttempts: (number | undefined)[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      if (attempt > 1) run.begin();
      observedAttempts.push(
        run.lastEvent!.InitialExecutionState.Operations.find((o) => o.Id === S)?.StepDetails?.Attempt,
      );
      const close =
        attempt < 4
          ? upd("STEP", "RETRY", S, { Error: ERR, StepOptions: { NextAttemptDelaySeconds: 1 } })
          : upd("STEP", "FAIL", S, { Error: ERR });
      run.checkpoint([upd("STEP", "START", S, { SubType: "Step", Name: "s" }), close]);
      if (attempt < 4) {
        expect(run.op(S)?.StepDetails?.Attempt).toBe(attempt);
        run.returns({ Status: "PENDING" });
        run.fire("retry", S);
        expect(run.op(S)?.StepDetails?.Attempt).toBe(attempt);
      } else {
        run.returns({ Status: "FAILED", Error: { ErrorType: "StepError", ErrorMessage: "boom" } });
      }
    }
    // The SDK computes the current attempt as (Attempt ?? 0) + 1: 1, 2, 3, 4.
    expect(observedAttempts).toEqual([undefined, 1, 2, 3]);
    const stepEvents = run.history.filter((e) => e.operationId === S);
    expect(stepEvents.map((e) => e.type)).toEqual([
      "StepStarted",
      "StepFailed",
      "StepStarted",
      "StepFailed",
      "StepStarted",
      "StepFailed",
      "StepStarted",
      "StepFailed",
    ]);
    expect(stepEvents.filter((e) => e.type === "StepFailed").map((e) => e.details.RetryDetails)).toEqual([
      { CurrentAttempt: 1, NextAttemptDelaySeconds: 1 },
      { CurrentAttempt: 2, NextAttemptDelaySeconds: 1 },
      { CurrentAttempt: 3, NextAttemptDelaySeconds: 1 },
      { CurrentAttempt: 4 },
    ]);
    expect(run.op(S)?.StepDetails?.Attempt).toBe(4);
    expect(run.exec.status).toBe("FAILED");
    expect(run.history.at(-1)?.type).toBe("ExecutionFailed");
  });

  it("success after one retry reports CurrentAttempt 2", () => {
    const run = Run.running();
    run.checkpoint([
      upd("STEP", "START", S),
      upd("STEP", "RETRY", S, { Error: ERR, StepOptions: { NextAttemptDelaySeconds: 1 } }),
    ]);
    run.fire("retry", S);
    run.checkpoint([upd("STEP", "START", S), upd("STEP", "SUCCEED", S, { Payload: "1" })]);
    expect(run.op(S)?.StepDetails).toEqual({ Attempt: 2, Result: "1" });
    expect(lastEvent(run).details).toEqual({
      Result: { Payload: "1", Truncated: false },
      RetryDetails: { CurrentAttempt: 2 },
    });
  });

  it("waitForCondition: RETRY state survives READY → START; final SUCCEED", () => {
    const run = Run.running();
    const wfc = { SubType: "WaitForCondition", Name: "poll" };
    const results: (string | undefined)[] = [];
    for (const state of ["1", "2"]) {
      run.checkpoint([
        upd("STEP", "START", S, wfc),
        upd("STEP", "RETRY", S, { ...wfc, Payload: state, StepOptions: { NextAttemptDelaySeconds: 1 } }),
      ]);
      run.returns({ Status: "PENDING" });
      run.fire("retry", S);
      expect(run.op(S)?.StepDetails?.Result).toBe(state);
      const event = run.begin();
      results.push(event.InitialExecutionState.Operations.find((o) => o.Id === S)?.StepDetails?.Result);
    }
    // A crash between START and the next RETRY: the state is still readable.
    run.checkpoint([upd("STEP", "START", S, wfc)]);
    expect(run.op(S)?.StepDetails).toMatchObject({ Attempt: 2, Result: "2" });
    run.checkpoint([upd("STEP", "SUCCEED", S, { ...wfc, Payload: "3" })]);
    expect(results).toEqual(["1", "2"]);
    const events = run.history.filter((e) => e.operationId === S || e.type === "InvocationCompleted");
    expect(
      events.map((e) => [e.type, (e.details.Result as { Payload?: string } | undefined)?.Payload]),
    ).toEqual([
      ["StepStarted", undefined],
      ["StepSucceeded", "1"],
      ["InvocationCompleted", undefined],
      ["StepStarted", undefined],
      ["StepSucceeded", "2"],
      ["InvocationCompleted", undefined],
      ["StepStarted", undefined],
      ["StepSucceeded", "3"],
    ]);
    expect(run.op(S)?.StepDetails).toEqual({ Attempt: 3, Result: "3" });
  });

  it("RETRY stores the update's Payload, replacing the old state (absent → absent)", () => {
    const run = Run.running();
    run.checkpoint([
      upd("STEP", "RETRY", S, { Payload: "old", StepOptions: { NextAttemptDelaySeconds: 1 } }),
    ]);
    run.fire("retry", S);
    run.checkpoint([upd("STEP", "RETRY", S, { Error: ERR, StepOptions: { NextAttemptDelaySeconds: 1 } })]);
    expect(run.op(S)?.StepDetails).not.toHaveProperty("Result");
    expect(run.op(S)?.StepDetails?.Error).toEqual(ERR);
  });

  it("SUCCEED after a failed attempt clears the Error", () => {
    const run = Run.running();
    stepIn(run, "READY");
    run.checkpoint([upd("STEP", "SUCCEED", S, { Payload: "1" })]);
    expect(run.op(S)?.StepDetails).toEqual({ Attempt: 2, Result: "1" });
  });
});

describe("payloads: absent vs empty string", () => {
  it("STEP SUCCEED without Payload → absent Result, event Result without Payload", () => {
    const run = Run.running();
    run.checkpoint([upd("STEP", "SUCCEED", S)]);
    expect(run.op(S)?.StepDetails).toEqual({ Attempt: 1 });
    expect(lastEvent(run).details.Result).toEqual({ Truncated: false });
  });

  it('STEP SUCCEED with "" → Result ""', () => {
    const run = Run.running();
    run.checkpoint([upd("STEP", "SUCCEED", S, { Payload: "" })]);
    expect(run.op(S)?.StepDetails).toEqual({ Attempt: 1, Result: "" });
    expect(lastEvent(run).details.Result).toEqual({ Payload: "", Truncated: false });
  });

  it("void SUCCEED after a RETRY with state drops the old Result", () => {
    const run = Run.running();
    run.checkpoint([upd("STEP", "RETRY", S, { Payload: "s", StepOptions: { NextAttemptDelaySeconds: 1 } })]);
    run.fire("retry", S);
    run.checkpoint([upd("STEP", "START", S), upd("STEP", "SUCCEED", S)]);
    expect(run.op(S)?.StepDetails).toEqual({ Attempt: 2 });
  });

  it('CONTEXT SUCCEED keeps "" as "" and absent as absent', () => {
    const run = Run.running();
    run.checkpoint([
      upd("CONTEXT", "START", "c1"),
      upd("CONTEXT", "SUCCEED", "c1", { Payload: "" }),
      upd("CONTEXT", "START", "c2"),
      upd("CONTEXT", "SUCCEED", "c2"),
    ]);
    expect(run.op("c1")?.ContextDetails).toEqual({ Result: "" });
    expect(run.op("c2")?.ContextDetails).toEqual({});
    const succeeded = run.history.filter((e) => e.type === "ContextSucceeded");
    expect(succeeded.map((e) => e.details)).toEqual([
      { Result: { Payload: "", Truncated: false } },
      { Result: { Truncated: false } },
    ]);
  });
});

describe("WAIT", () => {
  const W = "c81e728d9d4c2f63";
  const start = (seconds?: number) =>
    upd("WAIT", "START", W, {
      SubType: "Wait",
      Name: "w",
      WaitOptions: seconds === undefined ? {} : { WaitSeconds: seconds },
    });

  it("START → STARTED, ScheduledEndTimestamp = start + WaitSeconds, timer, WaitStarted", () => {
    const run = Run.running();
    run.ctx.advance(62);
    run.checkpoint([start(5)]);
    const now = run.ctx.now;
    expect(run.wireOp(W)).toEqual({
      Id: W,
      Type: "WAIT",
      SubType: "Wait",
      Name: "w",
      Status: "STARTED",
      StartTimestamp: now,
      WaitDetails: { ScheduledEndTimestamp: now + 5000 },
    });
    expect(run.work("wait", W)?.dueAt).toBe(now + 5000);
    expect(lastEvent(run)).toMatchObject({
      type: "WaitStarted",
      details: { Duration: 5, ScheduledEndTimestamp: (now + 5000) / 1000 },
    });
  });

  it.each([
    ["missing", undefined],
    ["0", 0],
    ["over the maximum", 31_622_401],
    ["fractional", 2.5],
    ["negative", -1],
  ])("START with WaitSeconds %s is rejected", (_, seconds) => {
    const run = Run.running();
    expectBatchRejected(run, [start(seconds)]);
  });

  it("START without WaitOptions is rejected", () => {
    const run = Run.running();
    expectBatchRejected(run, [upd("WAIT", "START", W)]);
  });

  it("START of an existing WAIT is rejected (STARTED or finished)", () => {
    const run = Run.running();
    run.checkpoint([start(1)]);
    expectBatchRejected(run, [start(1)]);
    run.fire("wait", W);
    expectBatchRejected(run, [start(1)]);
  });

  it("CANCEL of a STARTED wait → CANCELLED, timer disarmed, WaitCancelled{}", () => {
    const run = Run.running();
    run.checkpoint([start(10)]);
    run.ctx.advance(3);
    run.checkpoint([upd("WAIT", "CANCEL", W)]);
    expect(run.op(W)).toMatchObject({ Status: "CANCELLED", EndTimestamp: run.ctx.now });
    expect(run.work("wait", W)).toBeUndefined();
    expect(lastEvent(run)).toMatchObject({ type: "WaitCancelled", operationId: W, details: {} });
  });

  it("CANCEL with an Error records it in WaitCancelled", () => {
    const run = Run.running();
    run.checkpoint([start(10)]);
    run.checkpoint([upd("WAIT", "CANCEL", W, { Error: ERR })]);
    expect(lastEvent(run).details).toEqual({ Error: { Payload: ERR, Truncated: false } });
  });

  it("CANCEL of an absent, SUCCEEDED or CANCELLED wait is rejected", () => {
    const run = Run.running();
    expectBatchRejected(run, [upd("WAIT", "CANCEL", W)]);
    run.checkpoint([start(1)]);
    run.fire("wait", W);
    expectBatchRejected(run, [upd("WAIT", "CANCEL", W)]);
    run.checkpoint([upd("WAIT", "START", "w2", { WaitOptions: { WaitSeconds: 1 } })]);
    run.checkpoint([upd("WAIT", "CANCEL", "w2")]);
    expectBatchRejected(run, [upd("WAIT", "CANCEL", "w2")]);
  });

  it.each(["SUCCEED", "FAIL", "RETRY"] as const)("%s is rejected", (action) => {
    const run = Run.running();
    run.checkpoint([start(1)]);
    expectBatchRejected(run, [upd("WAIT", action, W)], "Invalid action");
  });

  it("timer: STARTED → SUCCEEDED with EndTimestamp, WaitSucceeded{Duration}", () => {
    const run = Run.running();
    run.checkpoint([start(5)]);
    run.returns({ Status: "PENDING" });
    run.ctx.advance(5200); // a little late
    run.fire("wait", W);
    expect(run.op(W)).toMatchObject({ Status: "SUCCEEDED", EndTimestamp: run.ctx.now });
    expect(lastEvent(run)).toMatchObject({ type: "WaitSucceeded", operationId: W, details: { Duration: 5 } });
    expect(run.exec.dirty).toEqual([W]);
    expect(run.work("invoke")).toBeDefined();
  });
});

describe("CALLBACK", () => {
  const C = "c9e6e7b69f98f516";

  it("START mints a CallbackId, returns it in the same response, records CallbackStarted", () => {
    const run = Run.running();
    const res = run.checkpoint([
      upd("CALLBACK", "START", C, {
        SubType: "Callback",
        CallbackOptions: { TimeoutSeconds: 600, HeartbeatTimeoutSeconds: 30 },
      }),
    ]);
    const id = res.NewExecutionState.Operations[0]?.CallbackDetails?.CallbackId;
    expect(id).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(run.wireOp(C)).toEqual({
      Id: C,
      Type: "CALLBACK",
      SubType: "Callback",
      Status: "STARTED",
      StartTimestamp: run.ctx.now,
      CallbackDetails: { CallbackId: id },
    });
    expect(run.world.callbacks.get(id!)).toEqual({ arn: run.arn, operationId: C });
    expect(run.work("callback-timeout", C)?.dueAt).toBe(run.ctx.now + 600_000);
    expect(run.work("callback-heartbeat", C)?.dueAt).toBe(run.ctx.now + 30_000);
    expect(lastEvent(run)).toMatchObject({
      type: "CallbackStarted",
      details: { CallbackId: id, Timeout: 600, HeartbeatTimeout: 30 },
    });
  });

  it("explicit 0 timeouts (Python) arm nothing and are not recorded", () => {
    const run = Run.running();
    run.checkpoint([
      upd("CALLBACK", "START", C, { CallbackOptions: { TimeoutSeconds: 0, HeartbeatTimeoutSeconds: 0 } }),
    ]);
    expect(run.work("callback-timeout", C)).toBeUndefined();
    expect(run.work("callback-heartbeat", C)).toBeUndefined();
    expect(Object.keys(lastEvent(run).details)).toEqual(["CallbackId"]);
  });

  it("each START mints a distinct id", () => {
    const run = Run.running();
    const res = run.checkpoint([upd("CALLBACK", "START", "cb1"), upd("CALLBACK", "START", "cb2")]);
    const [a, b] = res.NewExecutionState.Operations.map((o) => o.CallbackDetails?.CallbackId);
    expect(a).not.toBe(b);
  });

  it.each([
    ["negative TimeoutSeconds", { TimeoutSeconds: -1 }],
    ["negative HeartbeatTimeoutSeconds", { HeartbeatTimeoutSeconds: -5 }],
    ["fractional TimeoutSeconds", { TimeoutSeconds: 1.5 }],
  ])("START with %s is rejected", (_, options) => {
    const run = Run.running();
    expectBatchRejected(run, [upd("CALLBACK", "START", C, { CallbackOptions: options })]);
  });

  it("START of an existing callback is rejected", () => {
    const run = Run.running();
    run.checkpoint([upd("CALLBACK", "START", C)]);
    expectBatchRejected(run, [upd("CALLBACK", "START", C)]);
  });

  it("CANCEL of a STARTED callback → CANCELLED, timers disarmed, no event", () => {
    const run = Run.running();
    run.checkpoint([
      upd("CALLBACK", "START", C, { CallbackOptions: { TimeoutSeconds: 60, HeartbeatTimeoutSeconds: 5 } }),
    ]);
    const events = run.history.length;
    run.checkpoint([upd("CALLBACK", "CANCEL", C)]);
    expect(run.op(C)).toMatchObject({ Status: "CANCELLED", EndTimestamp: run.ctx.now });
    expect(run.work("callback-timeout", C)).toBeUndefined();
    expect(run.work("callback-heartbeat", C)).toBeUndefined();
    expect(run.history).toHaveLength(events);
  });

  it("CANCEL of an absent or finished callback is rejected", () => {
    const run = Run.running();
    expectBatchRejected(run, [upd("CALLBACK", "CANCEL", C)]);
    run.checkpoint([upd("CALLBACK", "START", C)]);
    run.callback(C, { kind: "succeed", result: "1" });
    expectBatchRejected(run, [upd("CALLBACK", "CANCEL", C)]);
  });

  it.each(["SUCCEED", "FAIL", "RETRY"] as const)(
    "%s is rejected (the SDK cannot complete its own callback)",
    (action) => {
      const run = Run.running();
      run.checkpoint([upd("CALLBACK", "START", C)]);
      expectBatchRejected(run, [upd("CALLBACK", action, C)], "Invalid action");
    },
  );
});

describe("CHAINED_INVOKE", () => {
  const I = "c4ca4238a0b92382";

  it("START records FunctionName, TenantId, Input, ExecutedVersion, DurableExecutionArn; schedules chained-start", () => {
    const run = Run.running();
    const res = run.checkpoint([
      upd("CHAINED_INVOKE", "START", I, {
        SubType: "ChainedInvoke",
        Name: "call-durable",
        Payload: '{"x":1}',
        ChainedInvokeOptions: {
          FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:child:1",
          TenantId: "tenant-a",
        },
      }),
    ]);
    expect(res.NewExecutionState.Operations.map((o) => [o.Id, o.Status])).toEqual([[I, "STARTED"]]);
    expect(run.wireOp(I)).toEqual({
      Id: I,
      Type: "CHAINED_INVOKE",
      SubType: "ChainedInvoke",
      Name: "call-durable",
      Status: "STARTED",
      StartTimestamp: run.ctx.now,
    });
    const event = lastEvent(run);
    expect(event.type).toBe("ChainedInvokeStarted");
    const childArn = event.details.DurableExecutionArn as string;
    expect(childArn).toMatch(
      /^arn:aws:lambda:us-east-1:000000000000:function:child:1\/durable-execution\/[a-zA-Z0-9_-]+\/[a-zA-Z0-9_-]+$/,
    );
    expect(event.details).toEqual({
      FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:child:1",
      TenantId: "tenant-a",
      Input: { Payload: '{"x":1}', Truncated: false },
      ExecutedVersion: "1",
      DurableExecutionArn: childArn,
    });
    const work = run.work("chained-start", I);
    expect(work?.dueAt).toBe(run.ctx.now);
    expect(work?.data).toMatchObject({
      target: "arn:aws:lambda:us-east-1:123456789012:function:child:1",
      payload: '{"x":1}',
      tenantId: "tenant-a",
      functionName: "child",
      version: "1",
      durable: true,
      childArn,
    });
  });

  it("a plain target records ExecutedVersion but no DurableExecutionArn", () => {
    const run = Run.running();
    run.checkpoint([
      upd("CHAINED_INVOKE", "START", I, {
        Payload: '{"y":2}',
        ChainedInvokeOptions: { FunctionName: "plain-fn" },
      }),
    ]);
    expect(lastEvent(run).details).toEqual({
      FunctionName: "plain-fn",
      Input: { Payload: '{"y":2}', Truncated: false },
      ExecutedVersion: "$LATEST",
    });
    expect(run.work("chained-start", I)?.data).toMatchObject({ durable: false, functionName: "plain-fn" });
  });

  it("an unknown target is still accepted (it fails later, asynchronously)", () => {
    const run = Run.running();
    run.checkpoint([upd("CHAINED_INVOKE", "START", I, { ChainedInvokeOptions: { FunctionName: "nope" } })]);
    expect(run.op(I)?.Status).toBe("STARTED");
    expect(lastEvent(run).details).toEqual({ FunctionName: "nope", Input: { Truncated: false } });
    expect(run.work("chained-start", I)?.data).toMatchObject({ target: "nope", payload: null });
  });

  it("START without FunctionName is rejected", () => {
    const run = Run.running();
    expectBatchRejected(run, [upd("CHAINED_INVOKE", "START", I)]);
    expectBatchRejected(run, [
      upd("CHAINED_INVOKE", "START", I, { ChainedInvokeOptions: { FunctionName: "" } }),
    ]);
  });

  it("START of an existing chained invoke is rejected", () => {
    const run = Run.running();
    run.checkpoint([
      upd("CHAINED_INVOKE", "START", I, { ChainedInvokeOptions: { FunctionName: "plain-fn" } }),
    ]);
    expectBatchRejected(run, [
      upd("CHAINED_INVOKE", "START", I, { ChainedInvokeOptions: { FunctionName: "plain-fn" } }),
    ]);
  });

  it("CANCEL of a STARTED chained invoke → STOPPED, ChainedInvokeStopped{Error}", () => {
    const run = Run.running();
    run.checkpoint([
      upd("CHAINED_INVOKE", "START", I, { ChainedInvokeOptions: { FunctionName: "plain-fn" } }),
    ]);
    run.checkpoint([upd("CHAINED_INVOKE", "CANCEL", I, { Error: ERR })]);
    expect(run.op(I)).toMatchObject({
      Status: "STOPPED",
      EndTimestamp: run.ctx.now,
      ChainedInvokeDetails: { Error: ERR },
    });
    expect(lastEvent(run)).toMatchObject({
      type: "ChainedInvokeStopped",
      details: { Error: { Payload: ERR, Truncated: false } },
    });
    expect(run.work("chained-start", I)).toBeUndefined();
  });

  it("CANCEL of an absent or finished chained invoke is rejected", () => {
    const run = Run.running();
    expectBatchRejected(run, [upd("CHAINED_INVOKE", "CANCEL", I)]);
    run.checkpoint([
      upd("CHAINED_INVOKE", "START", I, { ChainedInvokeOptions: { FunctionName: "plain-fn" } }),
    ]);
    run.finishChained(I, { status: "SUCCEEDED", result: "1" });
    expectBatchRejected(run, [upd("CHAINED_INVOKE", "CANCEL", I)]);
  });

  it.each(["SUCCEED", "FAIL", "RETRY"] as const)("%s is rejected", (action) => {
    const run = Run.running();
    run.checkpoint([
      upd("CHAINED_INVOKE", "START", I, { ChainedInvokeOptions: { FunctionName: "plain-fn" } }),
    ]);
    expectBatchRejected(run, [upd("CHAINED_INVOKE", action, I)], "Invalid action");
  });
});

describe("CONTEXT", () => {
  const C = "eccbc87e4b5ce2fe";

  it("START → STARTED with ContextDetails {}, ContextStarted{}", () => {
    const run = Run.running();
    run.checkpoint([upd("CONTEXT", "START", C, { SubType: "RunInChildContext", Name: "child" })]);
    expect(run.wireOp(C)).toEqual({
      Id: C,
      Type: "CONTEXT",
      SubType: "RunInChildContext",
      Name: "child",
      Status: "STARTED",
      StartTimestamp: run.ctx.now,
      ContextDetails: {},
    });
    expect(lastEvent(run)).toMatchObject({ type: "ContextStarted", details: {} });
  });

  it("START with ContextOptions stores ReplayChildren", () => {
    const run = Run.running();
    run.checkpoint([upd("CONTEXT", "START", C, { ContextOptions: { ReplayChildren: true } })]);
    expect(run.op(C)?.ContextDetails).toEqual({ ReplayChildren: true });
  });

  it("START of an existing context is rejected", () => {
    const run = Run.running();
    run.checkpoint([upd("CONTEXT", "START", C)]);
    expectBatchRejected(run, [upd("CONTEXT", "START", C)]);
  });

  it.each(["absent", "STARTED"] as const)("SUCCEED allowed on a %s context", (prior) => {
    const run = Run.running();
    if (prior === "STARTED") run.checkpoint([upd("CONTEXT", "START", C)]);
    run.ctx.advance(3);
    run.checkpoint([upd("CONTEXT", "SUCCEED", C, { Payload: '"r"' })]);
    expect(run.op(C)).toMatchObject({
      Status: "SUCCEEDED",
      EndTimestamp: run.ctx.now,
      ContextDetails: { Result: '"r"' },
    });
    expect(lastEvent(run)).toMatchObject({
      type: "ContextSucceeded",
      details: { Result: { Payload: '"r"', Truncated: false } },
    });
  });

  it.each(["absent", "STARTED"] as const)("FAIL allowed on a %s context", (prior) => {
    const run = Run.running();
    if (prior === "STARTED") run.checkpoint([upd("CONTEXT", "START", C)]);
    run.checkpoint([upd("CONTEXT", "FAIL", C, { Error: ERR })]);
    expect(run.op(C)).toMatchObject({ Status: "FAILED", ContextDetails: { Error: ERR } });
    expect(run.op(C)?.ContextDetails).not.toHaveProperty("Result");
    expect(lastEvent(run)).toMatchObject({
      type: "ContextFailed",
      details: { Error: { Payload: ERR, Truncated: false } },
    });
  });

  it.each([
    ["SUCCEED", "SUCCEEDED"],
    ["FAIL", "SUCCEEDED"],
    ["SUCCEED", "FAILED"],
    ["FAIL", "FAILED"],
  ] as const)("%s on a %s context is rejected", (action, prior) => {
    const run = Run.running();
    run.checkpoint([
      upd("CONTEXT", "START", C),
      prior === "SUCCEEDED" ? upd("CONTEXT", "SUCCEED", C) : upd("CONTEXT", "FAIL", C, { Error: ERR }),
    ]);
    expectBatchRejected(run, [
      action === "SUCCEED" ? upd("CONTEXT", "SUCCEED", C) : upd("CONTEXT", "FAIL", C, { Error: ERR }),
    ]);
  });

  it("ReplayChildren = ContextOptions.ReplayChildren ?? previous", () => {
    const run = Run.running();
    run.checkpoint([
      upd("CONTEXT", "START", "a", { ContextOptions: { ReplayChildren: true } }),
      upd("CONTEXT", "SUCCEED", "a", { Payload: "" }),
      upd("CONTEXT", "START", "b"),
      upd("CONTEXT", "SUCCEED", "b", { Payload: "", ContextOptions: { ReplayChildren: true } }),
      upd("CONTEXT", "START", "c", { ContextOptions: { ReplayChildren: true } }),
      upd("CONTEXT", "FAIL", "c", { Error: ERR, ContextOptions: { ReplayChildren: false } }),
    ]);
    expect(run.op("a")?.ContextDetails).toEqual({ ReplayChildren: true, Result: "" });
    expect(run.op("b")?.ContextDetails).toEqual({ ReplayChildren: true, Result: "" });
    expect(run.op("c")?.ContextDetails).toEqual({ ReplayChildren: false, Error: ERR });
  });

  it("SUCCEED with an Error / FAIL with a Payload is rejected", () => {
    const run = Run.running();
    run.checkpoint([upd("CONTEXT", "START", C)]);
    expectBatchRejected(run, [upd("CONTEXT", "SUCCEED", C, { Error: ERR })]);
    expectBatchRejected(run, [upd("CONTEXT", "FAIL", C, { Payload: "x" })]);
  });

  it.each(["RETRY", "CANCEL"] as const)("%s is rejected", (action) => {
    const run = Run.running();
    run.checkpoint([upd("CONTEXT", "START", C)]);
    expectBatchRejected(run, [upd("CONTEXT", action, C)], "Invalid action");
  });
});

describe("EXECUTION", () => {
  it.each(["START", "RETRY", "CANCEL"] as const)("%s is rejected", (action) => {
    const run = Run.running(new World());
    expectBatchRejected(run, [upd("EXECUTION", action, run.exec.executionOpId)]);
  });
});
