// waitForCallback end to end (spec §5): the `callbacks` fixture waits for a callback whose id the
// test reads from the CallbackStarted event, then completes it through the official client.
import { randomBytes } from "node:crypto";
import {
  SendDurableExecutionCallbackFailureCommand,
  SendDurableExecutionCallbackHeartbeatCommand,
  SendDurableExecutionCallbackSuccessCommand,
  StopDurableExecutionCommand,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { history, startTestServer, waitForEvent } from "../support/harness.js";
import type { TestServer } from "../support/harness.js";
import {
  callbackIdOf,
  callbackPath,
  eventsOf,
  expectAwsError,
  finished,
  onlyEvent,
  raw,
  sdkError,
  startAsync,
  getExecution,
} from "../support/e2e.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const utf8 = (s: string) => new TextEncoder().encode(s);
const succeed = (id: string, result?: string) =>
  t.client.send(
    new SendDurableExecutionCallbackSuccessCommand({
      CallbackId: id,
      ...(result !== undefined ? { Result: utf8(result) } : {}),
    }),
  );
const heartbeat = (id: string) =>
  t.client.send(new SendDurableExecutionCallbackHeartbeatCommand({ CallbackId: id }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.concurrent("callbacks", () => {
  it("delivers a success result to the waiting code", async () => {
    const arn = await startAsync(t.client, "callbacks", {});
    const id = await callbackIdOf(t.client, arn);
    // The execution hibernates until the callback completes.
    await waitForEvent(t.client, arn, (e) => e.EventType === "InvocationCompleted");
    expect((await getExecution(t.client, arn)).Status).toBe("RUNNING");

    await succeed(id, '{"approved":true}');
    const { execution, events } = await finished(t.client, arn);
    expect(execution.Status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.Result!)).toEqual({ result: '{"approved":true}' });

    const started = onlyEvent(events, "CallbackStarted");
    expect(started.CallbackStartedDetails).toEqual({ CallbackId: id });
    expect(started.SubType).toBe("Callback");
    expect(started.ParentId).toBe(onlyEvent(events, "ContextStarted", "approval").Id);
    expect(onlyEvent(events, "CallbackSucceeded").CallbackSucceededDetails?.Result).toEqual({
      Payload: '{"approved":true}',
      Truncated: false,
    });
    expect(onlyEvent(events, "ContextSucceeded", "approval").ContextSucceededDetails?.Result?.Payload).toBe(
      JSON.stringify('{"approved":true}'),
    );
  });

  it("treats an empty success body as no result", async () => {
    const arn = await startAsync(t.client, "callbacks", {});
    const id = await callbackIdOf(t.client, arn);
    const res = await raw(t.url, "POST", callbackPath(id, "succeed"), {
      headers: { "content-type": "application/octet-stream" },
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({});
    const { execution, events } = await finished(t.client, arn);
    expect(execution.Status).toBe("SUCCEEDED");
    expect(execution.Result).toBe("{}"); // { result: undefined }
    expect(onlyEvent(events, "CallbackSucceeded").CallbackSucceededDetails?.Result?.Payload).toBeUndefined();
  });

  it("fails the execution with the error sent by SendDurableExecutionCallbackFailure", async () => {
    const arn = await startAsync(t.client, "callbacks", {});
    const id = await callbackIdOf(t.client, arn);
    const sent = { ErrorType: "Rejected", ErrorMessage: "the manager said no", ErrorData: '{"by":"ann"}' };
    await t.client.send(new SendDurableExecutionCallbackFailureCommand({ CallbackId: id, Error: sent }));
    const { execution, events } = await finished(t.client, arn);
    expect(execution.Status).toBe("FAILED");
    // The SDK raises a CallbackExternalError carrying the sent message (conformance 4-6).
    expect(execution.Error).toMatchObject({
      ErrorType: "CallbackExternalError",
      ErrorMessage: "the manager said no",
    });
    expect(onlyEvent(events, "CallbackFailed").CallbackFailedDetails?.Error).toEqual({
      Payload: sent,
      Truncated: false,
    });
    expect(onlyEvent(events, "ExecutionFailed").ExecutionFailedDetails?.Error?.Payload?.ErrorMessage).toBe(
      "the manager said no",
    );
  });

  it("completes a callback once: a second completion is refused and the first result stands", async () => {
    const arn = await startAsync(t.client, "callbacks", {});
    const id = await callbackIdOf(t.client, arn);
    await succeed(id, '"first"');

    const again = await sdkError(succeed(id, '"second"'));
    expect(again).toMatchObject({ name: "InvalidParameterValueException", status: 400 });
    const failAfter = await raw(t.url, "POST", callbackPath(id, "fail"), { body: '{"ErrorMessage":"late"}' });
    expectAwsError(failAfter, 400, "InvalidParameterValueException");
    const beatAfter = await raw(t.url, "POST", callbackPath(id, "heartbeat"));
    expectAwsError(beatAfter, 400, "InvalidParameterValueException");

    const { execution, events } = await finished(t.client, arn);
    expect(JSON.parse(execution.Result!)).toEqual({ result: '"first"' });
    expect(eventsOf(events, "CallbackSucceeded")).toHaveLength(1);
    expect(eventsOf(events, "CallbackFailed")).toHaveLength(0);
  });

  it("times a callback out with Callback.Timeout; a later success gets CallbackTimeoutException", async () => {
    const arn = await startAsync(t.client, "callbacks", { timeoutSeconds: 1 });
    const id = await callbackIdOf(t.client, arn);
    const timedOut = await waitForEvent(t.client, arn, (e) => e.EventType === "CallbackTimedOut");
    expect(timedOut.CallbackTimedOutDetails?.Error?.Payload?.ErrorType).toBe("Callback.Timeout");
    expect(timedOut.CallbackTimedOutDetails?.Error?.Payload?.ErrorMessage).toMatch(/\S/);

    const late = await sdkError(succeed(id, '"too late"'));
    expect(late).toMatchObject({ name: "CallbackTimeoutException", status: 400 });
    const lateRaw = await raw(t.url, "POST", callbackPath(id, "heartbeat"));
    expectAwsError(lateRaw, 400, "CallbackTimeoutException");

    const { execution, events } = await finished(t.client, arn);
    expect(execution.Status).toBe("FAILED");
    expect(execution.Error?.ErrorType).toBe("CallbackTimeoutError");
    expect(onlyEvent(events, "CallbackStarted").CallbackStartedDetails).toEqual({
      CallbackId: id,
      Timeout: 1,
    });
    expect(eventsOf(events, "CallbackSucceeded")).toHaveLength(0);
  });

  it("keeps a callback alive with heartbeats, then times it out with Callback.Heartbeat once they stop", async () => {
    const arn = await startAsync(t.client, "callbacks", { heartbeatSeconds: 2 });
    const id = await callbackIdOf(t.client, arn);
    // Heartbeats every ~500 ms for well past the 2 s heartbeat timeout.
    for (let i = 0; i < 8; i++) {
      await heartbeat(id);
      await sleep(500);
    }
    expect((await history(t.client, arn)).filter((e) => e.EventType === "CallbackTimedOut")).toEqual([]);
    expect((await getExecution(t.client, arn)).Status).toBe("RUNNING");

    const timedOut = await waitForEvent(t.client, arn, (e) => e.EventType === "CallbackTimedOut");
    expect(timedOut.CallbackTimedOutDetails?.Error?.Payload?.ErrorType).toBe("Callback.Heartbeat");
    const { execution, events } = await finished(t.client, arn);
    expect(execution.Status).toBe("FAILED");
    expect(execution.Error?.ErrorType).toBe("CallbackTimeoutError");
    expect(onlyEvent(events, "CallbackStarted").CallbackStartedDetails).toEqual({
      CallbackId: id,
      HeartbeatTimeout: 2,
    });
    // Heartbeats leave no trace in the history.
    expect(events.map((e) => e.EventType).filter((type) => type?.startsWith("Callback"))).toEqual([
      "CallbackStarted",
      "CallbackTimedOut",
    ]);
  });

  it("refuses callbacks of a stopped execution", async () => {
    const arn = await startAsync(t.client, "callbacks", {});
    const id = await callbackIdOf(t.client, arn);
    await t.client.send(new StopDurableExecutionCommand({ DurableExecutionArn: arn }));
    const { execution } = await finished(t.client, arn);
    expect(execution.Status).toBe("STOPPED");
    for (const action of ["succeed", "fail", "heartbeat"] as const) {
      const res = await raw(t.url, "POST", callbackPath(id, action), {
        body: action === "fail" ? "{}" : '"x"',
      });
      expectAwsError(res, 400, "InvalidParameterValueException");
    }
    expect(eventsOf(await history(t.client, arn), "CallbackSucceeded")).toHaveLength(0);
  });

  it("answers an unknown but well-formed callback id with 404 ResourceNotFoundException", async () => {
    const unknown = randomBytes(24).toString("base64");
    expect(await sdkError(succeed(unknown, "1"))).toMatchObject({
      name: "ResourceNotFoundException",
      status: 404,
    });
    for (const action of ["succeed", "fail", "heartbeat"] as const) {
      const res = await raw(t.url, "POST", callbackPath(unknown, action), { body: "{}" });
      expectAwsError(res, 404, "ResourceNotFoundException");
    }
  });

  it("answers a malformed callback id with 400 InvalidParameterValueException naming CallbackId", async () => {
    for (const bad of ["not base64!", "abc=def", "=", "A".repeat(1025)]) {
      for (const action of ["succeed", "fail", "heartbeat"] as const) {
        const res = await raw(t.url, "POST", callbackPath(bad, action), { body: "{}" });
        expectAwsError(res, 400, "InvalidParameterValueException", "CallbackId");
      }
    }
    expect(await sdkError(heartbeat("not base64!"))).toMatchObject({
      name: "InvalidParameterValueException",
      status: 400,
    });
  });
});
