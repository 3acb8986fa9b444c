// Percent-encoded ARNs and callback ids must reach the routes intact (spec §1.2, §1.6, Appendix C.2).
// These tests pin what find-my-way does with `%2F`: it matches on the raw path and decodes each
// parameter afterwards, which is exactly "split first, then decode".
import { afterEach, describe, expect, it } from "vitest";
import { createApi } from "./app.js";
import { ARN, CALLBACK_ID, ENCODED_ARN, awsError, fakeService, onlyCall } from "./test-service.js";

const apps: ReturnType<typeof createApi>[] = [];
function setup() {
  const service = fakeService();
  const app = createApi({ service });
  apps.push(app);
  return { service, app };
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("percent-encoded path labels", () => {
  it("encodes the ARN the way AWS clients do", () => {
    expect(ENCODED_ARN).toContain("%2F");
    expect(ENCODED_ARN).toContain("%3A");
    expect(ENCODED_ARN).toContain("%24");
  });

  it.each([
    ["GET", ""],
    ["GET", "/history"],
    ["GET", "/state?CheckpointToken=VDFh"],
    ["POST", "/stop"],
  ] as const)("%s …/{arn}%s receives the whole ARN", async (method, suffix) => {
    const { app, service } = setup();
    const res = await app.inject({ method, url: `/2025-12-01/durable-executions/${ENCODED_ARN}${suffix}` });
    expect(res.statusCode).toBe(200);
    expect(service.calls[0]?.args[0]).toBe(ARN);
  });

  it("routes the checkpoint with an ARN that has slashes", async () => {
    const { app, service } = setup();
    const res = await app.inject({
      method: "POST",
      url: `/2025-12-01/durable-executions/${ENCODED_ARN}/checkpoint`,
      payload: { CheckpointToken: "VDFh" },
    });
    expect(res.statusCode).toBe(200);
    expect(onlyCall(service, "checkpoint")[0]).toBe(ARN);
  });

  it("accepts lower-case escapes (%2f, %3a)", async () => {
    const { app, service } = setup();
    const url = `/2025-12-01/durable-executions/${ENCODED_ARN.replace(/%2F/g, "%2f").replace(/%3A/g, "%3a")}`;
    expect((await app.inject({ method: "GET", url })).statusCode).toBe(200);
    expect(onlyCall(service, "getExecution")[0]).toBe(ARN);
  });

  it("accepts ARNs near the 1024-character limit (the router's default would refuse > 100)", async () => {
    const { app, service } = setup();
    const longArn = ARN.replace("order-42", "n".repeat(64)).replace(/[^/]+$/, "i".repeat(800));
    const res = await app.inject({
      method: "GET",
      url: `/2025-12-01/durable-executions/${encodeURIComponent(longArn)}`,
    });
    expect(awsError(res).name).toBe("ResourceNotFoundException");
    expect(onlyCall(service, "getExecution")[0]).toBe(longArn);
  });

  it("decodes exactly once (%252F stays a literal %2F and then fails ARN validation)", async () => {
    const { app, service } = setup();
    const res = await app.inject({
      method: "GET",
      url: `/2025-12-01/durable-executions/${ENCODED_ARN.replace("%2Fdurable", "%252Fdurable")}`,
    });
    expect(awsError(res)).toMatchObject({ status: 400, name: "InvalidParameterValueException" });
    expect(awsError(res).message).toMatch(/^DurableExecutionArn: must be a durable execution ARN/);
    expect(service.calls).toEqual([]);
  });

  it.each(["succeed", "fail", "heartbeat"])("callback %s receives +, / and = intact", async (action) => {
    const { app, service } = setup();
    const res = await app.inject({
      method: "POST",
      url: `/2025-12-01/durable-execution-callbacks/${encodeURIComponent(CALLBACK_ID)}/${action}`,
    });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({});
    expect(service.calls[0]?.args[0]).toBe(CALLBACK_ID);
  });

  it("keeps a raw + in a path segment as +", async () => {
    const { app, service } = setup();
    await app.inject({ method: "POST", url: "/2025-12-01/durable-execution-callbacks/ab+c/heartbeat" });
    expect(onlyCall(service, "callbackHeartbeat")[0]).toBe("ab+c");
  });

  it("routes function ARNs given as the function name", async () => {
    const { app, service } = setup();
    const fn = encodeURIComponent("arn:aws:lambda:us-east-1:000000000000:function:orders:$LATEST");
    const res = await app.inject({ method: "GET", url: `/2025-12-01/functions/${fn}/durable-executions` });
    expect(res.statusCode).toBe(200);
    expect(onlyCall(service, "resolveFunction")[0]).toBe(
      "arn:aws:lambda:us-east-1:000000000000:function:orders:$LATEST",
    );
  });
});

describe("malformed percent-encoding", () => {
  it.each([
    "/2025-12-01/durable-executions/arn%ZZ",
    "/2025-12-01/durable-executions/arn%E0%A4%A/history",
    "/2025-12-01/durable-execution-callbacks/%C3%28/succeed",
    "/2025-12-01/durable-executions/%",
  ])("%s → 400 InvalidParameterValueException", async (url) => {
    const { app, service } = setup();
    const res = await app.inject({ method: url.endsWith("succeed") ? "POST" : "GET", url });
    expect(awsError(res)).toMatchObject({
      status: 400,
      name: "InvalidParameterValueException",
      type: "User",
    });
    expect(res.headers["x-amzn-requestid"]).toMatch(UUID);
    expect(service.calls).toEqual([]);
  });

  it("rejects malformed escapes in the query string, naming the parameter", async () => {
    const { app } = setup();
    const res = await app.inject({
      method: "GET",
      url: `/2025-12-01/durable-executions/${ENCODED_ARN}/history?Marker=%ZZ`,
    });
    expect(awsError(res)).toMatchObject({ status: 400, name: "InvalidParameterValueException" });
    expect(awsError(res).message).toContain('"Marker"');
  });

  it("keeps + literal and decodes %2B, %2F, %3D in query values", async () => {
    const { app, service } = setup();
    await app.inject({
      method: "GET",
      url: `/2025-12-01/durable-executions/${ENCODED_ARN}/state?CheckpointToken=ab+c%2Bd%2F%3D&Marker=m%2B1`,
    });
    expect(onlyCall(service, "getState")).toEqual([ARN, "ab+c+d/=", "m+1", 100]);
  });
});

describe("unknown routes and methods", () => {
  it.each([
    ["GET", "/"],
    ["GET", "/2025-12-01/durable-executions"],
    ["DELETE", `/2025-12-01/durable-executions/${ENCODED_ARN}`],
    ["GET", `/2025-12-01/durable-executions/${ENCODED_ARN}/checkpoint`],
    ["PUT", `/2025-12-01/durable-executions/${ENCODED_ARN}/stop`],
    ["GET", "/2025-12-01/durable-execution-callbacks/abc/succeed"],
    ["POST", "/2025-12-01/durable-execution-callbacks/abc/success"],
    ["POST", "/2015-03-31/functions/orders/invocations/extra"],
    ["PATCH", "/2015-03-31/functions/orders"],
  ] as const)("%s %s → 404 UnknownOperationException", async (method, url) => {
    const { app } = setup();
    const res = await app.inject({ method, url });
    expect(awsError(res)).toMatchObject({ status: 404, name: "UnknownOperationException", type: "User" });
    expect(awsError(res).message).toBe(`No operation matches ${method} ${url}`);
    expect(res.headers["x-amzn-requestid"]).toMatch(UUID);
  });
});

describe("request ids", () => {
  it("puts a fresh x-amzn-RequestId on successes and errors", async () => {
    const { app } = setup();
    const ok = await app.inject({ method: "GET", url: `/2025-12-01/durable-executions/${ENCODED_ARN}` });
    const bad = await app.inject({ method: "GET", url: `/2025-12-01/durable-executions/nope` });
    expect(ok.headers["x-amzn-requestid"]).toMatch(UUID);
    expect(bad.headers["x-amzn-requestid"]).toMatch(UUID);
    expect(ok.headers["x-amzn-requestid"]).not.toBe(bad.headers["x-amzn-requestid"]);
  });
});
