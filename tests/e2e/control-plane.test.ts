// The control plane (spec §7): Invoke's invocation types and name idempotency, GetDurableExecution,
// StopDurableExecution, and plain functions invoked directly. Paging and listing are in
// control-plane-listing.test.ts.
import { randomUUID } from "node:crypto";
import {
  InvokeCommand,
  ListDurableExecutionsByFunctionCommand,
  SendDurableExecutionCallbackSuccessCommand,
  StopDurableExecutionCommand,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "../support/harness.js";
import type { TestServer } from "../support/harness.js";
import {
  callbackIdOf,
  executionPath,
  expectAwsError,
  finished,
  getExecution,
  onlyEvent,
  raw,
  sdkError,
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
const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const invokePath = (fn: string) => `/2015-03-31/functions/${fn}/invocations`;
const succeedCallback = (id: string, result: string) =>
  t.client.send(
    new SendDurableExecutionCallbackSuccessCommand({
      CallbackId: id,
      Result: new TextEncoder().encode(result),
    }),
  );
const namedInvoke = (name: string, payload: string, type: "Event" | "RequestResponse") =>
  t.client.send(
    new InvokeCommand({
      FunctionName: "callbacks",
      DurableExecutionName: name,
      Payload: payload,
      InvocationType: type,
    }),
  );
const byName = async (fn: string, name: string) =>
  (
    await t.client.send(
      new ListDurableExecutionsByFunctionCommand({ FunctionName: fn, DurableExecutionName: name }),
    )
  ).DurableExecutions ?? [];

describe.concurrent("Invoke", () => {
  it("answers InvocationType Event with 202, the execution ARN and the version, and no body", async () => {
    const res = await raw(t.url, "POST", invokePath("steps"), {
      body: '{"n":1}',
      headers: { "X-Amz-Invocation-Type": "Event" },
    });
    expect(res.status).toBe(202);
    expect(res.text).toBe("");
    expect(res.headers.get("x-amz-executed-version")).toBe("$LATEST");
    const arn = res.headers.get("x-amz-durable-execution-arn")!;
    expect(arn).toMatch(
      /^arn:aws:lambda:us-east-1:000000000000:function:steps:\$LATEST\/durable-execution\/[a-zA-Z0-9_-]+\/[a-zA-Z0-9_-]+$/,
    );
    expect((await finished(t.client, arn)).execution.Status).toBe("SUCCEEDED");
  });

  it("resolves every form of function name to $LATEST, and stores an empty payload as {}", async () => {
    const forms = [
      "steps:%24LATEST/invocations",
      "steps/invocations?Qualifier=%24LATEST",
      `${encodeURIComponent("arn:aws:lambda:us-east-1:000000000000:function:steps")}/invocations`,
      `${encodeURIComponent("arn:aws:lambda:us-east-1:000000000000:function:steps:$LATEST")}/invocations`,
      `${encodeURIComponent("000000000000:function:steps")}/invocations`,
    ];
    for (const form of forms) {
      const res = await raw(t.url, "POST", `/2015-03-31/functions/${form}`, {
        headers: { "X-Amz-Invocation-Type": "Event" },
      });
      expect(res.status, form).toBe(202);
      const arn = res.headers.get("x-amz-durable-execution-arn")!;
      expect(arn, form).toMatch(/:function:steps:\$LATEST\/durable-execution\//);
      const { execution } = await finished(t.client, arn);
      expect(execution.InputPayload).toBe("{}");
      expect(execution.Result).toBe('{"a":2,"b":4,"greeting":"hello","nothing":"undefined"}');
    }
  });

  it("answers DryRun with 204 and starts nothing", async () => {
    const name = uniqueName("dry");
    const res = await raw(t.url, "POST", invokePath("steps"), {
      body: "{}",
      headers: { "X-Amz-Invocation-Type": "DryRun", "X-Amz-Durable-Execution-Name": name },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("x-amz-durable-execution-arn")).toBeNull();
    expect(await byName("steps", name)).toEqual([]);
    // The name is still free: a real start with another payload is not a conflict.
    const arn = await startAsync(t.client, "steps", { n: 9 }, name);
    expect((await finished(t.client, arn)).execution.DurableExecutionName).toBe(name);
  });

  it("returns the existing execution for the same name and payload, running and terminal", async () => {
    const name = uniqueName("idem");
    const first = await namedInvoke(name, '{"k":1}', "Event");
    const arn = first.DurableExecutionArn!;
    expect(arn).toContain(`/durable-execution/${name}/`);
    const id = await callbackIdOf(t.client, arn);

    const again = await namedInvoke(name, '{"k":1}', "Event");
    expect(again.StatusCode).toBe(202);
    expect(again.DurableExecutionArn).toBe(arn);
    // A synchronous start of the running execution waits for it as if it had started it.
    const waiting = namedInvoke(name, '{"k":1}', "RequestResponse");
    const conflict = await sdkError(namedInvoke(name, '{"k":2}', "Event"));
    expect(conflict).toMatchObject({ name: "DurableExecutionAlreadyStartedException", status: 409 });

    await succeedCallback(id, '"yes"');
    const sync = await waiting;
    expect(sync.StatusCode).toBe(200);
    expect(sync.DurableExecutionArn).toBe(arn);
    expect(JSON.parse(decode(sync.Payload))).toEqual({ result: '"yes"' });
    await finished(t.client, arn);

    // Terminal: the same answers, the outcome at once, and still a conflict for another payload.
    expect((await namedInvoke(name, '{"k":1}', "Event")).DurableExecutionArn).toBe(arn);
    const replay = await namedInvoke(name, '{"k":1}', "RequestResponse");
    expect(replay.DurableExecutionArn).toBe(arn);
    expect(JSON.parse(decode(replay.Payload))).toEqual({ result: '"yes"' });
    const late = await raw(t.url, "POST", invokePath("callbacks"), {
      body: '{"k":3}',
      headers: { "X-Amz-Durable-Execution-Name": name },
    });
    expectAwsError(late, 409, "DurableExecutionAlreadyStartedException", name);
    expect(await byName("callbacks", name)).toHaveLength(1);
  });

  it("creates one execution for concurrent starts with one name", async () => {
    const name = uniqueName("race");
    const outs = await Promise.all(Array.from({ length: 6 }, () => namedInvoke(name, '{"r":1}', "Event")));
    const arns = new Set(outs.map((o) => o.DurableExecutionArn));
    expect(arns.size).toBe(1);
    for (const o of outs) expect(o.StatusCode).toBe(202);
    const listed = await byName("callbacks", name);
    expect(listed.map((e) => e.DurableExecutionArn)).toEqual([...arns]);
    await t.client.send(new StopDurableExecutionCommand({ DurableExecutionArn: [...arns][0]! }));
  });
});

describe.concurrent("GetDurableExecution", () => {
  it("returns the execution with epoch-second timestamps, and drops the data when asked", async () => {
    const out = await t.client.send(new InvokeCommand({ FunctionName: "steps", Payload: '{"n":2}' }));
    const arn = out.DurableExecutionArn!;
    await finished(t.client, arn);

    const res = await raw(t.url, "GET", executionPath(arn));
    expect(res.status).toBe(200);
    const body = res.json!;
    expect(body).toMatchObject({
      DurableExecutionArn: arn,
      FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:steps:$LATEST",
      Status: "SUCCEEDED",
      Version: "$LATEST",
      InputPayload: '{"n":2}',
      Result: decode(out.Payload),
      ExecutionDataIncluded: true,
      DurableConfig: { ExecutionTimeout: 600, RetentionPeriodInDays: 1 },
    });
    expect(body.Error).toBeUndefined();
    // No name given: a generated one, which is also the ARN's name segment.
    expect(body.DurableExecutionName).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(arn).toContain(`/durable-execution/${String(body.DurableExecutionName)}/`);
    for (const key of ["StartTimestamp", "EndTimestamp"]) {
      expect(typeof body[key], key).toBe("number");
      expect(body[key] as number).toBeGreaterThan(1e9);
      expect(body[key] as number).toBeLessThan(1e10);
    }
    expect(body.EndTimestamp as number).toBeGreaterThanOrEqual(body.StartTimestamp as number);

    const lean = (await raw(t.url, "GET", executionPath(arn, "?IncludeExecutionData=false"))).json!;
    expect(lean.ExecutionDataIncluded).toBe(false);
    expect(lean).not.toHaveProperty("InputPayload");
    expect(lean).not.toHaveProperty("Result");
    expect(lean).toMatchObject({ Status: "SUCCEEDED", FunctionArn: body.FunctionArn, Version: "$LATEST" });

    // The client parses the same answer.
    const viaClient = await getExecution(t.client, arn);
    expect(viaClient.StartTimestamp?.getTime()).toBe(Math.round((body.StartTimestamp as number) * 1000));
  });

  it("reports the Error of a failed execution and leaves out EndTimestamp while running", async () => {
    const failed = await startAsync(t.client, "failer", { reason: "bad order" });
    await finished(t.client, failed);
    const body = (await raw(t.url, "GET", executionPath(failed))).json!;
    expect(body.Error).toEqual({ ErrorType: "StepError", ErrorMessage: "bad order" });
    expect(body).not.toHaveProperty("Result");
    const lean = (await raw(t.url, "GET", executionPath(failed, "?IncludeExecutionData=false"))).json!;
    expect(lean).not.toHaveProperty("Error");

    const running = await startAsync(t.client, "callbacks", {});
    const r = (await raw(t.url, "GET", executionPath(running))).json!;
    expect(r.Status).toBe("RUNNING");
    expect(r).not.toHaveProperty("EndTimestamp");
    await t.client.send(new StopDurableExecutionCommand({ DurableExecutionArn: running }));
  });
});

describe.concurrent("StopDurableExecution", () => {
  it("stops with Execution.Stopped by default, and a second stop returns the same StopTimestamp", async () => {
    const name = uniqueName("stop");
    const arn = (await namedInvoke(name, "{}", "Event")).DurableExecutionArn!;
    await callbackIdOf(t.client, arn);
    // A synchronous caller attached to the running execution learns that it stopped.
    const waiting = namedInvoke(name, "{}", "RequestResponse");

    const first = await raw(t.url, "POST", executionPath(arn, "/stop"));
    expect(first.status).toBe(200);
    const stoppedAt = first.json!.StopTimestamp;
    expect(typeof stoppedAt).toBe("number");
    const second = await raw(t.url, "POST", executionPath(arn, "/stop"), { body: '{"ErrorType":"Other"}' });
    expect(second.status).toBe(200);
    expect(second.json).toEqual({ StopTimestamp: stoppedAt });

    const { execution, events } = await finished(t.client, arn);
    expect(execution.Status).toBe("STOPPED");
    expect(execution.Error?.ErrorType).toBe("Execution.Stopped");
    expect(execution.EndTimestamp?.getTime()).toBe(Math.round((stoppedAt as number) * 1000));
    expect(onlyEvent(events, "ExecutionStopped").ExecutionStoppedDetails?.Error?.Payload).toEqual(
      execution.Error,
    );

    const sync = await waiting;
    expect(sync.FunctionError).toBe("Unhandled");
    expect(JSON.parse(decode(sync.Payload))).toMatchObject({ errorType: "Execution.Stopped" });
  });

  it("stops with the caller's error", async () => {
    const arn = await startAsync(t.client, "callbacks", {});
    await callbackIdOf(t.client, arn);
    const error = { ErrorType: "Cancelled", ErrorMessage: "customer cancelled", ErrorData: '{"ticket":7}' };
    const out = await t.client.send(
      new StopDurableExecutionCommand({ DurableExecutionArn: arn, Error: error }),
    );
    expect(out.StopTimestamp).toBeInstanceOf(Date);
    const { execution, events } = await finished(t.client, arn);
    expect(execution.Error).toEqual(error);
    expect(onlyEvent(events, "ExecutionStopped").ExecutionStoppedDetails?.Error?.Payload).toEqual(error);
  });

  it("refuses to stop a finished execution (400) and an unknown one (404)", async () => {
    const out = await t.client.send(new InvokeCommand({ FunctionName: "steps", Payload: "{}" }));
    const arn = out.DurableExecutionArn!;
    await finished(t.client, arn);
    const done = await raw(t.url, "POST", executionPath(arn, "/stop"));
    expectAwsError(done, 400, "InvalidParameterValueException");
    expect((await getExecution(t.client, arn)).Status).toBe("SUCCEEDED");

    const unknown = arn.replace(/\/[^/]+$/, `/${randomUUID()}`);
    expectAwsError(
      await raw(t.url, "POST", executionPath(unknown, "/stop")),
      404,
      "ResourceNotFoundException",
    );
    expect(
      await sdkError(t.client.send(new StopDurableExecutionCommand({ DurableExecutionArn: unknown }))),
    ).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
  });
});

describe.concurrent("a plain function invoked directly", () => {
  it("returns its result synchronously", async () => {
    const out = await t.client.send(new InvokeCommand({ FunctionName: "plain", Payload: '{"y":21}' }));
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.DurableExecutionArn).toBeUndefined();
    expect(JSON.parse(decode(out.Payload))).toEqual({ doubled: 42, greeting: "hello" });
  });

  it("reports a thrown error as X-Amz-Function-Error: Unhandled with Lambda's error body", async () => {
    const res = await raw(t.url, "POST", invokePath("plain"), { body: '{"fail":true}' });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-amz-function-error")).toBe("Unhandled");
    expect(res.json).toMatchObject({
      errorType: "TypeError",
      errorMessage: "plain function failed on purpose",
    });
  });

  it("accepts an Event invocation with 202 and no execution", async () => {
    const res = await raw(t.url, "POST", invokePath("plain"), {
      body: '{"y":1}',
      headers: { "X-Amz-Invocation-Type": "Event" },
    });
    expect(res.status).toBe(202);
    expect(res.headers.get("x-amz-durable-execution-arn")).toBeNull();
    const dry = await raw(t.url, "POST", invokePath("plain"), {
      headers: { "X-Amz-Invocation-Type": "DryRun" },
    });
    expect(dry.status).toBe(204);
  });
});
