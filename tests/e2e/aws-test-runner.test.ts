// AWS's own CloudDurableTestRunner (@aws/durable-execution-sdk-js-testing), unchanged, with a
// LambdaClient whose endpoint is Dormouse: the proof that AWS's tooling works against us. The
// runner invokes the function, polls GetDurableExecutionHistory (re-reading its last page by
// marker until the terminal event is last) and rebuilds operations from the events.
import {
  CloudDurableTestRunner,
  InvocationType,
  OperationStatus,
  OperationType,
  WaitingOperationStatus,
} from "@aws/durable-execution-sdk-js-testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "../support/harness.js";
import type { TestServer } from "../support/harness.js";
import { expectHistoryInvariants } from "../support/e2e.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const runner = (functionName: string, invocationType: InvocationType = InvocationType.RequestResponse) =>
  new CloudDurableTestRunner({
    functionName,
    client: t.client,
    config: { pollInterval: 100, invocationType },
  });

describe.concurrent("CloudDurableTestRunner against Dormouse", () => {
  it("runs steps and reports the result, every step and the invocation", async () => {
    const r = runner("steps");
    const result = await r.run({ payload: { n: 4 } });
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual({ a: 8, b: 64, greeting: "hello", nothing: "undefined" });
    const ops = result.getOperations();
    expect(ops.map((o) => [o.getName(), o.getType(), o.getStatus()])).toEqual([
      ["double", OperationType.STEP, OperationStatus.SUCCEEDED],
      ["square", OperationType.STEP, OperationStatus.SUCCEEDED],
      ["env", OperationType.STEP, OperationStatus.SUCCEEDED],
      ["void", OperationType.STEP, OperationStatus.SUCCEEDED],
    ]);
    expect(ops.map((o) => o.getStepDetails()?.result)).toEqual([8, 64, "hello", undefined]);
    expect(r.getOperation("square").getStepDetails()?.result).toBe(64);
    const invocations = result.getInvocations();
    expect(invocations).toHaveLength(1);
    expect(invocations[0]!.requestId).toMatch(/\S/);
    expect(invocations[0]!.error).toBeUndefined();
    expectHistoryInvariants(result.getHistoryEvents());
  });

  it("runs a wait and reports its duration and scheduled end", async () => {
    const r = runner("waiter");
    const result = await r.run({ payload: { seconds: 1 } });
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual({ waitedMs: expect.any(Number) });
    const pause = r.getOperation("pause");
    expect(pause.getType()).toBe(OperationType.WAIT);
    expect(pause.getStatus()).toBe(OperationStatus.SUCCEEDED);
    expect(pause.getWaitDetails()?.waitSeconds).toBe(1);
    expect(pause.getWaitDetails()?.scheduledEndTimestamp).toBeInstanceOf(Date);
    expect(result.getInvocations()).toHaveLength(2);
    expectHistoryInvariants(result.getHistoryEvents());
  });

  it("completes a waitForCallback through the runner's own callback API", async () => {
    const r = runner("callbacks", InvocationType.Event);
    const approval = r.getOperation("approval");
    const running = r.run({ payload: {} });
    await approval.waitForData(WaitingOperationStatus.SUBMITTED);
    expect(approval.isWaitForCallback()).toBe(true);
    expect(approval.getCallbackDetails()?.callbackId).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    await approval.sendCallbackHeartbeat();
    await approval.sendCallbackSuccess(JSON.stringify({ approved: true }));

    const result = await running;
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual({ result: '{"approved":true}' });
    expect(approval.getStatus()).toBe(OperationStatus.SUCCEEDED);
    const children = approval.getChildOperations() ?? [];
    expect(children.map((c) => [c.getType(), c.getStatus()])).toEqual(
      expect.arrayContaining([
        [OperationType.CALLBACK, OperationStatus.SUCCEEDED],
        [OperationType.STEP, OperationStatus.SUCCEEDED],
      ]),
    );
    expectHistoryInvariants(result.getHistoryEvents());
  });

  it("reports a callback failure sent through the runner", async () => {
    const r = runner("callbacks", InvocationType.Event);
    const approval = r.getOperation("approval");
    const running = r.run({ payload: {} });
    await approval.waitForData(WaitingOperationStatus.SUBMITTED);
    await approval.sendCallbackFailure({ ErrorType: "Rejected", ErrorMessage: "not approved" });
    const result = await running;
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError()).toMatchObject({
      errorType: "CallbackExternalError",
      errorMessage: "not approved",
    });
    expectHistoryInvariants(result.getHistoryEvents());
  });

  it("reports a failed execution with its error and the failing step", async () => {
    const r = runner("failer");
    const result = await r.run({ payload: { reason: "declined" } });
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError()).toMatchObject({ errorType: "StepError", errorMessage: "declined" });
    // The runner's getResult() throws the execution's error for a failed execution.
    expect(() => result.getResult()).toThrow("declined");
    const reject = r.getOperation("reject");
    expect(reject.getStatus()).toBe(OperationStatus.FAILED);
    expect(reject.getStepDetails()?.error).toMatchObject({
      errorType: "OrderRejected",
      errorMessage: "declined",
    });
    expect(r.getOperation("ok").getStepDetails()?.result).toBe(1);
    expectHistoryInvariants(result.getHistoryEvents());
  });

  it("reports step retries and the attempt that succeeded", async () => {
    const r = runner("retrier", InvocationType.Event);
    const result = await r.run({ payload: { succeedOn: 2 } });
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual({ attempt: 2 });
    const flaky = r.getOperation("flaky");
    expect(flaky.getStatus()).toBe(OperationStatus.SUCCEEDED);
    // The runner takes `attempt` and `nextAttemptTimestamp` from the last StepFailed event's
    // RetryDetails (CurrentAttempt, NextAttemptDelaySeconds), so this shows it read ours.
    expect(flaky.getStepDetails()).toMatchObject({ result: { attempt: 2 }, attempt: 1 });
    expect(flaky.getStepDetails()?.nextAttemptTimestamp).toBeInstanceOf(Date);
    expect(result.getHistoryEvents().filter((e) => e.EventType === "StepFailed")).toHaveLength(1);
    expect(result.getInvocations()).toHaveLength(2);
  });

  it("rebuilds parallel, map and child-context trees", async () => {
    const r = runner("fanout");
    const result = await r.run({ payload: { items: [3] } });
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual({ parallel: ["L", "R"], mapped: [9], child: 42 });
    const branches = r.getOperation("branches");
    expect(branches.getType()).toBe(OperationType.CONTEXT);
    expect(branches.getChildOperations()?.map((c) => c.getName())).toEqual([
      "parallel-branch-0",
      "parallel-branch-1",
    ]);
    expect(
      r
        .getOperation("squares")
        .getChildOperations()
        ?.map((c) => c.getName()),
    ).toEqual(["map-item-0"]);
    expect(r.getOperation("child").getContextDetails()?.result).toBe(42);
    expect(r.getOperation("inner").getParentId()).toBe(r.getOperation("child").getId());
  });
});
