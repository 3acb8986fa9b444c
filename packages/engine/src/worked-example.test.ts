// Replays the worked example of spec §9 end to end and checks the exact 25-event history.
import { describe, expect, it } from "vitest";
import { stripInternal } from "./invocation.js";
import { getState } from "./state-view.js";
import { FUNCTIONS, Run, T0, World, testContext, upd } from "./test-support.js";

const E = "0b6f7b9e-4c1d-4f5e-9a55-2f7c1e0d9a11";
const ID = {
  validate: "c4ca4238a0b92382",
  coolOff: "c81e728d9d4c2f63",
  approval: "eccbc87e4b5ce2fe",
  callback: "c9e6e7b69f98f516",
  submitter: "b772d43b49bb57b5",
  fanout: "a87ff679a2f3e71d",
  branch0: "74bdefab9757a081",
  branch1: "2f5bb7747efda054",
  left: "ec3805c75ba4921d",
  right: "23197d0b00fdfb44",
};
const RESULT = '{"a":{"ok":true,"n":42},"approval":"{\\"approved\\":true}","results":["L","R"]}';
const PARALLEL =
  '{"all":[{"result":"L","index":0,"status":"SUCCEEDED"},{"result":"R","index":1,"status":"SUCCEEDED"}],"completionReason":"ALL_COMPLETED"}';

describe("spec §9 worked example", () => {
  const ctx = testContext({ now: T0 });
  const world = new World(ctx);
  ctx.queueIds("5b0f1d2e-aaaa-4bbb-8ccc-000000000001", E);
  const run = Run.start(world, { fn: FUNCTIONS.orders!, payload: '{"n":42}', name: "demo-1" });
  const updatedIds: (string[] | undefined)[] = [];
  let callbackId = "";
  const invocationStarts: number[] = [];

  it("starts the execution with ExecutionStarted and an immediate invoke", () => {
    expect(run.arn).toBe(
      "arn:aws:lambda:us-east-1:000000000000:function:orders:$LATEST/durable-execution/demo-1/5b0f1d2e-aaaa-4bbb-8ccc-000000000001",
    );
    expect(run.exec.executionOpId).toBe(E);
    expect(run.exec.status).toBe("RUNNING");
    expect(run.work("invoke")?.dueAt).toBe(T0);
    expect(run.work("execution-timeout")?.dueAt).toBe(T0 + 3600_000);
  });

  it("invocation 1: step, wait, PENDING", () => {
    ctx.queueIds("R1");
    const event = run.begin();
    invocationStarts.push(ctx.now);
    updatedIds.push(event.UpdatedOperationIds);
    expect(event.DurableExecutionArn).toBe(run.arn);
    expect(event.InitialExecutionState).toEqual({
      Operations: [
        {
          Id: E,
          Type: "EXECUTION",
          Status: "STARTED",
          StartTimestamp: T0,
          ExecutionDetails: { InputPayload: '{"n":42}' },
        },
      ],
    });

    ctx.now = T0 + 51;
    const r1 = run.checkpoint([
      upd("STEP", "START", ID.validate, { SubType: "Step", Name: "validate" }),
      upd("STEP", "SUCCEED", ID.validate, {
        SubType: "Step",
        Name: "validate",
        Payload: '{"ok":true,"n":42}',
      }),
    ]);
    expect(r1.CheckpointToken).toBeDefined();
    expect(r1.NewExecutionState.Operations.map((o) => stripInternal(o as never))).toEqual([
      {
        Id: ID.validate,
        Name: "validate",
        Type: "STEP",
        SubType: "Step",
        Status: "SUCCEEDED",
        StartTimestamp: T0 + 51,
        EndTimestamp: T0 + 51,
        StepDetails: { Attempt: 1, Result: '{"ok":true,"n":42}' },
      },
    ]);

    ctx.now = T0 + 62;
    const r2 = run.checkpoint([
      upd("WAIT", "START", ID.coolOff, {
        SubType: "Wait",
        Name: "cool-off",
        WaitOptions: { WaitSeconds: 5 },
      }),
    ]);
    expect(r2.NewExecutionState.Operations.map((o) => stripInternal(o as never))).toEqual([
      {
        Id: ID.coolOff,
        Name: "cool-off",
        Type: "WAIT",
        SubType: "Wait",
        Status: "STARTED",
        StartTimestamp: T0 + 62,
        WaitDetails: { ScheduledEndTimestamp: T0 + 5062 },
      },
    ]);
    expect(run.work("wait", ID.coolOff)?.dueAt).toBe(T0 + 5062);

    ctx.now = T0 + 90;
    run.returns({ Status: "PENDING" });
    expect(run.exec.invocation).toBeUndefined();
    expect(run.exec.status).toBe("RUNNING");
    expect(run.work("invoke")).toBeUndefined();
  });

  it("the wait timer fires and wakes the function", () => {
    run.fire("wait", ID.coolOff);
    expect(ctx.now).toBe(T0 + 5062);
    expect(run.op(ID.coolOff)).toMatchObject({ Status: "SUCCEEDED", EndTimestamp: T0 + 5062 });
    expect(run.exec.dirty).toEqual([ID.coolOff]);
    expect(run.work("invoke")?.dueAt).toBe(T0 + 5062);
  });

  it("invocation 2: waitForCallback context, callback, submitter step", () => {
    ctx.now = T0 + 5070;
    ctx.queueIds("R2");
    const event = run.begin();
    invocationStarts.push(ctx.now);
    updatedIds.push(event.UpdatedOperationIds);
    expect(event.InitialExecutionState.Operations.map((o) => [o.Id, o.Status])).toEqual([
      [E, "STARTED"],
      [ID.validate, "SUCCEEDED"],
      [ID.coolOff, "SUCCEEDED"],
    ]);
    expect(run.exec.dirty).toEqual([]);

    ctx.now = T0 + 5080;
    const r3 = run.checkpoint([
      upd("CONTEXT", "START", ID.approval, { SubType: "WaitForCallback", Name: "approval" }),
      upd("CALLBACK", "START", ID.callback, {
        ParentId: ID.approval,
        SubType: "Callback",
        CallbackOptions: { TimeoutSeconds: 600 },
      }),
    ]);
    const [ctxOp, cbOp] = r3.NewExecutionState.Operations;
    expect(ctxOp).toMatchObject({ Id: ID.approval, Status: "STARTED", ContextDetails: {} });
    expect(cbOp).toMatchObject({ Id: ID.callback, ParentId: ID.approval, Status: "STARTED" });
    callbackId = cbOp!.CallbackDetails!.CallbackId;
    expect(callbackId).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(world.callbacks.get(callbackId)).toEqual({ arn: run.arn, operationId: ID.callback });
    expect(run.work("callback-timeout", ID.callback)?.dueAt).toBe(T0 + 5080 + 600_000);

    ctx.now = T0 + 5100;
    run.checkpoint([
      upd("STEP", "START", ID.submitter, { ParentId: ID.approval, SubType: "Step" }),
      upd("STEP", "SUCCEED", ID.submitter, { ParentId: ID.approval, SubType: "Step" }),
    ]);
    expect(run.op(ID.submitter)?.StepDetails).toEqual({ Attempt: 1 });

    ctx.now = T0 + 5130;
    run.returns({ Status: "PENDING" });
    expect(run.work("invoke")).toBeUndefined();
  });

  it("the external system completes the callback", () => {
    ctx.now = T0 + 60_000;
    run.callback(ID.callback, { kind: "succeed", result: '{"approved":true}' });
    expect(run.op(ID.callback)).toMatchObject({
      Status: "SUCCEEDED",
      EndTimestamp: T0 + 60_000,
      CallbackDetails: { CallbackId: callbackId, Result: '{"approved":true}' },
    });
    expect(run.work("callback-timeout", ID.callback)).toBeUndefined();
    expect(run.work("invoke")?.dueAt).toBe(T0 + 60_000);
  });

  it("invocation 3: contexts finish, parallel runs, handler succeeds", () => {
    ctx.now = T0 + 60_010;
    ctx.queueIds("R3");
    const event = run.begin();
    invocationStarts.push(ctx.now);
    updatedIds.push(event.UpdatedOperationIds);
    // The approval CONTEXT is not terminal, so its children are not pruned.
    expect(event.InitialExecutionState.Operations.map((o) => [o.Id, o.Status])).toEqual([
      [E, "STARTED"],
      [ID.validate, "SUCCEEDED"],
      [ID.coolOff, "SUCCEEDED"],
      [ID.approval, "STARTED"],
      [ID.callback, "SUCCEEDED"],
      [ID.submitter, "SUCCEEDED"],
    ]);

    ctx.now = T0 + 60_050;
    const r5 = run.checkpoint([
      upd("CONTEXT", "SUCCEED", ID.approval, {
        SubType: "WaitForCallback",
        Name: "approval",
        Payload: '"{\\"approved\\":true}"',
      }),
      upd("CONTEXT", "START", ID.fanout, { SubType: "Parallel", Name: "fanout" }),
      upd("CONTEXT", "START", ID.branch0, {
        ParentId: ID.fanout,
        SubType: "ParallelBranch",
        Name: "parallel-branch-0",
      }),
      upd("CONTEXT", "START", ID.branch1, {
        ParentId: ID.fanout,
        SubType: "ParallelBranch",
        Name: "parallel-branch-1",
      }),
      upd("STEP", "START", ID.left, { ParentId: ID.branch0, SubType: "Step", Name: "left" }),
      upd("STEP", "START", ID.right, { ParentId: ID.branch1, SubType: "Step", Name: "right" }),
      upd("STEP", "SUCCEED", ID.left, {
        ParentId: ID.branch0,
        SubType: "Step",
        Name: "left",
        Payload: '"L"',
      }),
      upd("STEP", "SUCCEED", ID.right, {
        ParentId: ID.branch1,
        SubType: "Step",
        Name: "right",
        Payload: '"R"',
      }),
    ]);
    expect(r5.NewExecutionState.Operations.map((o) => o.Id)).toEqual([
      ID.approval,
      ID.fanout,
      ID.branch0,
      ID.branch1,
      ID.left,
      ID.right,
    ]);

    ctx.now = T0 + 60_060;
    run.checkpoint([
      upd("CONTEXT", "SUCCEED", ID.branch0, {
        ParentId: ID.fanout,
        SubType: "ParallelBranch",
        Name: "parallel-branch-0",
        Payload: '"L"',
      }),
      upd("CONTEXT", "SUCCEED", ID.branch1, {
        ParentId: ID.fanout,
        SubType: "ParallelBranch",
        Name: "parallel-branch-1",
        Payload: '"R"',
      }),
      upd("CONTEXT", "SUCCEED", ID.fanout, { SubType: "Parallel", Name: "fanout", Payload: PARALLEL }),
    ]);

    // Finished contexts' children are pruned from the state the function can page (A7).
    expect(getState(run.state, run.token, undefined, 0).operations.map((o) => o.Id)).toEqual([
      E,
      ID.validate,
      ID.coolOff,
      ID.approval,
      ID.fanout,
    ]);

    ctx.now = T0 + 60_080;
    run.returns({ Status: "SUCCEEDED", Result: RESULT });
    const exec = run.exec;
    expect(exec.status).toBe("SUCCEEDED");
    expect(exec.result).toBe(RESULT);
    expect(exec.endedAt).toBe(T0 + 60_080);
    expect(exec.input).toBe('{"n":42}');
    expect(exec.version).toBe("$LATEST");
    // Nothing else runs: only the retention purge is left.
    expect(run.due.map((w) => w.kind)).toEqual(["purge"]);
    expect(run.work("purge")?.dueAt).toBe(T0 + 60_080 + 14 * 86_400_000);
  });

  it("sent UpdatedOperationIds on every invocation", () => {
    expect(updatedIds).toEqual([[], [ID.coolOff], [ID.callback]]);
  });

  it("recorded exactly the 25 events of the spec", () => {
    const op = (
      id: string,
      subType: string,
      name: string | undefined,
      parentId?: string,
    ): Record<string, unknown> => {
      const o: Record<string, unknown> = { operationId: id, subType };
      if (name !== undefined) o.name = name;
      if (parentId !== undefined) o.parentId = parentId;
      return o;
    };
    const invocation = (n: number, end: number) => ({
      type: "InvocationCompleted",
      details: {
        StartTimestamp: invocationStarts[n]! / 1000,
        EndTimestamp: (T0 + end) / 1000,
        RequestId: `R${n + 1}`,
      },
    });
    const stepOk = (payload?: string) => ({
      Result: payload === undefined ? { Truncated: false } : { Payload: payload, Truncated: false },
      RetryDetails: { CurrentAttempt: 1 },
    });
    const result = (payload: string) => ({ Result: { Payload: payload, Truncated: false } });
    const expected: Record<string, unknown>[] = [
      {
        type: "ExecutionStarted",
        operationId: E,
        details: { Input: { Payload: '{"n":42}', Truncated: false }, ExecutionTimeout: 3600 },
      },
      { type: "StepStarted", ...op(ID.validate, "Step", "validate"), details: {} },
      {
        type: "StepSucceeded",
        ...op(ID.validate, "Step", "validate"),
        details: stepOk('{"ok":true,"n":42}'),
      },
      {
        type: "WaitStarted",
        ...op(ID.coolOff, "Wait", "cool-off"),
        details: { Duration: 5, ScheduledEndTimestamp: 1795321205.062 },
      },
      invocation(0, 90),
      { type: "WaitSucceeded", ...op(ID.coolOff, "Wait", "cool-off"), details: { Duration: 5 } },
      { type: "ContextStarted", ...op(ID.approval, "WaitForCallback", "approval"), details: {} },
      {
        type: "CallbackStarted",
        ...op(ID.callback, "Callback", undefined, ID.approval),
        details: { CallbackId: callbackId, Timeout: 600 },
      },
      { type: "StepStarted", ...op(ID.submitter, "Step", undefined, ID.approval), details: {} },
      { type: "StepSucceeded", ...op(ID.submitter, "Step", undefined, ID.approval), details: stepOk() },
      invocation(1, 5130),
      {
        type: "CallbackSucceeded",
        ...op(ID.callback, "Callback", undefined, ID.approval),
        details: result('{"approved":true}'),
      },
      {
        type: "ContextSucceeded",
        ...op(ID.approval, "WaitForCallback", "approval"),
        details: result('"{\\"approved\\":true}"'),
      },
      { type: "ContextStarted", ...op(ID.fanout, "Parallel", "fanout"), details: {} },
      {
        type: "ContextStarted",
        ...op(ID.branch0, "ParallelBranch", "parallel-branch-0", ID.fanout),
        details: {},
      },
      {
        type: "ContextStarted",
        ...op(ID.branch1, "ParallelBranch", "parallel-branch-1", ID.fanout),
        details: {},
      },
      { type: "StepStarted", ...op(ID.left, "Step", "left", ID.branch0), details: {} },
      { type: "StepStarted", ...op(ID.right, "Step", "right", ID.branch1), details: {} },
      { type: "StepSucceeded", ...op(ID.left, "Step", "left", ID.branch0), details: stepOk('"L"') },
      { type: "StepSucceeded", ...op(ID.right, "Step", "right", ID.branch1), details: stepOk('"R"') },
      {
        type: "ContextSucceeded",
        ...op(ID.branch0, "ParallelBranch", "parallel-branch-0", ID.fanout),
        details: result('"L"'),
      },
      {
        type: "ContextSucceeded",
        ...op(ID.branch1, "ParallelBranch", "parallel-branch-1", ID.fanout),
        details: result('"R"'),
      },
      { type: "ContextSucceeded", ...op(ID.fanout, "Parallel", "fanout"), details: result(PARALLEL) },
      invocation(2, 60_080),
      { type: "ExecutionSucceeded", operationId: E, details: result(RESULT) },
    ];
    const actual = run.history.map(({ eventId: _id, timestamp: _ts, ...rest }) => rest);
    expect(actual).toEqual(expected);
    expect(run.history.map((e) => e.eventId)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    // Every event but InvocationCompleted carries the operation id; Execution* carry no SubType.
    for (const e of run.history) {
      if (e.type === "InvocationCompleted") expect(e.operationId).toBeUndefined();
      else expect(e.operationId).toBeDefined();
      if (e.type.startsWith("Execution")) expect(e.subType).toBeUndefined();
    }
    expect(run.history.at(-1)?.type).toBe("ExecutionSucceeded");
    expect(run.history.at(-1)?.timestamp).toBe(T0 + 60_080);
  });
});
