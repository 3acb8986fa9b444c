// Bad input at every endpoint, over raw HTTP (spec §3.1, §8.2; DESIGN invariant 6): each request
// gets the right status, an `x-amzn-errortype`, a message naming what is wrong, never a 5xx, and
// the server keeps working. Checkpoint tokens and batches are in bad-input-checkpoint.test.ts.
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "../support/harness.js";
import type { TestServer } from "../support/harness.js";
import { executionPath, expectAwsError, finished, raw, startAsync } from "../support/e2e.js";
import type { RawRequest } from "../support/e2e.js";

let t: TestServer;
/** A finished execution of `steps`, and a well-formed ARN that names no execution. */
let arn: string;
let unknownArn: string;
beforeAll(async () => {
  t = await startTestServer();
  const out = await t.client.send(new InvokeCommand({ FunctionName: "steps", Payload: "{}" }));
  arn = out.DurableExecutionArn!;
  unknownArn = arn.replace(/\/[^/]+$/, "/00000000-0000-0000-0000-000000000000");
  await finished(t.client, arn);
});
afterAll(async () => {
  await t?.close();
});

const MiB = 1024 * 1024;
const INVOKE = "/2015-03-31/functions/steps/invocations";
const LIST = "/2025-12-01/functions/steps/durable-executions";
const CALLBACK = "/2025-12-01/durable-execution-callbacks/QUJDRA%3D%3D";
const E = (suffix = "") => executionPath(arn, suffix);
const U = (suffix = "") => executionPath(unknownArn, suffix);

interface Case {
  what: string;
  method: "GET" | "POST";
  path: () => string;
  req?: RawRequest;
  status: number;
  error: string;
  /** Text the message must contain: the field it names, usually. */
  message: string;
}

const IPVE = "InvalidParameterValueException";
const cases: Case[] = [
  // Invoke
  {
    what: "Invoke: payload is not JSON",
    method: "POST",
    path: () => INVOKE,
    req: { body: "{nope" },
    status: 400,
    error: "InvalidRequestContentException",
    message: "json",
  },
  {
    what: "Invoke: unknown invocation type",
    method: "POST",
    path: () => INVOKE,
    req: { body: "{}", headers: { "X-Amz-Invocation-Type": "Later" } },
    status: 400,
    error: IPVE,
    message: "X-Amz-Invocation-Type",
  },
  {
    what: "Invoke: execution name with a space",
    method: "POST",
    path: () => INVOKE,
    req: { body: "{}", headers: { "X-Amz-Durable-Execution-Name": "a b" } },
    status: 400,
    error: IPVE,
    message: "X-Amz-Durable-Execution-Name",
  },
  {
    what: "Invoke: execution name over 64 characters",
    method: "POST",
    path: () => INVOKE,
    req: { body: "{}", headers: { "X-Amz-Durable-Execution-Name": "n".repeat(65) } },
    status: 400,
    error: IPVE,
    message: "X-Amz-Durable-Execution-Name",
  },
  {
    what: "Invoke: execution name for a plain function",
    method: "POST",
    path: () => "/2015-03-31/functions/plain/invocations",
    req: { body: "{}", headers: { "X-Amz-Durable-Execution-Name": "x" } },
    status: 400,
    error: IPVE,
    message: "DurableExecutionName",
  },
  {
    what: "Invoke: bad tenant id",
    method: "POST",
    path: () => INVOKE,
    req: { body: "{}", headers: { "X-Amz-Tenant-Id": "a#b" } },
    status: 400,
    error: IPVE,
    message: "X-Amz-Tenant-Id",
  },
  {
    what: "Invoke: bad log type",
    method: "POST",
    path: () => INVOKE,
    req: { body: "{}", headers: { "X-Amz-Log-Type": "All" } },
    status: 400,
    error: IPVE,
    message: "X-Amz-Log-Type",
  },
  {
    what: "Invoke: client context not base64",
    method: "POST",
    path: () => INVOKE,
    req: { body: "{}", headers: { "X-Amz-Client-Context": "%%%" } },
    status: 400,
    error: IPVE,
    message: "X-Amz-Client-Context",
  },
  {
    what: "Invoke: unknown function",
    method: "POST",
    path: () => "/2015-03-31/functions/nope/invocations",
    req: { body: "{}" },
    status: 404,
    error: "ResourceNotFoundException",
    message: "nope",
  },
  {
    what: "Invoke: unknown qualifier",
    method: "POST",
    path: () => `${INVOKE}?Qualifier=7`,
    req: { body: "{}" },
    status: 404,
    error: "ResourceNotFoundException",
    message: "steps:7",
  },
  {
    what: "Invoke: malformed qualifier",
    method: "POST",
    path: () => `${INVOKE}?Qualifier=a%20b`,
    req: { body: "{}" },
    status: 400,
    error: IPVE,
    message: "Qualifier",
  },
  {
    what: "Invoke: conflicting qualifiers",
    method: "POST",
    path: () => "/2015-03-31/functions/steps:%24LATEST/invocations?Qualifier=3",
    req: { body: "{}" },
    status: 400,
    error: IPVE,
    message: "Qualifier",
  },
  {
    what: "Invoke: malformed function name",
    method: "POST",
    path: () => "/2015-03-31/functions/a%20b/invocations",
    req: { body: "{}" },
    status: 400,
    error: IPVE,
    message: "FunctionName",
  },
  {
    what: "Invoke: function name over 170 characters",
    method: "POST",
    path: () => `/2015-03-31/functions/${"f".repeat(171)}/invocations`,
    req: { body: "{}" },
    status: 400,
    error: IPVE,
    message: "FunctionName",
  },
  {
    what: "Invoke: bad percent-encoding in the path",
    method: "POST",
    path: () => "/2015-03-31/functions/%ZZ/invocations",
    req: { body: "{}" },
    status: 400,
    error: IPVE,
    message: "percent-encoding",
  },
  {
    what: "Invoke: bad percent-encoding in the query",
    method: "POST",
    path: () => `${INVOKE}?Qualifier=%ZZ`,
    req: { body: "{}" },
    status: 400,
    error: IPVE,
    message: "Qualifier",
  },
  {
    what: "Invoke: RequestResponse payload over 6 MiB",
    method: "POST",
    path: () => INVOKE,
    req: { body: JSON.stringify("x".repeat(6 * MiB)) },
    status: 413,
    error: "RequestTooLargeException",
    message: "6291456",
  },
  {
    what: "Invoke: Event payload over 1 MiB",
    method: "POST",
    path: () => INVOKE,
    req: { body: JSON.stringify("x".repeat(MiB)), headers: { "X-Amz-Invocation-Type": "Event" } },
    status: 413,
    error: "RequestTooLargeException",
    message: "1048576",
  },
  // GetDurableExecution
  {
    what: "GetDurableExecution: not an ARN",
    method: "GET",
    path: () => "/2025-12-01/durable-executions/not-an-arn",
    status: 400,
    error: IPVE,
    message: "DurableExecutionArn",
  },
  {
    what: "GetDurableExecution: a path that climbs",
    method: "GET",
    path: () => "/2025-12-01/durable-executions/..%2F..%2Fetc",
    status: 400,
    error: IPVE,
    message: "DurableExecutionArn",
  },
  {
    what: "GetDurableExecution: bad percent-encoding",
    method: "GET",
    path: () => "/2025-12-01/durable-executions/%E0%A4%A",
    status: 400,
    error: IPVE,
    message: "percent-encoding",
  },
  {
    what: "GetDurableExecution: bad boolean",
    method: "GET",
    path: () => E("?IncludeExecutionData=yes"),
    status: 400,
    error: IPVE,
    message: "IncludeExecutionData",
  },
  {
    what: "GetDurableExecution: unknown ARN",
    method: "GET",
    path: () => U(),
    status: 404,
    error: "ResourceNotFoundException",
    message: "00000000-0000-0000-0000-000000000000",
  },
  // GetDurableExecutionHistory
  {
    what: "History: MaxItems over 1000",
    method: "GET",
    path: () => E("/history?MaxItems=1001"),
    status: 400,
    error: IPVE,
    message: "MaxItems",
  },
  {
    what: "History: negative MaxItems",
    method: "GET",
    path: () => E("/history?MaxItems=-1"),
    status: 400,
    error: IPVE,
    message: "MaxItems",
  },
  {
    what: "History: MaxItems not a number",
    method: "GET",
    path: () => E("/history?MaxItems=ten"),
    status: 400,
    error: IPVE,
    message: "MaxItems",
  },
  {
    what: "History: MaxItems twice",
    method: "GET",
    path: () => E("/history?MaxItems=1&MaxItems=2"),
    status: 400,
    error: IPVE,
    message: "MaxItems",
  },
  {
    what: "History: bad ReverseOrder",
    method: "GET",
    path: () => E("/history?ReverseOrder=maybe"),
    status: 400,
    error: IPVE,
    message: "ReverseOrder",
  },
  {
    what: "History: a marker we never issued",
    method: "GET",
    path: () => E("/history?Marker=garbage"),
    status: 400,
    error: IPVE,
    message: "Marker",
  },
  {
    what: "History: marker with bad percent-encoding",
    method: "GET",
    path: () => E("/history?Marker=%ZZ"),
    status: 400,
    error: IPVE,
    message: "Marker",
  },
  {
    what: "History: unknown ARN",
    method: "GET",
    path: () => U("/history"),
    status: 404,
    error: "ResourceNotFoundException",
    message: "not found",
  },
  // ListDurableExecutionsByFunction
  {
    what: "List: unknown status",
    method: "GET",
    path: () => `${LIST}?Statuses=RUNNING&Statuses=BOGUS`,
    status: 400,
    error: IPVE,
    message: "Statuses[1]",
  },
  {
    what: "List: StartedAfter not ISO-8601",
    method: "GET",
    path: () => `${LIST}?StartedAfter=yesterday`,
    status: 400,
    error: IPVE,
    message: "StartedAfter",
  },
  {
    what: "List: StartedBefore as epoch seconds",
    method: "GET",
    path: () => `${LIST}?StartedBefore=1700000000`,
    status: 400,
    error: IPVE,
    message: "StartedBefore",
  },
  {
    what: "List: impossible date",
    method: "GET",
    path: () => `${LIST}?StartedAfter=2025-13-45T00%3A00%3A00Z`,
    status: 400,
    error: IPVE,
    message: "StartedAfter",
  },
  {
    what: "List: MaxItems over 1000",
    method: "GET",
    path: () => `${LIST}?MaxItems=5000`,
    status: 400,
    error: IPVE,
    message: "MaxItems",
  },
  {
    what: "List: bad name filter",
    method: "GET",
    path: () => `${LIST}?DurableExecutionName=a%20b`,
    status: 400,
    error: IPVE,
    message: "DurableExecutionName",
  },
  {
    what: "List: bad ReverseOrder",
    method: "GET",
    path: () => `${LIST}?ReverseOrder=1`,
    status: 400,
    error: IPVE,
    message: "ReverseOrder",
  },
  {
    what: "List: a marker we never issued",
    method: "GET",
    path: () => `${LIST}?Marker=garbage`,
    status: 400,
    error: IPVE,
    message: "marker",
  },
  {
    what: "List: unknown function",
    method: "GET",
    path: () => "/2025-12-01/functions/nope/durable-executions",
    status: 404,
    error: "ResourceNotFoundException",
    message: "nope",
  },
  // StopDurableExecution
  {
    what: "Stop: body is not JSON",
    method: "POST",
    path: () => E("/stop"),
    req: { body: "{" },
    status: 400,
    error: IPVE,
    message: "JSON",
  },
  {
    what: "Stop: body is a list",
    method: "POST",
    path: () => E("/stop"),
    req: { body: "[]" },
    status: 400,
    error: IPVE,
    message: "Error",
  },
  {
    what: "Stop: ErrorType is a number",
    method: "POST",
    path: () => E("/stop"),
    req: { body: '{"ErrorType":5}' },
    status: 400,
    error: IPVE,
    message: "Error.ErrorType",
  },
  {
    what: "Stop: StackTrace is a string",
    method: "POST",
    path: () => E("/stop"),
    req: { body: '{"StackTrace":"x"}' },
    status: 400,
    error: IPVE,
    message: "Error.StackTrace",
  },
  {
    what: "Stop: error over 1 MiB",
    method: "POST",
    path: () => E("/stop"),
    req: { body: JSON.stringify({ ErrorMessage: "x".repeat(MiB) }) },
    status: 400,
    error: IPVE,
    message: "Error",
  },
  {
    what: "Stop: not an ARN",
    method: "POST",
    path: () => "/2025-12-01/durable-executions/nope/stop",
    status: 400,
    error: IPVE,
    message: "DurableExecutionArn",
  },
  {
    what: "Stop: unknown ARN",
    method: "POST",
    path: () => U("/stop"),
    status: 404,
    error: "ResourceNotFoundException",
    message: "not found",
  },
  // Callbacks
  {
    what: "Callback failure: body is not JSON",
    method: "POST",
    path: () => `${CALLBACK}/fail`,
    req: { body: "{" },
    status: 400,
    error: IPVE,
    message: "JSON",
  },
  {
    what: "Callback failure: ErrorMessage is a number",
    method: "POST",
    path: () => `${CALLBACK}/fail`,
    req: { body: '{"ErrorMessage":1}' },
    status: 400,
    error: IPVE,
    message: "Error.ErrorMessage",
  },
  {
    what: "Callback success: result over 1 MiB",
    method: "POST",
    path: () => `${CALLBACK}/succeed`,
    req: { body: "x".repeat(MiB + 1) },
    status: 400,
    error: IPVE,
    message: "Result",
  },
  {
    what: "Callback: id with a NUL",
    method: "POST",
    path: () => "/2025-12-01/durable-execution-callbacks/%00/heartbeat",
    status: 400,
    error: IPVE,
    message: "CallbackId",
  },
  // Data plane: shapes (tokens are in bad-input-checkpoint.test.ts)
  {
    what: "State: no CheckpointToken",
    method: "GET",
    path: () => E("/state"),
    status: 400,
    error: IPVE,
    message: "CheckpointToken",
  },
  {
    what: "State: MaxItems over 1000",
    method: "GET",
    path: () => E("/state?CheckpointToken=QUJD&MaxItems=2000"),
    status: 400,
    error: IPVE,
    message: "MaxItems",
  },
  {
    what: "State: unknown ARN",
    method: "GET",
    path: () => U("/state?CheckpointToken=QUJD"),
    status: 400,
    error: IPVE,
    message: "not found",
  },
  {
    what: "Checkpoint: body is not JSON",
    method: "POST",
    path: () => E("/checkpoint"),
    req: { body: "{" },
    status: 400,
    error: IPVE,
    message: "JSON",
  },
  {
    what: "Checkpoint: empty body",
    method: "POST",
    path: () => E("/checkpoint"),
    req: { body: "" },
    status: 400,
    error: IPVE,
    message: "body",
  },
  {
    what: "Checkpoint: body is null",
    method: "POST",
    path: () => E("/checkpoint"),
    req: { body: "null" },
    status: 400,
    error: IPVE,
    message: "Request body",
  },
  {
    what: "Checkpoint: no CheckpointToken",
    method: "POST",
    path: () => E("/checkpoint"),
    req: { body: '{"Updates":[]}' },
    status: 400,
    error: IPVE,
    message: "CheckpointToken",
  },
  {
    what: "Checkpoint: CheckpointToken is a number",
    method: "POST",
    path: () => E("/checkpoint"),
    req: { body: '{"CheckpointToken":5}' },
    status: 400,
    error: IPVE,
    message: "CheckpointToken",
  },
  {
    what: "Checkpoint: Updates is an object",
    method: "POST",
    path: () => E("/checkpoint"),
    req: { body: '{"CheckpointToken":"QUJD","Updates":{}}' },
    status: 400,
    error: IPVE,
    message: "Updates",
  },
  {
    what: "Checkpoint: an update is null",
    method: "POST",
    path: () => E("/checkpoint"),
    req: { body: '{"CheckpointToken":"QUJD","Updates":[null]}' },
    status: 400,
    error: IPVE,
    message: "Updates[0]",
  },
  {
    what: "Checkpoint: unknown action",
    method: "POST",
    path: () => E("/checkpoint"),
    req: { body: '{"CheckpointToken":"QUJD","Updates":[{"Id":"a","Type":"STEP","Action":"JUMP"}]}' },
    status: 400,
    error: IPVE,
    message: "Updates[0].Action",
  },
  {
    what: "Checkpoint: deeply nested garbage",
    method: "POST",
    path: () => E("/checkpoint"),
    req: { body: `{"CheckpointToken":"QUJD","Updates":${"[".repeat(100_000)}${"]".repeat(100_000)}}` },
    status: 400,
    error: IPVE,
    message: "Updates[0]",
  },
  {
    what: "Checkpoint: bad ClientToken",
    method: "POST",
    path: () => E("/checkpoint"),
    req: { body: '{"CheckpointToken":"QUJD","ClientToken":"a b"}' },
    status: 400,
    error: IPVE,
    message: "ClientToken",
  },
  {
    what: "Checkpoint: unknown ARN",
    method: "POST",
    path: () => U("/checkpoint"),
    req: { body: '{"CheckpointToken":"QUJD","Updates":[]}' },
    status: 400,
    error: IPVE,
    message: "not found",
  },
  // Routing
  {
    what: "an unknown route",
    method: "GET",
    path: () => "/2025-12-01/nothing-here",
    status: 404,
    error: "UnknownOperationException",
    message: "/2025-12-01/nothing-here",
  },
];

describe("bad input", () => {
  it.each(cases)("$what → $status $error", async (c) => {
    const res = await raw(t.url, c.method, c.path(), c.req);
    expect(res.status).toBeLessThan(500);
    expectAwsError(res, c.status, c.error, c.message);
  });

  it("accepts payloads just under the limits", async () => {
    const sync = await raw(t.url, "POST", "/2015-03-31/functions/plain/invocations", {
      body: JSON.stringify({ y: 2, pad: "x".repeat(5 * MiB) }),
    });
    expect(sync.status).toBe(200);
    expect(sync.json).toEqual({ doubled: 4, greeting: "hello" });
    const arn = await startAsync(t.client, "steps", { n: 2, pad: "x".repeat(MiB - 100) });
    expect((await finished(t.client, arn)).execution.Status).toBe("SUCCEEDED");
  });

  it("left the execution it was pointed at untouched, and the server still works", async () => {
    const res = await raw(t.url, "GET", E());
    expect(res.json).toMatchObject({ Status: "SUCCEEDED" });
    const out = await t.client.send(new InvokeCommand({ FunctionName: "steps", Payload: '{"n":5}' }));
    expect(out.FunctionError).toBeUndefined();
    expect(JSON.parse(new TextDecoder().decode(out.Payload))).toMatchObject({ a: 10, b: 100 });
    const { events } = await finished(t.client, out.DurableExecutionArn!);
    expect(events.at(-1)?.EventType).toBe("ExecutionSucceeded");
    const after = await finished(t.client, arn);
    expect(after.events.at(-1)?.EventType).toBe("ExecutionSucceeded");
  });
});
