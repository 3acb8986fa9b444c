// CheckpointDurableExecution (spec §3.3, §3.7): whole-batch validation, the "do not reject" list,
// the response (touched operations plus the dirty set), and EXECUTION updates that end the run.
import type { OperationUpdate } from "@dormouse/protocol";
import { describe, expect, it } from "vitest";
import { checkpoint } from "./checkpoint.js";
import { Run, World, expectBatchRejected, expectInvalidToken, testContext, upd } from "./test-support.js";

const ERR = { ErrorType: "E", ErrorMessage: "m" };

describe("validation rejects the whole batch and changes nothing (§3.7)", () => {
  const bad = (u: Partial<OperationUpdate>) => u as OperationUpdate;

  it.each<[string, OperationUpdate]>([
    ["a missing Id", bad({ Type: "STEP", Action: "START" })],
    ["an empty Id", bad({ Id: "", Type: "STEP", Action: "START" })],
    ["a missing Type", bad({ Id: "a", Action: "START" })],
    ["an unknown Type", bad({ Id: "a", Type: "TIMER" as never, Action: "START" })],
    ["a missing Action", bad({ Id: "a", Type: "STEP" })],
    ["an unknown Action", bad({ Id: "a", Type: "STEP", Action: "RESUME" as never })],
    ["an Id over 64 characters", upd("STEP", "START", "a".repeat(65))],
    ["an Id with a bad character", upd("STEP", "START", "a/b")],
    ["a ParentId with a bad character", upd("STEP", "START", "a", { ParentId: "p p" })],
    ["a Name over 256 characters", upd("STEP", "START", "a", { Name: "n".repeat(257) })],
    ["an empty Name", upd("STEP", "START", "a", { Name: "" })],
    ["a SubType over 32 characters", upd("STEP", "START", "a", { SubType: "S".repeat(33) })],
    ["a SubType with a bad character", upd("STEP", "START", "a", { SubType: "Step!" })],
  ])("%s", (_, u) => {
    const run = Run.running();
    // A valid update before the bad one must not be applied either.
    expectBatchRejected(run, [upd("STEP", "START", "ok"), u]);
    expect(run.op("ok")).toBeUndefined();
  });

  it("accepts the longest valid Id, Name and SubType", () => {
    const run = Run.running();
    run.checkpoint([
      upd("STEP", "START", "a".repeat(64), { Name: "n".repeat(256), SubType: "S".repeat(32) }),
    ]);
    expect(run.op("a".repeat(64))?.Status).toBe("STARTED");
  });

  it.each<[string, OperationUpdate[]]>([
    [
      "WAIT START then CANCEL",
      [upd("WAIT", "START", "w", { WaitOptions: { WaitSeconds: 1 } }), upd("WAIT", "CANCEL", "w")],
    ],
    ["STEP START twice", [upd("STEP", "START", "s"), upd("STEP", "START", "s")]],
    ["STEP SUCCEED twice", [upd("STEP", "SUCCEED", "s"), upd("STEP", "SUCCEED", "s")]],
    [
      "STEP START, SUCCEED, SUCCEED",
      [upd("STEP", "START", "s"), upd("STEP", "SUCCEED", "s"), upd("STEP", "SUCCEED", "s")],
    ],
    ["STEP SUCCEED then START", [upd("STEP", "SUCCEED", "s"), upd("STEP", "START", "s")]],
    ["CALLBACK START then CANCEL", [upd("CALLBACK", "START", "c"), upd("CALLBACK", "CANCEL", "c")]],
    ["CONTEXT START twice", [upd("CONTEXT", "START", "c"), upd("CONTEXT", "START", "c")]],
  ])("the same Id twice: %s", (_, updates) => {
    const run = Run.running();
    expectBatchRejected(run, updates, "Updates[");
  });

  it.each<[string, OperationUpdate[]]>([
    ["STEP START + SUCCEED", [upd("STEP", "START", "s"), upd("STEP", "SUCCEED", "s")]],
    ["STEP START + FAIL", [upd("STEP", "START", "s"), upd("STEP", "FAIL", "s", { Error: ERR })]],
    [
      "STEP START + RETRY",
      [upd("STEP", "START", "s"), upd("STEP", "RETRY", "s", { StepOptions: { NextAttemptDelaySeconds: 1 } })],
    ],
    ["CONTEXT START + SUCCEED", [upd("CONTEXT", "START", "c"), upd("CONTEXT", "SUCCEED", "c")]],
    ["CONTEXT START + FAIL", [upd("CONTEXT", "START", "c"), upd("CONTEXT", "FAIL", "c", { Error: ERR })]],
  ])("the same Id twice is allowed for %s", (_, updates) => {
    const run = Run.running();
    const res = run.checkpoint(updates);
    expect(res.NewExecutionState.Operations).toHaveLength(1);
    expect(run.history.slice(-2).map((e) => e.operationId)).toEqual([updates[0]!.Id, updates[0]!.Id]);
  });

  it("ParentId must name an existing CONTEXT or one STARTed earlier in the batch", () => {
    const run = Run.running();
    run.checkpoint([upd("STEP", "START", "step"), upd("CONTEXT", "START", "ctx")]);
    expectBatchRejected(run, [upd("STEP", "START", "a", { ParentId: "nope" })], "Invalid parent");
    expectBatchRejected(run, [upd("STEP", "START", "a", { ParentId: "step" })], "Invalid parent");
    // A parent started later in the same batch does not count.
    expectBatchRejected(run, [upd("STEP", "START", "a", { ParentId: "p2" }), upd("CONTEXT", "START", "p2")]);
    run.checkpoint([upd("STEP", "START", "a", { ParentId: "ctx" })]);
    run.checkpoint([upd("CONTEXT", "START", "p3"), upd("STEP", "START", "b", { ParentId: "p3" })]);
    expect(run.op("b")?.ParentId).toBe("p3");
  });

  it("the Type of an update must match the stored Type", () => {
    const run = Run.running();
    run.checkpoint([upd("STEP", "START", "x"), upd("CONTEXT", "START", "c")]);
    expectBatchRejected(
      run,
      [upd("WAIT", "START", "x", { WaitOptions: { WaitSeconds: 1 } })],
      "Operation type mismatch",
    );
    expectBatchRejected(run, [upd("STEP", "SUCCEED", "c")], "Operation type mismatch");
    expectBatchRejected(run, [upd("CONTEXT", "SUCCEED", "x")], "Operation type mismatch");
    // Also against an operation created earlier in the same batch.
    expectBatchRejected(run, [upd("STEP", "START", "y"), upd("CONTEXT", "SUCCEED", "y")]);
    // Nor may a non-EXECUTION update address the EXECUTION operation.
    expectBatchRejected(run, [upd("STEP", "SUCCEED", run.exec.executionOpId)]);
  });

  it("at most one EXECUTION update, and it must be last", () => {
    const run = Run.running();
    const E = run.exec.executionOpId;
    expectBatchRejected(run, [upd("EXECUTION", "SUCCEED", E), upd("EXECUTION", "SUCCEED", E)]);
    expectBatchRejected(run, [upd("EXECUTION", "SUCCEED", E), upd("STEP", "START", "s")]);
    expectBatchRejected(run, [upd("EXECUTION", "FAIL", E, { Error: ERR }), upd("STEP", "START", "s")]);
  });

  it("EXECUTION SUCCEED with an Error and FAIL with a Payload are rejected", () => {
    const run = Run.running();
    const E = run.exec.executionOpId;
    expectBatchRejected(run, [upd("EXECUTION", "SUCCEED", E, { Payload: "1", Error: ERR })]);
    expectBatchRejected(run, [upd("EXECUTION", "FAIL", E, { Payload: "1", Error: ERR })]);
    expect(run.exec.status).toBe("RUNNING");
  });

  it("per-update Payload and Error size limits; EXECUTION has its own payload limit", () => {
    const run = Run.running(
      new World(
        testContext({
          limits: { operationPayloadBytes: 10, errorObjectBytes: 60, executionPayloadBytes: 20 },
        }),
      ),
    );
    run.checkpoint([upd("STEP", "SUCCEED", "ok10", { Payload: "0123456789" })]);
    expectBatchRejected(
      run,
      [upd("STEP", "SUCCEED", "big", { Payload: "01234567890" })],
      "Updates[0].Payload",
    );
    // Bytes, not characters.
    expectBatchRejected(run, [upd("STEP", "SUCCEED", "big", { Payload: "ééééééé" })]);
    expectBatchRejected(run, [upd("STEP", "FAIL", "big", { Error: { ErrorMessage: "x".repeat(60) } })]);
    expectBatchRejected(run, [
      upd("CHAINED_INVOKE", "START", "ci", {
        Payload: "x".repeat(11),
        ChainedInvokeOptions: { FunctionName: "plain-fn" },
      }),
    ]);
    expectBatchRejected(run, [upd("EXECUTION", "SUCCEED", "e", { Payload: "x".repeat(21) })]);
    run.checkpoint([upd("EXECUTION", "SUCCEED", "e", { Payload: "x".repeat(20) })]);
    expect(run.exec.result).toBe("x".repeat(20));
  });

  it("the operation-count quota rejects the batch that would exceed it", () => {
    const run = Run.running(new World(testContext({ limits: { operationsPerExecution: 4 } })));
    run.checkpoint([upd("STEP", "SUCCEED", "a"), upd("STEP", "SUCCEED", "b")]);
    expectBatchRejected(
      run,
      [upd("STEP", "SUCCEED", "c"), upd("STEP", "SUCCEED", "d"), upd("STEP", "SUCCEED", "e")],
      "Maximum number of operations",
    );
    // Updating existing operations does not count.
    run.checkpoint([upd("STEP", "SUCCEED", "c")]);
    expect(run.op("c")?.Status).toBe("SUCCEEDED");
  });

  it("errors are InvalidParameterValueException whose message does not look like a token error", () => {
    const run = Run.running();
    const err = expectBatchRejected(run, [upd("WAIT", "SUCCEED", "w")]);
    expect(err.name).toBe("InvalidParameterValueException");
  });
});

describe("do not reject (§3.7)", () => {
  it("children of a terminal parent", () => {
    const run = Run.running();
    run.checkpoint([upd("CONTEXT", "START", "p"), upd("CONTEXT", "SUCCEED", "p")]);
    run.checkpoint([upd("STEP", "START", "late", { ParentId: "p" })]);
    expect(run.op("late")).toMatchObject({ Status: "STARTED", ParentId: "p" });
  });

  it("updates whose parent context finished in the same batch", () => {
    const run = Run.running();
    run.checkpoint([
      upd("CONTEXT", "START", "p"),
      upd("CONTEXT", "SUCCEED", "p", { Payload: "1" }),
      upd("STEP", "START", "s", { ParentId: "p" }),
      upd("STEP", "SUCCEED", "s", { ParentId: "p" }),
    ]);
    expect(run.op("s")?.Status).toBe("SUCCEEDED");
  });

  it.each(["SUCCEED", "FAIL", "RETRY"] as const)("STEP %s without a prior START", (action) => {
    const run = Run.running();
    const extra =
      action === "FAIL"
        ? { Error: ERR }
        : action === "RETRY"
          ? { StepOptions: { NextAttemptDelaySeconds: 1 } }
          : {};
    run.checkpoint([upd("STEP", action, "s", { SubType: "Step", Name: "n", ...extra })]);
    expect(run.op("s")).toMatchObject({ Name: "n", SubType: "Step", StepDetails: { Attempt: 1 } });
  });

  it("an empty Updates list: a new token, no operations", () => {
    const run = Run.running();
    const before = run.token;
    const res = run.checkpoint([]);
    expect(res).toEqual({ CheckpointToken: res.CheckpointToken, NewExecutionState: { Operations: [] } });
    expect(res.CheckpointToken).not.toBe(before);
    expect(run.history).toHaveLength(1);
  });

  it("unknown members are ignored", () => {
    const run = Run.running();
    const u = {
      ...upd("CHAINED_INVOKE", "START", "ci", {
        ChainedInvokeOptions: { FunctionName: "plain-fn", XAmznTraceId: "Root=1-abc" },
      }),
      SomethingNew: { a: 1 },
    } as OperationUpdate;
    run.checkpoint([u]);
    expect(run.op("ci")).not.toHaveProperty("SomethingNew");
  });
});

describe("response and ordering", () => {
  it("events of one batch are appended in update order", () => {
    const run = Run.running();
    run.checkpoint([
      upd("CONTEXT", "START", "c"),
      upd("CALLBACK", "START", "cb", { ParentId: "c" }),
      upd("STEP", "START", "s", { ParentId: "c" }),
      upd("STEP", "SUCCEED", "s", { ParentId: "c" }),
    ]);
    expect(run.history.slice(1).map((e) => [e.type, e.operationId])).toEqual([
      ["ContextStarted", "c"],
      ["CallbackStarted", "cb"],
      ["StepStarted", "s"],
      ["StepSucceeded", "s"],
    ]);
  });

  it("returns the current full operation once per id, in first-touch order", () => {
    const run = Run.running();
    const res = run.checkpoint([
      upd("STEP", "START", "b"),
      upd("STEP", "START", "a"),
      upd("STEP", "SUCCEED", "b", { Payload: "1" }),
    ]);
    expect(res.NewExecutionState.Operations.map((o) => [o.Id, o.Status])).toEqual([
      ["b", "SUCCEEDED"],
      ["a", "STARTED"],
    ]);
  });

  it("includes the dirty set after the touched operations, then clears it", () => {
    const run = Run.running();
    run.checkpoint([
      upd("WAIT", "START", "w", { WaitOptions: { WaitSeconds: 1 } }),
      upd("CALLBACK", "START", "cb"),
    ]);
    run.fire("wait", "w");
    run.callback("cb", { kind: "succeed", result: "r" });
    expect(run.exec.dirty).toEqual(["w", "cb"]);
    const res = run.checkpoint([upd("STEP", "START", "s"), upd("CALLBACK", "START", "cb2")]);
    expect(res.NewExecutionState.Operations.map((o) => [o.Id, o.Status])).toEqual([
      ["s", "STARTED"],
      ["cb2", "STARTED"],
      ["w", "SUCCEEDED"],
      ["cb", "SUCCEEDED"],
    ]);
    expect(run.exec.dirty).toEqual([]);
  });

  it("a dirty operation that is also touched appears once", () => {
    const run = Run.running();
    run.checkpoint([upd("STEP", "RETRY", "s", { StepOptions: { NextAttemptDelaySeconds: 1 } })]);
    run.fire("retry", "s");
    const res = run.checkpoint([upd("STEP", "START", "s")]);
    expect(res.NewExecutionState.Operations.map((o) => [o.Id, o.Status])).toEqual([["s", "STARTED"]]);
    expect(run.exec.dirty).toEqual([]);
  });
});

describe("EXECUTION updates end the execution", () => {
  it("SUCCEED: whatever Id, no second EXECUTION op, token omitted, event deferred after InvocationCompleted", () => {
    const world = new World();
    const run = Run.running(world);
    run.checkpoint([upd("WAIT", "START", "w", { WaitOptions: { WaitSeconds: 60 } })]);
    const E = run.exec.executionOpId;
    const big = JSON.stringify({ big: "x".repeat(1000) });
    run.ctx.advance(10);
    const res = run.checkpoint([
      upd("STEP", "SUCCEED", "s", { Payload: "1" }),
      upd("EXECUTION", "SUCCEED", "execution-result-1795321200000", { Payload: big }),
    ]);
    const endedAt = run.ctx.now;
    expect(res).not.toHaveProperty("CheckpointToken");
    expect(res.NewExecutionState.Operations.map((o) => [o.Id, o.Type, o.Status])).toEqual([
      ["s", "STEP", "SUCCEEDED"],
      [E, "EXECUTION", "SUCCEEDED"],
    ]);
    expect(run.op("execution-result-1795321200000")).toBeUndefined();
    const exec = run.exec;
    expect(exec.status).toBe("SUCCEEDED");
    expect(exec.result).toBe(big);
    expect(exec.endedAt).toBe(endedAt);
    expect(run.op(E)).toMatchObject({ Status: "SUCCEEDED", EndTimestamp: endedAt });
    // Timers are gone, except the purge and the running invocation's own deadline.
    expect(run.due.map((w) => w.kind).sort()).toEqual(["invocation-timeout", "purge"]);
    // No terminal event yet.
    expect(run.history.at(-1)?.type).toBe("StepSucceeded");

    // Later checkpoints of this invocation get the token-prefix error.
    expectInvalidToken(() => run.checkpoint([]));

    run.ctx.advance(5);
    run.returns({ Status: "SUCCEEDED", Result: "" });
    expect(run.history.slice(-2).map((e) => e.type)).toEqual(["InvocationCompleted", "ExecutionSucceeded"]);
    expect(run.history.at(-1)).toMatchObject({
      operationId: E,
      details: { Result: { Payload: big, Truncated: false } },
    });
    // The handler's Result:"" is ignored.
    expect(run.exec.result).toBe(big);
    expect(run.exec.deferredTerminal).toBeUndefined();
    expect(run.exec.invocation).toBeUndefined();
    expect(run.due.map((w) => w.kind)).toEqual(["purge"]);
  });

  it("FAIL: ExecutionFailed{Error} deferred likewise", () => {
    const run = Run.running();
    const res = run.checkpoint([upd("EXECUTION", "FAIL", "whatever", { Error: ERR })]);
    expect(res.CheckpointToken).toBeUndefined();
    expect(run.exec).toMatchObject({ status: "FAILED", error: ERR });
    expect(run.history.map((e) => e.type)).toEqual(["ExecutionStarted"]);
    run.returns({ Status: "FAILED", Error: { ErrorType: "Other" } });
    expect(run.history.map((e) => e.type)).toEqual([
      "ExecutionStarted",
      "InvocationCompleted",
      "ExecutionFailed",
    ]);
    expect(run.history.at(-1)?.details).toEqual({ Error: { Payload: ERR, Truncated: false } });
    expect(run.exec.error).toEqual(ERR);
  });

  it("the deferred event also follows an InvocationCompleted for a crash or an invocation timeout", () => {
    const crashed = Run.running();
    crashed.checkpoint([upd("EXECUTION", "SUCCEED", "x", { Payload: "1" })]);
    crashed.crashes();
    expect(crashed.history.slice(-2).map((e) => e.type)).toEqual([
      "InvocationCompleted",
      "ExecutionSucceeded",
    ]);
    expect(crashed.history.at(-2)?.details.Error).toBeDefined();
    expect(crashed.work("invoke")).toBeUndefined();

    const lost = Run.running();
    lost.checkpoint([upd("EXECUTION", "SUCCEED", "x", { Payload: "1" })]);
    lost.fire("invocation-timeout");
    expect(lost.history.slice(-2).map((e) => e.type)).toEqual(["InvocationCompleted", "ExecutionSucceeded"]);
    expect(lost.history.at(-2)?.details.Error).toEqual({
      Payload: { ErrorType: "Sandbox.Timedout", ErrorMessage: "Task timed out after 60 seconds" },
      Truncated: false,
    });
    expect(lost.due.map((w) => w.kind)).toEqual(["purge"]);
  });

  it("the stored response of the ending checkpoint can be replayed by ClientToken", () => {
    const run = Run.running();
    const token = run.token;
    const updates = [upd("EXECUTION", "SUCCEED", "x", { Payload: "1" })];
    const first = run.checkpoint(updates, { clientToken: "ct-1" });
    const again = checkpoint(
      run.state,
      { token, updates, clientToken: "ct-1", bodyHash: JSON.stringify(updates) },
      run.ctx,
    );
    expect(again.decision).toBeUndefined();
    expect(again.response).toEqual(first);
  });
});
