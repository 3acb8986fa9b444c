// Every input is validated, and every violation is a 400 InvalidParameterValueException naming the
// field; nothing invalid reaches the service.
import { DEFAULT_LIMITS, INVALID_CHECKPOINT_TOKEN } from "@dormouse/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { createApi } from "./app.js";
import { ARN, ENCODED_ARN, awsError, fakeService, onlyCall } from "./test-service.js";

const apps: ReturnType<typeof createApi>[] = [];
function setup(limits = DEFAULT_LIMITS) {
  const service = fakeService();
  const app = createApi({ service, limits });
  apps.push(app);
  return { service, app };
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

const CHECKPOINT = `/2025-12-01/durable-executions/${ENCODED_ARN}/checkpoint`;
const STEP = { Id: "c4ca4238a0b92382", Type: "STEP", Action: "START", SubType: "Step" };

async function checkpoint(body: unknown) {
  const { app, service } = setup();
  const payload = typeof body === "string" ? body : JSON.stringify(body);
  const res = await app.inject({
    method: "POST",
    url: CHECKPOINT,
    payload,
    headers: { "content-type": "application/json" },
  });
  return { res, service };
}

async function expectInvalid(res: Awaited<ReturnType<typeof checkpoint>>["res"], message: string | RegExp) {
  const err = awsError(res);
  expect(err).toMatchObject({ status: 400, name: "InvalidParameterValueException", type: "User" });
  if (typeof message === "string") expect(err.message).toBe(message);
  else expect(err.message).toMatch(message);
}

describe("checkpoint body", () => {
  it.each([
    [{}, "CheckpointToken: is required"],
    [{ CheckpointToken: 5 }, "CheckpointToken: must be a string"],
    [
      { CheckpointToken: "not base64!" },
      `${INVALID_CHECKPOINT_TOKEN}: CheckpointToken must be a base64 string of at most 2048 characters`,
    ],
    [
      { CheckpointToken: "A".repeat(2049) },
      `${INVALID_CHECKPOINT_TOKEN}: CheckpointToken must be a base64 string of at most 2048 characters`,
    ],
    [
      { CheckpointToken: "" },
      `${INVALID_CHECKPOINT_TOKEN}: CheckpointToken must be a base64 string of at most 2048 characters`,
    ],
    [{ CheckpointToken: "VDFh", Updates: {} }, "Updates: must be an array"],
    [
      { CheckpointToken: "VDFh", Updates: [STEP, STEP, { ...STEP, Action: "FINISH" }] },
      "Updates[2].Action: must be one of START, SUCCEED, FAIL, RETRY, CANCEL",
    ],
    [
      { CheckpointToken: "VDFh", Updates: [{ ...STEP, Type: "TASK" }] },
      "Updates[0].Type: must be one of EXECUTION, CONTEXT, STEP, WAIT, CALLBACK, CHAINED_INVOKE",
    ],
    [{ CheckpointToken: "VDFh", Updates: [{ Type: "STEP", Action: "START" }] }, "Updates[0].Id: is required"],
    [{ CheckpointToken: "VDFh", Updates: [{ ...STEP, Id: "" }] }, "Updates[0].Id: must not be empty"],
    [
      { CheckpointToken: "VDFh", Updates: [{ ...STEP, Id: "x".repeat(65) }] },
      "Updates[0].Id: must be at most 64 characters",
    ],
    [
      { CheckpointToken: "VDFh", Updates: [{ ...STEP, Name: "n".repeat(257) }] },
      "Updates[0].Name: must be at most 256 characters",
    ],
    [
      { CheckpointToken: "VDFh", Updates: [{ ...STEP, SubType: "s".repeat(33) }] },
      "Updates[0].SubType: must be at most 32 characters",
    ],
    [
      { CheckpointToken: "VDFh", Updates: [{ ...STEP, Payload: 42 }] },
      "Updates[0].Payload: must be a string",
    ],
    [
      { CheckpointToken: "VDFh", Updates: [{ ...STEP, Error: { StackTrace: "x" } }] },
      "Updates[0].Error.StackTrace: must be an array",
    ],
    [
      { CheckpointToken: "VDFh", Updates: [{ ...STEP, Error: { StackTrace: ["a", 1] } }] },
      "Updates[0].Error.StackTrace[1]: must be a string",
    ],
    [
      { CheckpointToken: "VDFh", Updates: [{ ...STEP, Type: "WAIT", WaitOptions: { WaitSeconds: 1.5 } }] },
      "Updates[0].WaitOptions.WaitSeconds: must be an integer",
    ],
    [
      { CheckpointToken: "VDFh", Updates: [{ ...STEP, StepOptions: { NextAttemptDelaySeconds: -1 } }] },
      "Updates[0].StepOptions.NextAttemptDelaySeconds: must be at least 0",
    ],
    [
      { CheckpointToken: "VDFh", Updates: [{ ...STEP, CallbackOptions: { TimeoutSeconds: "5" } }] },
      "Updates[0].CallbackOptions.TimeoutSeconds: must be a number",
    ],
    [
      { CheckpointToken: "VDFh", Updates: [{ ...STEP, ContextOptions: { ReplayChildren: "yes" } }] },
      "Updates[0].ContextOptions.ReplayChildren: must be a boolean",
    ],
    [
      { CheckpointToken: "VDFh", Updates: [{ ...STEP, ChainedInvokeOptions: {} }] },
      "Updates[0].ChainedInvokeOptions.FunctionName: is required",
    ],
    [
      {
        CheckpointToken: "VDFh",
        Updates: [{ ...STEP, ChainedInvokeOptions: { FunctionName: "f", TenantId: "" } }],
      },
      /^Updates\[0\]\.ChainedInvokeOptions\.TenantId: must be 1-256 characters/,
    ],
    [{ CheckpointToken: "VDFh", ClientToken: "" }, "ClientToken: must be 1-64 printable ASCII characters"],
    [
      { CheckpointToken: "VDFh", ClientToken: "has space" },
      "ClientToken: must be 1-64 printable ASCII characters",
    ],
    [{ CheckpointToken: "VDFh", Updates: ["x"] }, "Updates[0]: must be an object"],
    [[], "Request body: must be an object"],
    ["42", "Request body: must be an object"],
    ["null", "Request body: must be an object"],
  ])("%j → %s", async (body, message) => {
    const { res, service } = await checkpoint(body);
    await expectInvalid(res, message);
    expect(service.calls).toEqual([]);
  });

  it("reports several problems at once, capped", async () => {
    const updates = Array.from({ length: 8 }, () => ({ Id: 1, Type: "X", Action: "Y" }));
    const { res } = await checkpoint({ CheckpointToken: "VDFh", Updates: updates });
    const message = awsError(res).message;
    expect(message.split("; ")).toHaveLength(5);
    expect(message).toMatch(/\(and 19 more\)$/);
  });

  it.each([
    ["", "Request body is empty; expected a JSON object"],
    ["   ", "Request body is empty; expected a JSON object"],
    ['{"CheckpointToken":', /^Request body is not valid JSON: /],
    ["{'a':1}", /^Request body is not valid JSON: /],
    ["\u0000\u00ff", /^Request body is not valid JSON: /],
  ])("body %j → %s", async (body, message) => {
    const { res } = await checkpoint(body);
    await expectInvalid(res, message);
  });

  it("passes the validated updates, ignoring unknown members and treating null as absent", async () => {
    const body = {
      CheckpointToken: "VDFh",
      ClientToken: "6d1c4f0e-0000-4000-8000-000000000000",
      Updates: [
        { ...STEP, Future: { x: 1 }, ParentId: null, Name: "validate" },
        {
          Id: "c81e728d9d4c2f63",
          Type: "WAIT",
          Action: "START",
          WaitOptions: { WaitSeconds: 5, Unknown: true },
        },
        {
          Id: "x",
          Type: "CHAINED_INVOKE",
          Action: "START",
          Payload: "",
          ChainedInvokeOptions: { FunctionName: "child:1", TenantId: "t-1", XAmznTraceId: "Root=1" },
        },
      ],
      Extra: "ignored",
    };
    const raw = JSON.stringify(body);
    const { res, service } = await checkpoint(raw);
    expect(res.statusCode).toBe(200);
    const [arn, call] = onlyCall(service, "checkpoint") as [string, Record<string, unknown>];
    expect(arn).toBe(ARN);
    expect(call).toEqual({
      token: "VDFh",
      clientToken: "6d1c4f0e-0000-4000-8000-000000000000",
      bodyHash: (await import("node:crypto")).createHash("sha256").update(raw).digest("hex"),
      updates: [
        { ...STEP, Name: "validate" },
        { Id: "c81e728d9d4c2f63", Type: "WAIT", Action: "START", WaitOptions: { WaitSeconds: 5 } },
        {
          Id: "x",
          Type: "CHAINED_INVOKE",
          Action: "START",
          Payload: "",
          ChainedInvokeOptions: { FunctionName: "child:1", TenantId: "t-1", XAmznTraceId: "Root=1" },
        },
      ],
    });
    expect(Object.keys((call.updates as object[])[0]!)).not.toContain("ParentId");
  });

  it("treats absent Updates as an empty poll", async () => {
    const { res, service } = await checkpoint({ CheckpointToken: "VDFh" });
    expect(res.statusCode).toBe(200);
    expect((onlyCall(service, "checkpoint")[1] as { updates: unknown[] }).updates).toEqual([]);
  });

  it("accepts any content type, or none", async () => {
    const { app, service } = setup();
    for (const headers of [{}, { "content-type": "text/plain" }, { "content-type": "garbage;;==" }]) {
      const res = await app.inject({
        method: "POST",
        url: CHECKPOINT,
        payload: '{"CheckpointToken":"VDFh"}',
        headers,
      });
      expect(res.statusCode).toBe(200);
    }
    expect(service.calls).toHaveLength(3);
  });

  it("refuses bodies over the checkpoint limit with 413 RequestTooLargeException", async () => {
    const { app, service } = setup({ ...DEFAULT_LIMITS, checkpointBodyBytes: 1000 });
    const res = await app.inject({
      method: "POST",
      url: CHECKPOINT,
      payload: JSON.stringify({ CheckpointToken: "VDFh", Updates: [{ ...STEP, Payload: "x".repeat(2000) }] }),
    });
    expect(awsError(res)).toEqual({
      status: 413,
      name: "RequestTooLargeException",
      type: "User",
      message: "Request must be smaller than 1000 bytes",
    });
    expect(service.calls).toEqual([]);
  });

  it("accepts a 6 MiB EXECUTION payload under the default 7 MiB limit", async () => {
    const { res } = await checkpoint({
      CheckpointToken: "VDFh",
      Updates: [{ Id: "e", Type: "EXECUTION", Action: "SUCCEED", Payload: "x".repeat(6 * 1024 * 1024) }],
    });
    expect(res.statusCode).toBe(200);
  });
});

describe("query parameters", () => {
  const history = `/2025-12-01/durable-executions/${ENCODED_ARN}/history`;
  const list = "/2025-12-01/functions/orders/durable-executions";
  const state = `/2025-12-01/durable-executions/${ENCODED_ARN}/state`;

  it.each([
    [`${history}?MaxItems=1001`, "MaxItems: must be an integer from 0 to 1000"],
    [`${history}?MaxItems=-1`, "MaxItems: must be an integer from 0 to 1000"],
    [`${history}?MaxItems=1.5`, "MaxItems: must be an integer from 0 to 1000"],
    [`${history}?MaxItems=`, "MaxItems: must be an integer from 0 to 1000"],
    [`${history}?MaxItems=ten`, "MaxItems: must be an integer from 0 to 1000"],
    [`${history}?MaxItems=1&MaxItems=2`, "MaxItems: must be a single value, not a list"],
    [`${history}?ReverseOrder=yes`, "ReverseOrder: must be true or false"],
    [`${history}?IncludeExecutionData=1`, "IncludeExecutionData: must be true or false"],
    [
      `/2025-12-01/durable-executions/${ENCODED_ARN}?IncludeExecutionData=TRUE`,
      "IncludeExecutionData: must be true or false",
    ],
    [state, "CheckpointToken: is required"],
    [
      `${state}?CheckpointToken=%24%24`,
      `${INVALID_CHECKPOINT_TOKEN}: CheckpointToken must be a base64 string of at most 2048 characters`,
    ],
    [`${list}?Statuses=DONE`, "Statuses[0]: must be one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED"],
    [`${list}?Statuses=RUNNING&Statuses=nope`, /^Statuses\[1\]: must be one of RUNNING/],
    [
      `${list}?StartedAfter=yesterday`,
      "StartedAfter: must be an ISO-8601 date-time such as 2025-01-01T00:00:00Z",
    ],
    [`${list}?StartedBefore=2025-01-01`, /^StartedBefore: must be an ISO-8601 date-time/],
    [`${list}?DurableExecutionName=bad%20name`, /^DurableExecutionName: must be 1-64 characters/],
    [`${list}?DurableExecutionName=${"n".repeat(65)}`, /^DurableExecutionName: must be 1-64 characters/],
    [`${list}?Qualifier=a%2Fb`, "Qualifier: must be a version or alias name"],
    [`${list}?MaxItems=5000`, "MaxItems: must be an integer from 0 to 1000"],
  ])("%s → %s", async (url, message) => {
    const { app, service } = setup();
    await expectInvalid(await app.inject({ method: "GET", url }), message);
    expect(service.calls).toEqual([]);
  });

  it("ignores unknown query parameters", async () => {
    const { app } = setup();
    const res = await app.inject({ method: "GET", url: `${history}?Whatever=1&X-Amz-Date=now` });
    expect(res.statusCode).toBe(200);
  });
});

describe("path parameters", () => {
  it.each([
    [
      "GET",
      "/2025-12-01/durable-executions/not-an-arn",
      /^DurableExecutionArn: must be a durable execution ARN/,
    ],
    [
      "GET",
      `/2025-12-01/durable-executions/${encodeURIComponent("arn:aws:lambda:us-east-1:000000000000:function:orders")}`,
      /^DurableExecutionArn: /,
    ],
    [
      "GET",
      `/2025-12-01/durable-executions/${"a".repeat(1100)}`,
      "DurableExecutionArn: must be at most 1024 characters",
    ],
    [
      "POST",
      "/2025-12-01/durable-execution-callbacks/not%20base64/succeed",
      "CallbackId: must be a base64 string",
    ],
    ["POST", "/2025-12-01/durable-execution-callbacks/a%3D%3Db/fail", "CallbackId: must be a base64 string"],
    [
      "POST",
      `/2025-12-01/durable-execution-callbacks/${"A".repeat(1025)}/heartbeat`,
      "CallbackId: must be at most 1024 characters",
    ],
    ["GET", "/2025-12-01/functions/bad%20name/durable-executions", /^FunctionName: must be a function name/],
    ["GET", `/2015-03-31/functions/${"f".repeat(171)}`, "FunctionName: must be at most 170 characters"],
    ["POST", "/2015-03-31/functions/a%2Fb/invocations", /^FunctionName: /],
  ] as const)("%s %s → %s", async (method, url, message) => {
    const { app, service } = setup();
    await expectInvalid(await app.inject({ method, url }), message);
    expect(service.calls).toEqual([]);
  });

  it("refuses an absurdly long path parameter with 400, not 414", async () => {
    const { app } = setup();
    const res = await app.inject({
      method: "GET",
      url: `/2025-12-01/durable-executions/${"a".repeat(5000)}`,
    });
    await expectInvalid(res, "A path parameter is too long");
  });
});

describe("ErrorObject bodies (stop, callback failure)", () => {
  const stop = `/2025-12-01/durable-executions/${ENCODED_ARN}/stop`;
  const fail = "/2025-12-01/durable-execution-callbacks/Q2Fs/fail";

  it.each([
    [stop, '{"ErrorType":1}', "Error.ErrorType: must be a string"],
    [fail, '{"StackTrace":[null]}', "Error.StackTrace[0]: must be a string"],
    [fail, "[1]", "Error: must be an object"],
    [stop, "nope", /^Request body is not valid JSON/],
  ])("%s %s → %s", async (url, payload, message) => {
    const { app, service } = setup();
    await expectInvalid(await app.inject({ method: "POST", url, payload }), message);
    expect(service.calls).toEqual([]);
  });

  it("enforces the ErrorObject size limit", async () => {
    const { app } = setup({ ...DEFAULT_LIMITS, errorObjectBytes: 100 });
    const res = await app.inject({
      method: "POST",
      url: fail,
      payload: JSON.stringify({ ErrorMessage: "m".repeat(200) }),
    });
    await expectInvalid(res, "Error: must be at most 100 bytes");
  });

  it("enforces the callback result size limit with 400 and oversize bodies with 413", async () => {
    const { app } = setup({ ...DEFAULT_LIMITS, callbackResultBytes: 100, checkpointBodyBytes: 1000 });
    const url = "/2025-12-01/durable-execution-callbacks/Q2Fs/succeed";
    await expectInvalid(
      await app.inject({ method: "POST", url, payload: "x".repeat(200) }),
      "Result: must be at most 100 bytes",
    );
    const huge = await app.inject({ method: "POST", url, payload: "x".repeat(2000) });
    expect(awsError(huge)).toMatchObject({ status: 413, name: "RequestTooLargeException" });
  });
});
