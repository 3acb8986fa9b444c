// Execution lifecycle (spec §4.5, §7.1, §7.5): start, stop, execution timeout, terminal transitions,
// purge, and the chained-complete hand-off to a parent.
import { parseExecutionArn } from "@dormouse/protocol";
import { describe, expect, it } from "vitest";
import { fireTimer } from "./async-changes.js";
import { DEFAULT_STOP_ERROR, hasPendingWork, startExecution, stopExecution } from "./lifecycle.js";
import type { OperationRecord } from "./model.js";
import {
  FUNCTIONS,
  Run,
  T0,
  World,
  expectInvalidParameter,
  expectInvalidToken,
  upd,
} from "./test-support.js";

const DAY = 86_400_000;

describe("startExecution", () => {
  it("creates the execution, its EXECUTION operation, ExecutionStarted (EventId 1), invoke now", () => {
    const world = new World();
    const run = Run.start(world, {
      payload: '{"n":42}',
      name: "order-42",
      tenantId: "t-1",
      traceId: "Root=1",
    });
    const exec = run.exec;
    expect(exec).toMatchObject({
      name: "order-42",
      functionName: "orders",
      version: "$LATEST",
      status: "RUNNING",
      startedAt: T0,
      input: '{"n":42}',
      tenantId: "t-1",
      traceId: "Root=1",
      nextEventId: 2,
      lastEpoch: 0,
      dirty: [],
      consecutiveFailures: 0,
      rev: 1,
      config: { executionTimeoutSeconds: 3600, retentionDays: 14, functionTimeoutSeconds: 60 },
    });
    const parsed = parseExecutionArn(run.arn);
    expect(parsed).toEqual({
      functionName: "orders",
      version: "$LATEST",
      executionName: "order-42",
      executionId: exec.executionId,
    });
    // The EXECUTION op id is stable, valid, and not a small integer string.
    expect(exec.executionOpId).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(exec.executionOpId).not.toMatch(/^\d+$/);
    expect(run.op(exec.executionOpId)).toEqual({
      Id: exec.executionOpId,
      Type: "EXECUTION",
      Status: "STARTED",
      StartTimestamp: T0,
      ExecutionDetails: { InputPayload: '{"n":42}' },
      seq: 0,
    });
    expect(run.history).toEqual([
      {
        eventId: 1,
        type: "ExecutionStarted",
        timestamp: T0,
        operationId: exec.executionOpId,
        details: { Input: { Payload: '{"n":42}', Truncated: false }, ExecutionTimeout: 3600 },
      },
    ]);
    expect(run.work("invoke")?.dueAt).toBe(T0);
    expect(run.work("execution-timeout")?.dueAt).toBe(T0 + 3600_000);
  });

  it('an empty body is stored as "{}"; "null" stays "null"', () => {
    const world = new World();
    expect(Run.start(world, { payload: "" }).exec.input).toBe("{}");
    expect(Run.start(world, { payload: "null" }).exec.input).toBe("null");
  });

  it("without a name, a generated UUID is the name and is in the ARN", () => {
    const run = Run.start(new World());
    expect(run.exec.name).toMatch(/^[0-9a-f-]{36}$/);
    expect(parseExecutionArn(run.arn)?.executionName).toBe(run.exec.name);
  });

  it("a pre-minted ARN (chained child) is kept, and its id segment is the execution id", () => {
    const world = new World();
    const parent = Run.running(world);
    parent.checkpoint([
      upd("CHAINED_INVOKE", "START", "ci", { ChainedInvokeOptions: { FunctionName: "child:1" } }),
    ]);
    const data = parent.work("chained-start", "ci")!.data!;
    const d = world.apply(
      startExecution(
        {
          fn: FUNCTIONS["child:1"]!,
          payload: "{}",
          name: data.childName as string,
          arn: data.childArn as string,
          parent: { arn: parent.arn, operationId: "ci" },
        },
        world.ctx,
      ),
    )!;
    expect(d.execution.arn).toBe(data.childArn);
    expect(d.execution.name).toBe(data.childName);
    expect(parseExecutionArn(d.execution.arn)).toEqual({
      functionName: "child",
      version: "1",
      executionName: d.execution.name,
      executionId: d.execution.executionId,
    });
  });
});

describe("stop", () => {
  it("default error when none or {} is given; ExecutionStopped; timers dropped except purge", () => {
    for (const error of [undefined, {}]) {
      const run = Run.running();
      run.checkpoint([
        upd("WAIT", "START", "w", { WaitOptions: { WaitSeconds: 60 } }),
        upd("CALLBACK", "START", "cb", { CallbackOptions: { TimeoutSeconds: 60 } }),
        upd("STEP", "RETRY", "s", { StepOptions: { NextAttemptDelaySeconds: 60 } }),
      ]);
      run.returns({ Status: "PENDING" });
      run.ctx.advance(1000);
      const at = run.stop(error);
      expect(at).toBe(run.ctx.now);
      expect(run.exec).toMatchObject({
        status: "STOPPED",
        endedAt: at,
        stoppedAt: at,
        error: DEFAULT_STOP_ERROR,
      });
      expect(DEFAULT_STOP_ERROR).toEqual({
        ErrorType: "Execution.Stopped",
        ErrorMessage: "Execution stopped by user request",
      });
      expect(run.history.at(-1)).toMatchObject({
        type: "ExecutionStopped",
        operationId: run.exec.executionOpId,
        details: { Error: { Payload: DEFAULT_STOP_ERROR, Truncated: false } },
      });
      expect(run.op(run.exec.executionOpId)).toMatchObject({ Status: "STOPPED", EndTimestamp: at });
      expect(run.due.map((w) => w.kind)).toEqual(["purge"]);
      expect(run.work("purge")?.dueAt).toBe(at + 14 * DAY);
      // In-flight operations keep their status (A24).
      expect(["w", "cb", "s"].map((id) => run.op(id)?.Status)).toEqual(["STARTED", "STARTED", "PENDING"]);
      expect(run.op("w")?.EndTimestamp).toBeUndefined();
    }
  });

  it("a given error is recorded as is", () => {
    const run = Run.running();
    const error = { ErrorType: "Ops", ErrorMessage: "maintenance" };
    run.stop(error);
    expect(run.exec.error).toEqual(error);
    expect(run.history.at(-1)?.details).toEqual({ Error: { Payload: error, Truncated: false } });
  });

  it("while an invocation is active: keeps its invocation-timeout; its checkpoints fail with the token prefix", () => {
    const run = Run.running();
    run.stop();
    expect(run.due.map((w) => w.kind).sort()).toEqual(["invocation-timeout", "purge"]);
    expectInvalidToken(() => run.checkpoint([]));
    run.returns({ Status: "PENDING" });
    expect(run.due.map((w) => w.kind)).toEqual(["purge"]);
    expect(run.history.at(-1)?.type).toBe("ExecutionStopped");
  });

  it("is idempotent: a second stop returns the original time and changes nothing", () => {
    const run = Run.running();
    const first = run.stop();
    run.ctx.advance(60_000);
    const before = run.world.snapshot();
    const again = stopExecution(run.state, { ErrorType: "Other" }, run.ctx);
    expect(again).toEqual({ stoppedAt: first });
    expect(run.world.snapshot()).toEqual(before);
  });

  it.each(["SUCCEEDED", "FAILED", "TIMED_OUT"] as const)("of a %s execution → 400", (status) => {
    const run = Run.running();
    if (status === "SUCCEEDED") run.returns({ Status: "SUCCEEDED" });
    if (status === "FAILED") run.returns({ Status: "FAILED", Error: {} });
    if (status === "TIMED_OUT") run.fire("execution-timeout");
    expect(run.exec.status).toBe(status);
    expectInvalidParameter(() => stopExecution(run.state, undefined, run.ctx));
  });
});

describe("execution timeout", () => {
  it("RUNNING → TIMED_OUT with Execution.Timeout; ExecutionTimedOut; timers dropped", () => {
    const run = Run.running();
    run.checkpoint([upd("WAIT", "START", "w", { WaitOptions: { WaitSeconds: 7200 } })]);
    run.returns({ Status: "PENDING" });
    run.fire("execution-timeout");
    expect(run.ctx.now).toBe(T0 + 3600_000);
    const error = { ErrorType: "Execution.Timeout", ErrorMessage: "Execution timed out after 3600 seconds." };
    expect(run.exec).toMatchObject({ status: "TIMED_OUT", endedAt: run.ctx.now, error });
    expect(run.history.at(-1)).toMatchObject({
      type: "ExecutionTimedOut",
      details: { Error: { Payload: error, Truncated: false } },
    });
    expect(run.due.map((w) => w.kind)).toEqual(["purge"]);
  });

  it("with an active invocation: the invocation-timeout stays, its output is ignored later", () => {
    const run = Run.running();
    run.fire("execution-timeout");
    expect(run.due.map((w) => w.kind).sort()).toEqual(["invocation-timeout", "purge"]);
    run.returns({ Status: "SUCCEEDED", Result: "late" });
    expect(run.exec.status).toBe("TIMED_OUT");
    expect(run.exec.result).toBeUndefined();
    expect(run.history.at(-1)?.type).toBe("ExecutionTimedOut");
  });

  it("a timed-out execution can not be stopped, signalled or checkpointed", () => {
    const run = Run.running();
    run.checkpoint([upd("CALLBACK", "START", "cb")]);
    run.fire("execution-timeout");
    expectInvalidToken(() => run.checkpoint([]));
    expectInvalidParameter(() => run.callback("cb", { kind: "succeed", result: "1" }));
  });
});

describe("terminal transitions", () => {
  it("purge removes a terminal execution; not a running one", () => {
    const run = Run.running();
    expect(
      fireTimer(run.state, { arn: run.arn, kind: "purge", operationId: "", dueAt: run.ctx.now }, run.ctx),
    ).toBeUndefined();
    run.returns({ Status: "SUCCEEDED" });
    const d = run.fire("purge");
    expect(d?.purge).toBe(true);
    expect(run.world.executions.has(run.arn)).toBe(false);
    expect(run.world.callbacks.size).toBe(0);
  });

  it("a durable child schedules chained-complete on its parent when it ends, whichever way", () => {
    for (const end of ["succeed", "fail", "stop", "timeout", "checkpoint"] as const) {
      const world = new World();
      const parent = Run.running(world);
      const child = Run.running(world, {
        fn: FUNCTIONS["child:1"]!,
        parent: { arn: parent.arn, operationId: "ci" },
      });
      if (end === "succeed") child.returns({ Status: "SUCCEEDED", Result: "1" });
      if (end === "fail") child.returns({ Status: "FAILED", Error: {} });
      if (end === "stop") child.stop();
      if (end === "timeout") child.fire("execution-timeout");
      if (end === "checkpoint") child.checkpoint([upd("EXECUTION", "SUCCEED", "x", { Payload: "1" })]);
      expect(world.work(parent.arn, "chained-complete", "ci")).toMatchObject({
        dueAt: world.ctx.now,
        data: { childArn: child.arn },
      });
      // The child's own due work is dropped, the parent's untouched.
      expect(world.work(parent.arn, "invocation-timeout")).toBeDefined();
    }
  });

  it("an execution without parent schedules no chained-complete", () => {
    const run = Run.running();
    const d = run.returns({ Status: "SUCCEEDED" })!;
    expect(d.schedule.map((w) => w.kind)).toEqual(["purge"]);
    expect(d.unscheduleAll).toBe(true);
  });

  it("the terminal event is the last one, and nothing is appended after it", () => {
    const run = Run.running();
    run.checkpoint([upd("CALLBACK", "START", "cb", { CallbackOptions: { TimeoutSeconds: 5 } })]);
    run.returns({ Status: "FAILED", Error: {} });
    const last = run.history.at(-1)!;
    expect(last.type).toBe("ExecutionFailed");
    expect(
      fireTimer(run.state, { arn: run.arn, kind: "callback-timeout", operationId: "cb", dueAt: 0 }, run.ctx),
    ).toBeUndefined();
    expect(run.history.at(-1)).toEqual(last);
  });
});

describe("hasPendingWork (Appendix B)", () => {
  const op = (Type: OperationRecord["Type"], Status: OperationRecord["Status"]): OperationRecord => ({
    Id: "x",
    Type,
    Status,
    StartTimestamp: 0,
    seq: 1,
  });
  it.each([
    ["STEP", "PENDING", true],
    ["STEP", "READY", true],
    ["STEP", "STARTED", false],
    ["CONTEXT", "STARTED", false],
    ["WAIT", "STARTED", true],
    ["WAIT", "SUCCEEDED", false],
    ["CALLBACK", "STARTED", true],
    ["CALLBACK", "TIMED_OUT", false],
    ["CHAINED_INVOKE", "STARTED", true],
    ["CHAINED_INVOKE", "STOPPED", false],
    ["EXECUTION", "STARTED", false],
  ] as const)("%s %s → %s", (type, status, expected) => {
    expect(hasPendingWork([op(type, status)])).toBe(expected);
  });
});
