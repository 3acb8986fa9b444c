// Every durable operation type through real executions: a real server, real worker processes
// running the official SDK, and the official AWS client. Each finished history is checked against
// the invariants of spec §7.3 (see `finished`).
import { InvokeCommand } from "@aws-sdk/client-lambda";
import type { Event } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "../support/harness.js";
import type { TestServer } from "../support/harness.js";
import {
  eventsOf,
  executionPath,
  finished,
  getExecution,
  onlyEvent,
  raw,
  startAsync,
} from "../support/e2e.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const decode = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes ?? new Uint8Array());

/** Every ParentId names a CONTEXT whose ContextStarted came earlier in the history. */
function expectParentsAreEarlierContexts(events: Event[]): void {
  const contexts = new Set<string>();
  for (const e of events) {
    if (e.ParentId !== undefined) expect(contexts.has(e.ParentId), `parent of event ${e.EventId}`).toBe(true);
    if (e.EventType === "ContextStarted") contexts.add(e.Id!);
  }
}

describe.concurrent("operations", () => {
  it("runs steps and records each result, an undefined one as an absent payload", async () => {
    const out = await t.client.send(
      new InvokeCommand({ FunctionName: "steps", Payload: JSON.stringify({ n: 3 }) }),
    );
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.ExecutedVersion).toBe("$LATEST");
    // FIXTURE_GREETING comes from the template's Globals: the user's environment reached the handler.
    expect(JSON.parse(decode(out.Payload))).toEqual({ a: 6, b: 36, greeting: "hello", nothing: "undefined" });

    const { execution, events } = await finished(t.client, out.DurableExecutionArn!);
    expect(execution.Status).toBe("SUCCEEDED");
    const steps = events.filter((e) => e.EventType?.startsWith("Step"));
    expect(steps.map((e) => `${e.EventType}:${e.Name}`)).toEqual([
      "StepStarted:double",
      "StepSucceeded:double",
      "StepStarted:square",
      "StepSucceeded:square",
      "StepStarted:env",
      "StepSucceeded:env",
      "StepStarted:void",
      "StepSucceeded:void",
    ]);
    const results = eventsOf(events, "StepSucceeded").map((e) => e.StepSucceededDetails!);
    expect(results.map((d) => d.Result?.Payload)).toEqual(["6", "36", '"hello"', undefined]);
    expect(results[3]!.Result).toEqual({ Truncated: false });
    for (const d of results) expect(d.RetryDetails).toEqual({ CurrentAttempt: 1 });
    for (const e of steps) expect(e.SubType).toBe("Step");
    expect(onlyEvent(events, "ExecutionSucceeded").ExecutionSucceededDetails?.Result?.Payload).toBe(
      decode(out.Payload),
    );
  });

  it("waits: WaitStarted with Duration and ScheduledEndTimestamp in seconds, then WaitSucceeded", async () => {
    const arn = await startAsync(t.client, "waiter", { seconds: 1 });
    const { execution, events } = await finished(t.client, arn);
    expect(execution.Status).toBe("SUCCEEDED");
    expect(events.filter((e) => e.EventType !== "InvocationCompleted").map((e) => e.EventType)).toEqual([
      "ExecutionStarted",
      "StepStarted",
      "StepSucceeded",
      "WaitStarted",
      "WaitSucceeded",
      "StepStarted",
      "StepSucceeded",
      "ExecutionSucceeded",
    ]);
    // The execution hibernates while it waits: one invocation before the wait, one after.
    const invocations = eventsOf(events, "InvocationCompleted");
    expect(invocations).toHaveLength(2);
    expect(invocations[0]!.EventId!).toBeGreaterThan(onlyEvent(events, "WaitStarted").EventId!);
    expect(invocations[1]!.EventId!).toBeGreaterThan(onlyEvent(events, "WaitSucceeded").EventId!);
    const started = onlyEvent(events, "WaitStarted");
    expect(started).toMatchObject({ Name: "pause", SubType: "Wait" });
    expect(started.WaitStartedDetails?.Duration).toBe(1);
    expect(onlyEvent(events, "WaitSucceeded").WaitSucceededDetails).toEqual({ Duration: 1 });

    // On the wire: epoch seconds as JSON numbers, scheduled Duration after the event.
    const res = await raw(t.url, "GET", executionPath(arn, "/history"));
    const wire = (res.json!.Events as Record<string, unknown>[]).find((e) => e.EventType === "WaitStarted")!;
    const details = wire.WaitStartedDetails as { ScheduledEndTimestamp: unknown };
    expect(typeof details.ScheduledEndTimestamp).toBe("number");
    expect(typeof wire.EventTimestamp).toBe("number");
    const scheduled = details.ScheduledEndTimestamp as number;
    expect(scheduled).toBeGreaterThan(1e9);
    expect(scheduled).toBeLessThan(1e10);
    expect(scheduled - (wire.EventTimestamp as number)).toBeCloseTo(1, 0);
    // The timer fired at or after the scheduled instant.
    const fired = onlyEvent(events, "WaitSucceeded").EventTimestamp!.getTime() / 1000;
    expect(fired).toBeGreaterThanOrEqual(scheduled - 0.001);
  });

  it("retries a failing step: StepFailed attempts 1 and 2 with a delay, then StepSucceeded attempt 3", async () => {
    const arn = await startAsync(t.client, "retrier", {});
    const { execution, events } = await finished(t.client, arn);
    expect(execution.Status).toBe("SUCCEEDED");
    expect(execution.Result).toBe('{"attempt":3}');
    const attempts = events.filter((e) => e.EventType === "StepFailed" || e.EventType === "StepSucceeded");
    expect(
      attempts.map((e) => [
        e.EventType,
        e.StepFailedDetails?.RetryDetails ?? e.StepSucceededDetails?.RetryDetails,
      ]),
    ).toEqual([
      ["StepFailed", { CurrentAttempt: 1, NextAttemptDelaySeconds: 1 }],
      ["StepFailed", { CurrentAttempt: 2, NextAttemptDelaySeconds: 1 }],
      ["StepSucceeded", { CurrentAttempt: 3 }],
    ]);
    expect(attempts[0]!.StepFailedDetails?.Error).toEqual({
      Payload: { ErrorType: "Error", ErrorMessage: "attempt 1 failed" },
      Truncated: false,
    });
    expect(eventsOf(events, "StepStarted", "flaky")).toHaveLength(3);
    // Each retry waits outside the function: the invocation ends between attempts.
    expect(eventsOf(events, "InvocationCompleted")).toHaveLength(3);
  });

  it("fails the execution with a StepError when the retries are exhausted", async () => {
    const arn = await startAsync(t.client, "retrier", { succeedOn: 99, maxAttempts: 2 });
    const { execution, events } = await finished(t.client, arn);
    expect(execution.Status).toBe("FAILED");
    expect(execution.Error).toEqual({ ErrorType: "StepError", ErrorMessage: "attempt 2 failed" });
    expect(eventsOf(events, "StepFailed").map((e) => e.StepFailedDetails?.RetryDetails)).toEqual([
      { CurrentAttempt: 1, NextAttemptDelaySeconds: 1 },
      { CurrentAttempt: 2 },
    ]);
    expect(eventsOf(events, "StepSucceeded")).toHaveLength(0);
    expect(onlyEvent(events, "ExecutionFailed").ExecutionFailedDetails?.Error?.Payload).toEqual(
      execution.Error,
    );
  });

  it("polls a waitForCondition until it holds, each check a StepSucceeded with the state", async () => {
    const arn = await startAsync(t.client, "condition", { target: 3 });
    const { execution, events } = await finished(t.client, arn);
    expect(execution.Status).toBe("SUCCEEDED");
    expect(execution.Result).toBe('{"final":3}');
    const checks = eventsOf(events, "StepSucceeded", "count");
    for (const e of checks) expect(e.SubType).toBe("WaitForCondition");
    expect(
      checks.map((e) => [e.StepSucceededDetails?.Result?.Payload, e.StepSucceededDetails?.RetryDetails]),
    ).toEqual([
      ["1", { CurrentAttempt: 1, NextAttemptDelaySeconds: 1 }],
      ["2", { CurrentAttempt: 2, NextAttemptDelaySeconds: 1 }],
      ["3", { CurrentAttempt: 3 }],
    ]);
    expect(eventsOf(events, "StepStarted", "count")).toHaveLength(3);
  });

  it("runs parallel, map and a child context, each child pointing at its context", async () => {
    const arn = await startAsync(t.client, "fanout", { items: [2, 3] });
    const { execution, events } = await finished(t.client, arn);
    expect(execution.Status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.Result!)).toEqual({ parallel: ["L", "R"], mapped: [4, 9], child: 42 });
    expectParentsAreEarlierContexts(events);

    const ctx = (name: string) => onlyEvent(events, "ContextStarted", name);
    const parallel = ctx("branches");
    const map = ctx("squares");
    const child = ctx("child");
    expect([parallel.SubType, map.SubType, child.SubType]).toEqual(["Parallel", "Map", "RunInChildContext"]);
    for (const top of [parallel, map, child]) expect(top.ParentId).toBeUndefined();

    const branches = [ctx("parallel-branch-0"), ctx("parallel-branch-1")];
    for (const b of branches) expect(b).toMatchObject({ SubType: "ParallelBranch", ParentId: parallel.Id });
    expect(onlyEvent(events, "StepStarted", "left").ParentId).toBe(branches[0]!.Id);
    expect(onlyEvent(events, "StepStarted", "right").ParentId).toBe(branches[1]!.Id);

    const items = [ctx("map-item-0"), ctx("map-item-1")];
    for (const i of items) expect(i).toMatchObject({ SubType: "MapIteration", ParentId: map.Id });
    expect(onlyEvent(events, "StepStarted", "sq-2").ParentId).toBe(items[0]!.Id);
    expect(onlyEvent(events, "StepStarted", "sq-3").ParentId).toBe(items[1]!.Id);

    expect(onlyEvent(events, "StepStarted", "inner").ParentId).toBe(child.Id);
    expect(onlyEvent(events, "WaitStarted").ParentId).toBe(child.Id);
    expect(onlyEvent(events, "WaitSucceeded").ParentId).toBe(child.Id);

    // Every context that started also succeeded, after all of its children.
    for (const started of eventsOf(events, "ContextStarted")) {
      const done = events.filter((e) => e.EventType === "ContextSucceeded" && e.Id === started.Id);
      expect(done, `ContextSucceeded of ${started.Name}`).toHaveLength(1);
      const lastChild = events.filter((e) => e.ParentId === started.Id).at(-1);
      if (lastChild) expect(done[0]!.EventId!).toBeGreaterThan(lastChild.EventId!);
    }
    const parallelResult = JSON.parse(
      events.find((e) => e.EventType === "ContextSucceeded" && e.Id === parallel.Id)!.ContextSucceededDetails!
        .Result!.Payload!,
    );
    expect(parallelResult.completionReason).toBe("ALL_COMPLETED");
    expect(onlyEvent(events, "ContextSucceeded", "child").ContextSucceededDetails?.Result?.Payload).toBe(
      "42",
    );
  });

  it("chains invokes: a durable target runs as its own execution, a plain one directly, a missing one fails", async () => {
    const arn = await startAsync(t.client, "caller", { n: 5 });
    const { execution, events } = await finished(t.client, arn);
    expect(execution.Status).toBe("SUCCEEDED");
    const result = JSON.parse(execution.Result!);

    const durable = onlyEvent(events, "ChainedInvokeStarted", "call-steps");
    const d = durable.ChainedInvokeStartedDetails!;
    expect(d).toMatchObject({
      FunctionName: "steps",
      Input: { Payload: '{"n":5}' },
      ExecutedVersion: "$LATEST",
    });
    expect(d.DurableExecutionArn).toMatch(
      /^arn:aws:lambda:us-east-1:000000000000:function:steps:\$LATEST\/durable-execution\//,
    );
    const child = await finished(t.client, d.DurableExecutionArn!);
    expect(child.execution.Status).toBe("SUCCEEDED");
    expect(child.execution.InputPayload).toBe('{"n":5}');
    const succeeded = events.find((e) => e.EventType === "ChainedInvokeSucceeded" && e.Id === durable.Id);
    expect(succeeded?.ChainedInvokeSucceededDetails?.Result?.Payload).toBe(child.execution.Result);
    expect(result.durable).toEqual({ a: 10, b: 100, greeting: "hello", nothing: "undefined" });

    const plain = onlyEvent(events, "ChainedInvokeStarted", "call-plain").ChainedInvokeStartedDetails!;
    expect(plain).toMatchObject({
      FunctionName: "plain",
      Input: { Payload: '{"y":2}' },
      ExecutedVersion: "$LATEST",
    });
    expect(plain.DurableExecutionArn).toBeUndefined();
    expect(result.plain).toEqual({ doubled: 4, greeting: "hello" });
    expect(
      onlyEvent(events, "ChainedInvokeSucceeded", "call-plain").ChainedInvokeSucceededDetails?.Result
        ?.Payload,
    ).toBe('{"doubled":4,"greeting":"hello"}');

    // A missing target is accepted, then fails the operation, so the code can catch it.
    expect(
      onlyEvent(events, "ChainedInvokeStarted", "call-missing").ChainedInvokeStartedDetails?.FunctionName,
    ).toBe("no-such-function");
    const missing = onlyEvent(events, "ChainedInvokeFailed", "call-missing").ChainedInvokeFailedDetails!;
    expect(missing.Error?.Payload?.ErrorType).toBe("ResourceNotFoundException");
    expect(missing.Error?.Payload?.ErrorMessage).toContain("no-such-function");
    expect(result.missing).toContain("no-such-function");
  });

  it("fails the execution with the step's error when it escapes the handler", async () => {
    const arn = await startAsync(t.client, "failer", { reason: "out of stock" });
    const { execution, events } = await finished(t.client, arn);
    expect(execution.Status).toBe("FAILED");
    expect(execution.Error).toEqual({ ErrorType: "StepError", ErrorMessage: "out of stock" });
    expect(execution.Result).toBeUndefined();
    expect(onlyEvent(events, "StepFailed", "reject").StepFailedDetails).toEqual({
      Error: { Payload: { ErrorType: "OrderRejected", ErrorMessage: "out of stock" }, Truncated: false },
      RetryDetails: { CurrentAttempt: 1 },
    });
    expect(onlyEvent(events, "ExecutionFailed").ExecutionFailedDetails?.Error).toEqual({
      Payload: { ErrorType: "StepError", ErrorMessage: "out of stock" },
      Truncated: false,
    });
    // A well-formed FAILED output is not a function error: the invocation itself succeeded.
    for (const e of eventsOf(events, "InvocationCompleted"))
      expect(e.InvocationCompletedDetails?.Error).toBeUndefined();
  });

  it("fails the execution with the handler's own error type", async () => {
    const arn = await startAsync(t.client, "failer", { reason: "no stock", direct: true });
    const { execution, events } = await finished(t.client, arn);
    expect(execution.Status).toBe("FAILED");
    expect(execution.Error).toMatchObject({ ErrorType: "OrderRejected", ErrorMessage: "no stock" });
    expect(onlyEvent(events, "ExecutionFailed").ExecutionFailedDetails?.Error?.Payload).toMatchObject({
      ErrorType: "OrderRejected",
      ErrorMessage: "no stock",
    });
  });

  it("answers a synchronous Invoke of a failing execution with X-Amz-Function-Error: Unhandled", async () => {
    const res = await raw(t.url, "POST", "/2015-03-31/functions/failer/invocations", {
      body: JSON.stringify({ reason: "sync failure" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-amz-function-error")).toBe("Unhandled");
    const arn = res.headers.get("x-amz-durable-execution-arn");
    expect(arn).toMatch(/:function:failer:\$LATEST\/durable-execution\//);
    expect(res.json).toEqual({ errorType: "StepError", errorMessage: "sync failure" });

    const { execution } = await finished(t.client, arn!);
    expect(execution.Status).toBe("FAILED");
    // The same answer through the official client.
    const out = await t.client.send(
      new InvokeCommand({ FunctionName: "failer", Payload: JSON.stringify({ reason: "via client" }) }),
    );
    expect(out.FunctionError).toBe("Unhandled");
    expect(JSON.parse(decode(out.Payload))).toEqual({ errorType: "StepError", errorMessage: "via client" });
    expect((await getExecution(t.client, out.DurableExecutionArn!)).Status).toBe("FAILED");
  });
});
