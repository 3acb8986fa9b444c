// Invoke (spec §7.1) against a recording service: invocation types, headers, outcomes, limits.
import { DEFAULT_LIMITS, type ErrorObject, type ExecutionStatus } from "@dormouse/protocol";
import type { DurableService } from "@dormouse/scheduler";
import { afterEach, describe, expect, it } from "vitest";
import { createApi } from "../app.js";
import { ARN, T0, awsError, executionRecord, fakeService, onlyCall } from "../test-service.js";

const apps: ReturnType<typeof createApi>[] = [];
function setup(overrides: Partial<DurableService> = {}, limits = DEFAULT_LIMITS) {
  const service = fakeService(overrides);
  const app = createApi({ service, limits });
  apps.push(app);
  return { service, app };
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

const INVOKE = "/2015-03-31/functions/orders/invocations";

describe("durable functions", () => {
  it("RequestResponse waits for the outcome and returns the Result text", async () => {
    const { app, service } = setup();
    const res = await app.inject({
      method: "POST",
      url: `${INVOKE}?Qualifier=%24LATEST`,
      payload: '{"n":42}',
      headers: {
        "content-type": "application/octet-stream",
        "X-Amz-Durable-Execution-Name": "order-42",
        "X-Amz-Tenant-Id": "tenant a",
        "X-Amzn-Trace-Id": "Root=1-abc",
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('"ok"');
    expect(res.headers["x-amz-durable-execution-arn"]).toBe(ARN);
    expect(res.headers["x-amz-executed-version"]).toBe("$LATEST");
    expect(res.headers).not.toHaveProperty("x-amz-function-error");
    const [req] = onlyCall(service, "startExecution") as [Record<string, unknown>];
    expect(req).toEqual({
      fn: expect.objectContaining({ functionName: "orders", version: "$LATEST", durable: true }),
      payload: '{"n":42}',
      name: "order-42",
      tenantId: "tenant a",
      traceId: "Root=1-abc",
    });
    expect(onlyCall(service, "waitForTerminal")).toEqual([ARN, 900_000]);
  });

  it("waits at most the configured sync limit", async () => {
    const { app, service } = setup({}, { ...DEFAULT_LIMITS, syncInvokeMaxSeconds: 2 });
    await app.inject({ method: "POST", url: INVOKE });
    expect(onlyCall(service, "waitForTerminal")).toEqual([ARN, 2000]);
  });

  it("passes an empty body as an empty payload and answers an absent Result with an empty body", async () => {
    const { app, service } = setup({
      waitForTerminal: async () => executionRecord({ status: "SUCCEEDED", endedAt: T0 + 1 }),
    });
    const res = await app.inject({ method: "POST", url: INVOKE });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe("");
    expect((onlyCall(service, "startExecution")[0] as { payload: string }).payload).toBe("");
  });

  it("Event answers 202 with the ARN header and does not wait", async () => {
    const { app, service } = setup();
    const res = await app.inject({
      method: "POST",
      url: INVOKE,
      payload: "{}",
      headers: { "X-Amz-Invocation-Type": "Event" },
    });
    expect(res.statusCode).toBe(202);
    expect(res.body).toBe("");
    expect(res.headers["x-amz-durable-execution-arn"]).toBe(ARN);
    expect(res.headers["x-amz-executed-version"]).toBe("$LATEST");
    expect(service.calls.map((c) => c.method)).toEqual(["resolveFunction", "startExecution"]);
  });

  it("DryRun answers 204 and starts nothing, but still checks the function exists", async () => {
    const { app, service } = setup();
    const res = await app.inject({
      method: "POST",
      url: INVOKE,
      headers: { "X-Amz-Invocation-Type": "DryRun" },
    });
    expect(res.statusCode).toBe(204);
    expect(service.calls.map((c) => c.method)).toEqual(["resolveFunction"]);
    const missing = await app.inject({
      method: "POST",
      url: "/2015-03-31/functions/ghost/invocations",
      headers: { "X-Amz-Invocation-Type": "DryRun" },
    });
    expect(awsError(missing)).toMatchObject({ status: 404, name: "ResourceNotFoundException" });
  });

  it.each([
    [
      "FAILED",
      { ErrorType: "StepError", ErrorMessage: "nope", ErrorData: "d", StackTrace: ["s"] },
      {
        errorType: "StepError",
        errorMessage: "nope",
        errorData: "d",
        stackTrace: ["s"],
      },
    ],
    [
      "TIMED_OUT",
      undefined,
      { errorType: "Execution.TimedOut", errorMessage: "The durable execution timed out" },
    ],
    ["STOPPED", { ErrorMessage: "by user" }, { errorType: "Execution.Stopped", errorMessage: "by user" }],
  ] as [ExecutionStatus, ErrorObject | undefined, object][])(
    "%s → 200 + X-Amz-Function-Error: Unhandled + error body",
    async (status, error, body) => {
      const { app } = setup({
        waitForTerminal: async () =>
          executionRecord({ status, endedAt: T0 + 1, ...(error ? { error } : {}) }),
      });
      const res = await app.inject({ method: "POST", url: INVOKE, payload: "{}" });
      expect(res.statusCode).toBe(200);
      expect(res.headers["x-amz-function-error"]).toBe("Unhandled");
      expect(res.headers["x-amz-durable-execution-arn"]).toBe(ARN);
      expect(JSON.parse(res.body)).toEqual(body);
    },
  );

  it("still RUNNING after the wait → Sandbox.Timedout, the execution keeps going", async () => {
    const { app } = setup({ waitForTerminal: async () => executionRecord() });
    const res = await app.inject({ method: "POST", url: INVOKE });
    expect(res.statusCode).toBe(200);
    expect(res.headers["x-amz-function-error"]).toBe("Unhandled");
    expect(res.headers["x-amz-durable-execution-arn"]).toBe(ARN);
    expect(JSON.parse(res.body)).toMatchObject({ errorType: "Sandbox.Timedout" });
  });

  it("an existing terminal execution (same name, same payload) answers without waiting", async () => {
    const { app, service } = setup({
      startExecution: async () => ({
        execution: executionRecord({ status: "SUCCEEDED", endedAt: T0 + 5, result: "42" }),
        created: false,
      }),
    });
    const res = await app.inject({
      method: "POST",
      url: INVOKE,
      headers: { "X-Amz-Durable-Execution-Name": "x" },
    });
    expect(res.body).toBe("42");
    expect(service.calls.map((c) => c.method)).not.toContain("waitForTerminal");
  });

  it("maps a name clash to 409 DurableExecutionAlreadyStartedException", async () => {
    const { DurableError } = await import("@dormouse/protocol");
    const { app } = setup({
      startExecution: async () => {
        throw new DurableError(
          "DurableExecutionAlreadyStartedException",
          "Execution order-42 already exists",
        );
      },
    });
    const res = await app.inject({
      method: "POST",
      url: INVOKE,
      headers: { "X-Amz-Durable-Execution-Name": "order-42" },
    });
    expect(awsError(res)).toEqual({
      status: 409,
      name: "DurableExecutionAlreadyStartedException",
      type: "User",
      message: "Execution order-42 already exists",
    });
  });
});

describe("plain functions", () => {
  const PLAIN = "/2015-03-31/functions/plain/invocations";

  it("RequestResponse returns the function's payload", async () => {
    const { app, service } = setup();
    const res = await app.inject({
      method: "POST",
      url: PLAIN,
      payload: "[1]",
      headers: { "X-Amz-Tenant-Id": "t" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('{"plain":true}');
    expect(res.headers["x-amz-executed-version"]).toBe("$LATEST");
    expect(res.headers).not.toHaveProperty("x-amz-durable-execution-arn");
    expect(onlyCall(service, "invokePlain")).toEqual([
      expect.objectContaining({ functionName: "plain" }),
      "[1]",
      "t",
    ]);
  });

  it("a function error is 200 + Unhandled + Lambda's error body", async () => {
    const { app } = setup({
      invokePlain: async () => ({
        ok: false,
        error: { ErrorType: "TypeError", ErrorMessage: "x is undefined" },
      }),
    });
    const res = await app.inject({ method: "POST", url: PLAIN });
    expect(res.headers["x-amz-function-error"]).toBe("Unhandled");
    expect(JSON.parse(res.body)).toEqual({ errorType: "TypeError", errorMessage: "x is undefined" });
  });

  it("Event answers 202 and runs in the background, even if it fails", async () => {
    let release!: () => void;
    const ran = new Promise<void>((r) => (release = r));
    const { app } = setup({
      invokePlain: async () => {
        release();
        throw new Error("worker crashed");
      },
    });
    const res = await app.inject({
      method: "POST",
      url: PLAIN,
      headers: { "X-Amz-Invocation-Type": "Event" },
    });
    expect(res.statusCode).toBe(202);
    await ran;
  });

  it("refuses a durable execution name", async () => {
    const { app } = setup();
    const res = await app.inject({
      method: "POST",
      url: PLAIN,
      headers: { "X-Amz-Durable-Execution-Name": "n" },
    });
    expect(awsError(res)).toMatchObject({ status: 400, name: "InvalidParameterValueException" });
  });
});

describe("invoke validation and limits", () => {
  it.each([
    [
      { "X-Amz-Invocation-Type": "Sometimes" },
      "X-Amz-Invocation-Type: must be one of RequestResponse, Event, DryRun",
    ],
    [{ "X-Amz-Log-Type": "All" }, "X-Amz-Log-Type: must be one of None, Tail"],
    [
      { "X-Amz-Durable-Execution-Name": "has space" },
      /^X-Amz-Durable-Execution-Name: must be 1-64 characters/,
    ],
    [{ "X-Amz-Durable-Execution-Name": "n".repeat(65) }, /^X-Amz-Durable-Execution-Name: /],
    [{ "X-Amz-Tenant-Id": "bad#tenant" }, /^X-Amz-Tenant-Id: must be 1-256 characters/],
    [{ "X-Amz-Client-Context": "not base64!" }, "X-Amz-Client-Context: must be base64-encoded JSON"],
  ])("%j → %s", async (headers, message) => {
    const { app, service } = setup();
    const res = await app.inject({ method: "POST", url: INVOKE, headers });
    const err = awsError(res);
    expect(err).toMatchObject({ status: 400, name: "InvalidParameterValueException" });
    if (typeof message === "string") expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
    expect(service.calls).toEqual([]);
  });

  it("refuses a payload that is not JSON with InvalidRequestContentException", async () => {
    const { app, service } = setup();
    const res = await app.inject({ method: "POST", url: INVOKE, payload: "hello" });
    expect(awsError(res)).toEqual({
      status: 400,
      name: "InvalidRequestContentException",
      type: "User",
      message: "Could not parse request body into json",
    });
    expect(service.calls).toEqual([]);
  });

  it("applies 1 MiB to Event and 6 MiB to RequestResponse (413 RequestTooLargeException)", async () => {
    const { app, service } = setup();
    const payload = JSON.stringify("x".repeat(2 * 1024 * 1024));
    const event = await app.inject({
      method: "POST",
      url: INVOKE,
      payload,
      headers: { "X-Amz-Invocation-Type": "Event" },
    });
    expect(awsError(event)).toEqual({
      status: 413,
      name: "RequestTooLargeException",
      type: "User",
      message: `Request must be smaller than ${1024 * 1024} bytes for the InvokeFunction operation`,
    });
    expect(service.calls).toEqual([]);
    const sync = await app.inject({ method: "POST", url: INVOKE, payload });
    expect(sync.statusCode).toBe(200);
    const huge = await app.inject({
      method: "POST",
      url: INVOKE,
      payload: JSON.stringify("x".repeat(7 * 1024 * 1024)),
    });
    expect(awsError(huge)).toMatchObject({ status: 413, name: "RequestTooLargeException" });
  });

  it("accepts any content type, including a malformed one", async () => {
    const { app } = setup();
    for (const ct of [
      "application/json",
      "text/plain; charset=latin1",
      "",
      "a;;b==",
      "multipart/form-data",
    ]) {
      const res = await app.inject({
        method: "POST",
        url: INVOKE,
        payload: "{}",
        headers: { "content-type": ct },
      });
      expect(res.statusCode).toBe(200);
    }
  });

  it("resolves function ARNs and a Qualifier parameter through the service", async () => {
    const { app, service } = setup();
    const fn = encodeURIComponent("arn:aws:lambda:us-east-1:000000000000:function:orders");
    await app.inject({ method: "POST", url: `/2015-03-31/functions/${fn}/invocations?Qualifier=7` });
    expect(onlyCall(service, "resolveFunction")).toEqual([
      "arn:aws:lambda:us-east-1:000000000000:function:orders",
      "7",
    ]);
  });
});
