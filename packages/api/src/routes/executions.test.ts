// Routing and shaping of the control-plane and data-plane routes against a recording service.
import type { DurableService } from "@dormouse/scheduler";
import { afterEach, describe, expect, it } from "vitest";
import { createApi } from "../app.js";
import {
  ARN,
  ENCODED_ARN,
  T0,
  awsError,
  eventRecord,
  executionRecord,
  fakeService,
  onlyCall,
  stepRecord,
} from "../test-service.js";

const apps: ReturnType<typeof createApi>[] = [];
function setup(overrides: Partial<DurableService> = {}) {
  const service = fakeService(overrides);
  const app = createApi({ service });
  apps.push(app);
  return { service, app };
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

const EXEC = `/2025-12-01/durable-executions/${ENCODED_ARN}`;

describe("GetDurableExecution", () => {
  it("returns the execution in wire form, data included by default", async () => {
    const { app } = setup();
    const res = await app.inject({ method: "GET", url: EXEC });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({
      DurableExecutionArn: ARN,
      DurableExecutionName: "order-42",
      FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:orders:$LATEST",
      Status: "RUNNING",
      StartTimestamp: 1795321200,
      InputPayload: '{"n":42}',
      Version: "$LATEST",
      ExecutionDataIncluded: true,
      DurableConfig: { ExecutionTimeout: 3600, RetentionPeriodInDays: 14 },
    });
  });

  it("honours IncludeExecutionData=false", async () => {
    const { app } = setup();
    const body = JSON.parse(
      (await app.inject({ method: "GET", url: `${EXEC}?IncludeExecutionData=false` })).body,
    );
    expect(body.ExecutionDataIncluded).toBe(false);
    expect(body).not.toHaveProperty("InputPayload");
  });

  it("maps the service's not-found to 404 ResourceNotFoundException with a Message field", async () => {
    const { app } = setup();
    const other = encodeURIComponent(ARN.replace("order-42", "other"));
    const res = await app.inject({ method: "GET", url: `/2025-12-01/durable-executions/${other}` });
    expect(res.statusCode).toBe(404);
    expect(res.headers["x-amzn-errortype"]).toBe("ResourceNotFoundException");
    expect(JSON.parse(res.body)).toEqual({
      Type: "User",
      Message: `Execution not found: ${ARN.replace("order-42", "other")}`,
    });
  });
});

describe("GetDurableExecutionHistory", () => {
  it("passes paging through and returns Events + NextMarker", async () => {
    const { app, service } = setup({
      getHistory: async () => ({ events: [eventRecord()], nextMarker: "m2" }),
    });
    const res = await app.inject({
      method: "GET",
      url: `${EXEC}/history?MaxItems=10&Marker=m%2B1&ReverseOrder=true`,
    });
    expect(onlyCall(service, "getHistory")).toEqual([ARN, { marker: "m+1", maxItems: 10, reverse: true }]);
    const body = JSON.parse(res.body);
    expect(body.NextMarker).toBe("m2");
    expect(body.Events[0]).toMatchObject({ EventType: "StepSucceeded", EventTimestamp: 1795321200.051 });
    expect(body.Events[0].StepSucceededDetails.Result.Payload).toBe('{"ok":true}');
  });

  it("uses 100 for MaxItems 0 or absent, forward order, and no NextMarker when done", async () => {
    const { app, service } = setup();
    await app.inject({ method: "GET", url: `${EXEC}/history` });
    await app.inject({ method: "GET", url: `${EXEC}/history?MaxItems=0&Marker=` });
    expect(service.calls.map((c) => c.args[1])).toEqual([
      { maxItems: 100, reverse: false },
      { maxItems: 100, reverse: false },
    ]);
    const body = JSON.parse((await app.inject({ method: "GET", url: `${EXEC}/history` })).body);
    expect(body).not.toHaveProperty("NextMarker");
  });

  it("drops payloads with IncludeExecutionData=false", async () => {
    const { app } = setup();
    const body = JSON.parse(
      (await app.inject({ method: "GET", url: `${EXEC}/history?IncludeExecutionData=false` })).body,
    );
    expect(body.Events[0].StepSucceededDetails).toEqual({
      Result: { Truncated: false },
      RetryDetails: { CurrentAttempt: 1 },
    });
  });
});

describe("StopDurableExecution", () => {
  it("passes the ErrorObject body and answers StopTimestamp in seconds", async () => {
    const { app, service } = setup();
    const res = await app.inject({
      method: "POST",
      url: `${EXEC}/stop`,
      payload: { ErrorType: "Manual", ErrorMessage: "enough", Extra: 1 },
    });
    expect(JSON.parse(res.body)).toEqual({ StopTimestamp: 1795321201.5 });
    expect(onlyCall(service, "stopExecution")).toEqual([
      ARN,
      { ErrorType: "Manual", ErrorMessage: "enough" },
    ]);
  });

  it.each(["", "{}", '{"ErrorType":null}'])("treats body %j as no error", async (payload) => {
    const { app, service } = setup();
    const res = await app.inject({ method: "POST", url: `${EXEC}/stop`, payload });
    expect(res.statusCode).toBe(200);
    expect(onlyCall(service, "stopExecution")).toEqual([ARN, undefined]);
  });
});

describe("ListDurableExecutionsByFunction", () => {
  it("maps every query parameter to the service query", async () => {
    const { app, service } = setup({
      listExecutions: async () => ({ items: [executionRecord()], next: "c2" }),
    });
    const res = await app.inject({
      method: "GET",
      url:
        "/2025-12-01/functions/orders/durable-executions?Qualifier=%24LATEST&DurableExecutionName=order-42" +
        "&Statuses=RUNNING&Statuses=FAILED&Statuses=RUNNING&StartedAfter=2025-01-01T00%3A00%3A00Z" +
        "&StartedBefore=2025-01-02T00%3A00%3A00.500Z&ReverseOrder=true&Marker=c1&MaxItems=5",
    });
    expect(onlyCall(service, "resolveFunction")).toEqual(["orders", "$LATEST"]);
    expect(onlyCall(service, "listExecutions")).toEqual([
      {
        functionName: "orders",
        version: "$LATEST",
        name: "order-42",
        statuses: ["RUNNING", "FAILED"],
        startedAfter: Date.UTC(2025, 0, 1),
        startedBefore: Date.UTC(2025, 0, 2) + 500,
        oldestFirst: true,
        cursor: "c1",
        limit: 5,
      },
    ]);
    expect(JSON.parse(res.body)).toEqual({
      DurableExecutions: [
        {
          DurableExecutionArn: ARN,
          DurableExecutionName: "order-42",
          FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:orders:$LATEST",
          Status: "RUNNING",
          StartTimestamp: 1795321200,
        },
      ],
      NextMarker: "c2",
    });
  });

  it("lists all versions when no qualifier is given, newest first by default", async () => {
    const { app, service } = setup();
    await app.inject({ method: "GET", url: "/2025-12-01/functions/orders/durable-executions" });
    expect(onlyCall(service, "listExecutions")).toEqual([{ functionName: "orders", limit: 100 }]);
  });

  it("takes the version from a qualified function name", async () => {
    const { app, service } = setup();
    await app.inject({ method: "GET", url: "/2025-12-01/functions/orders%3A3/durable-executions" });
    expect(onlyCall(service, "listExecutions")[0]).toMatchObject({ version: "3" });
  });

  it("answers 404 for an unknown function", async () => {
    const { app } = setup();
    const res = await app.inject({ method: "GET", url: "/2025-12-01/functions/ghost/durable-executions" });
    expect(awsError(res)).toMatchObject({ status: 404, name: "ResourceNotFoundException" });
  });
});

describe("data plane", () => {
  it("GetDurableExecutionState passes token, marker and page size, returns seconds", async () => {
    const { app, service } = setup({
      getState: async () => ({ operations: [stepRecord()], nextMarker: "p2" }),
    });
    const res = await app.inject({
      method: "GET",
      url: `${EXEC}/state?CheckpointToken=VDFh%2B%2F%3D%3D&Marker=p1&MaxItems=1000`,
    });
    expect(onlyCall(service, "getState")).toEqual([ARN, "VDFh+/==", "p1", 1000]);
    expect(JSON.parse(res.body)).toEqual({
      Operations: [
        {
          Id: "c4ca4238a0b92382",
          Name: "validate",
          Type: "STEP",
          SubType: "Step",
          Status: "SUCCEEDED",
          StartTimestamp: 1795321200.051,
          EndTimestamp: 1795321200.051,
          StepDetails: { Attempt: 1, Result: '{"ok":true}' },
        },
      ],
      NextMarker: "p2",
    });
  });

  it("CheckpointDurableExecution returns the next token and the touched operations", async () => {
    const { app } = setup();
    const res = await app.inject({
      method: "POST",
      url: `${EXEC}/checkpoint`,
      payload: { CheckpointToken: "VDFh" },
    });
    const body = JSON.parse(res.body);
    expect(body.CheckpointToken).toBe("VDFi");
    expect(body.NewExecutionState.Operations[0]).not.toHaveProperty("seq");
    expect(body.NewExecutionState).not.toHaveProperty("NextMarker");
  });

  it("omits CheckpointToken when the checkpoint ended the execution", async () => {
    const { app } = setup({ checkpoint: async () => ({ operations: [] }) });
    const res = await app.inject({
      method: "POST",
      url: `${EXEC}/checkpoint`,
      payload: { CheckpointToken: "VDFh" },
    });
    expect(JSON.parse(res.body)).toEqual({ NewExecutionState: { Operations: [] } });
  });

  it("keeps the Invalid Checkpoint Token message from the service", async () => {
    const { invalidToken } = await import("@dormouse/protocol");
    const { app } = setup({
      checkpoint: async () => {
        throw invalidToken("token is stale");
      },
    });
    const res = await app.inject({
      method: "POST",
      url: `${EXEC}/checkpoint`,
      payload: { CheckpointToken: "VDFh" },
    });
    expect(awsError(res)).toEqual({
      status: 400,
      name: "InvalidParameterValueException",
      type: "User",
      message: "Invalid Checkpoint Token: token is stale",
    });
  });
});

describe("callbacks", () => {
  const base = "/2025-12-01/durable-execution-callbacks/Q2Fs%2B%3D";

  it("succeed passes the raw body as text, whatever its content type", async () => {
    const { app, service } = setup();
    await app.inject({
      method: "POST",
      url: `${base}/succeed`,
      payload: '{"approved":true}',
      headers: { "content-type": "application/octet-stream" },
    });
    await app.inject({ method: "POST", url: `${base}/succeed`, payload: "not json é" });
    expect(service.calls.map((c) => c.args)).toEqual([
      ["Q2Fs+=", '{"approved":true}'],
      ["Q2Fs+=", "not json é"],
    ]);
  });

  it("succeed with an empty body means no result", async () => {
    const { app, service } = setup();
    await app.inject({ method: "POST", url: `${base}/succeed` });
    expect(onlyCall(service, "callbackSuccess")).toEqual(["Q2Fs+=", undefined]);
  });

  it("fail passes the ErrorObject, {} when empty", async () => {
    const { app, service } = setup();
    await app.inject({
      method: "POST",
      url: `${base}/fail`,
      payload: { ErrorMessage: "no", StackTrace: ["a"] },
    });
    await app.inject({ method: "POST", url: `${base}/fail` });
    expect(service.calls.map((c) => c.args)).toEqual([
      ["Q2Fs+=", { ErrorMessage: "no", StackTrace: ["a"] }],
      ["Q2Fs+=", {}],
    ]);
  });

  it("maps CallbackTimeoutException (400, Message field)", async () => {
    const { DurableError } = await import("@dormouse/protocol");
    const { app } = setup({
      callbackHeartbeat: async () => {
        throw new DurableError("CallbackTimeoutException", "Callback timed out");
      },
    });
    const res = await app.inject({ method: "POST", url: `${base}/heartbeat` });
    expect(res.statusCode).toBe(400);
    expect(res.headers["x-amzn-errortype"]).toBe("CallbackTimeoutException");
    expect(JSON.parse(res.body)).toEqual({ Type: "User", Message: "Callback timed out" });
  });
});

it("StartTimestamp fractions survive JSON (ms/1000)", async () => {
  const { app } = setup({ getExecution: async () => executionRecord({ startedAt: T0 + 7 }) });
  const res = await app.inject({ method: "GET", url: EXEC });
  expect(res.body).toContain('"StartTimestamp":1795321200.007');
});
