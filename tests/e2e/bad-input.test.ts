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
const FN = "/2015-03-31/functions";
const INVOKE = `${FN}/steps/invocations`;
const PLAIN = `${FN}/plain/invocations`;
const EXECUTIONS = "/2025-12-01/durable-executions";
const LIST = "/2025-12-01/functions/steps/durable-executions";
const CALLBACK = "/2025-12-01/durable-execution-callbacks/QUJDRA%3D%3D";
const E = (suffix = "") => executionPath(arn, suffix);
const U = (suffix = "") => executionPath(unknownArn, suffix);

type Path = string | (() => string);
interface Req {
  method: "GET" | "POST";
  path: Path;
  req?: RawRequest;
}
/** Status, error name, and text the message must contain (the field it names, usually). */
type Expect = [status: number, error: string, message: string];

const IPVE = "InvalidParameterValueException";
const get = (path: Path): Req => ({ method: "GET", path });
const post = (path: Path, body?: string, headers?: Record<string, string>): Req => ({
  method: "POST",
  path,
  req: { ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) },
});
const invoke = (headers: Record<string, string>, path: Path = INVOKE) => post(path, "{}", headers);
const invalid = (message: string): Expect => [400, IPVE, message];
const missing = (message: string): Expect => [404, "ResourceNotFoundException", message];
const big = (bytes: number) => JSON.stringify("x".repeat(bytes));
const body = (json: string) => post(() => E("/checkpoint"), json);
const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;

const cases: [string, Req, Expect][] = [
  // Invoke
  ["Invoke: payload is not JSON", post(INVOKE, "{nope"), [400, "InvalidRequestContentException", "json"]],
  [
    "Invoke: unknown invocation type",
    invoke({ "X-Amz-Invocation-Type": "Later" }),
    invalid("X-Amz-Invocation-Type"),
  ],
  [
    "Invoke: name with a space",
    invoke({ "X-Amz-Durable-Execution-Name": "a b" }),
    invalid("X-Amz-Durable-Execution-Name"),
  ],
  [
    "Invoke: name over 64 characters",
    invoke({ "X-Amz-Durable-Execution-Name": "n".repeat(65) }),
    invalid("Name"),
  ],
  [
    "Invoke: name for a plain function",
    invoke({ "X-Amz-Durable-Execution-Name": "x" }, PLAIN),
    invalid("DurableExecutionName"),
  ],
  ["Invoke: bad tenant id", invoke({ "X-Amz-Tenant-Id": "a#b" }), invalid("X-Amz-Tenant-Id")],
  ["Invoke: bad log type", invoke({ "X-Amz-Log-Type": "All" }), invalid("X-Amz-Log-Type")],
  [
    "Invoke: client context not base64",
    invoke({ "X-Amz-Client-Context": "%%%" }),
    invalid("X-Amz-Client-Context"),
  ],
  ["Invoke: unknown function", post("/2015-03-31/functions/nope/invocations", "{}"), missing("nope")],
  ["Invoke: unknown qualifier", post(`${INVOKE}?Qualifier=7`, "{}"), missing("steps:7")],
  ["Invoke: malformed qualifier", post(`${INVOKE}?Qualifier=a%20b`, "{}"), invalid("Qualifier")],
  [
    "Invoke: conflicting qualifiers",
    post(`${FN}/steps:%24LATEST/invocations?Qualifier=3`, "{}"),
    invalid("Qualifier"),
  ],
  ["Invoke: malformed function name", post(`${FN}/a%20b/invocations`, "{}"), invalid("FunctionName")],
  [
    "Invoke: function name too long",
    post(`${FN}/${"f".repeat(171)}/invocations`, "{}"),
    invalid("FunctionName"),
  ],
  [
    "Invoke: bad percent-encoding in the path",
    post(`${FN}/%ZZ/invocations`, "{}"),
    invalid("percent-encoding"),
  ],
  ["Invoke: bad percent-encoding in the query", post(`${INVOKE}?Qualifier=%ZZ`, "{}"), invalid("Qualifier")],
  ["Invoke: over 6 MiB", post(INVOKE, big(6 * MiB)), [413, "RequestTooLargeException", "6291456"]],
  [
    "Invoke: Event over 1 MiB",
    post(INVOKE, big(MiB), { "X-Amz-Invocation-Type": "Event" }),
    [413, "RequestTooLargeException", "1048576"],
  ],
  // GetDurableExecution
  ["Get: not an ARN", get(`${EXECUTIONS}/not-an-arn`), invalid("DurableExecutionArn")],
  ["Get: a path that climbs", get(`${EXECUTIONS}/..%2F..%2Fetc`), invalid("DurableExecutionArn")],
  ["Get: bad percent-encoding", get(`${EXECUTIONS}/%E0%A4%A`), invalid("percent-encoding")],
  ["Get: bad boolean", get(() => E("?IncludeExecutionData=yes")), invalid("IncludeExecutionData")],
  ["Get: unknown ARN", get(() => U()), missing("00000000-0000-0000-0000-000000000000")],
  // GetDurableExecutionHistory
  ["History: MaxItems over 1000", get(() => E("/history?MaxItems=1001")), invalid("MaxItems")],
  ["History: negative MaxItems", get(() => E("/history?MaxItems=-1")), invalid("MaxItems")],
  ["History: MaxItems not a number", get(() => E("/history?MaxItems=ten")), invalid("MaxItems")],
  ["History: MaxItems twice", get(() => E("/history?MaxItems=1&MaxItems=2")), invalid("MaxItems")],
  ["History: bad ReverseOrder", get(() => E("/history?ReverseOrder=maybe")), invalid("ReverseOrder")],
  ["History: a marker we never issued", get(() => E("/history?Marker=garbage")), invalid("Marker")],
  ["History: marker with bad percent-encoding", get(() => E("/history?Marker=%ZZ")), invalid("Marker")],
  ["History: unknown ARN", get(() => U("/history")), missing("not found")],
  // ListDurableExecutionsByFunction
  ["List: unknown status", get(`${LIST}?Statuses=RUNNING&Statuses=BOGUS`), invalid("Statuses[1]")],
  ["List: StartedAfter not ISO-8601", get(`${LIST}?StartedAfter=yesterday`), invalid("StartedAfter")],
  ["List: StartedBefore in epoch seconds", get(`${LIST}?StartedBefore=1700000000`), invalid("StartedBefore")],
  ["List: impossible date", get(`${LIST}?StartedAfter=2025-13-45T00%3A00%3A00Z`), invalid("StartedAfter")],
  ["List: MaxItems over 1000", get(`${LIST}?MaxItems=5000`), invalid("MaxItems")],
  ["List: bad name filter", get(`${LIST}?DurableExecutionName=a%20b`), invalid("DurableExecutionName")],
  ["List: bad ReverseOrder", get(`${LIST}?ReverseOrder=1`), invalid("ReverseOrder")],
  ["List: a marker we never issued", get(`${LIST}?Marker=garbage`), invalid("marker")],
  ["List: unknown function", get("/2025-12-01/functions/nope/durable-executions"), missing("nope")],
  // StopDurableExecution
  ["Stop: body is not JSON", post(() => E("/stop"), "{"), invalid("JSON")],
  ["Stop: body is a list", post(() => E("/stop"), "[]"), invalid("Error")],
  ["Stop: ErrorType is a number", post(() => E("/stop"), '{"ErrorType":5}'), invalid("Error.ErrorType")],
  ["Stop: StackTrace is a string", post(() => E("/stop"), '{"StackTrace":"x"}'), invalid("Error.StackTrace")],
  [
    "Stop: error over 1 MiB",
    post(() => E("/stop"), JSON.stringify({ ErrorMessage: "x".repeat(MiB) })),
    invalid("Error"),
  ],
  ["Stop: not an ARN", post(`${EXECUTIONS}/nope/stop`), invalid("DurableExecutionArn")],
  ["Stop: unknown ARN", post(() => U("/stop")), missing("not found")],
  // Callbacks
  ["Callback failure: body is not JSON", post(`${CALLBACK}/fail`, "{"), invalid("JSON")],
  [
    "Callback failure: ErrorMessage is a number",
    post(`${CALLBACK}/fail`, '{"ErrorMessage":1}'),
    invalid("Error.ErrorMessage"),
  ],
  [
    "Callback success: result over 1 MiB",
    post(`${CALLBACK}/succeed`, "x".repeat(MiB + 1)),
    invalid("Result"),
  ],
  [
    "Callback: id with a NUL",
    post("/2025-12-01/durable-execution-callbacks/%00/heartbeat"),
    invalid("CallbackId"),
  ],
  // Data plane: shapes (tokens are in bad-input-checkpoint.test.ts)
  ["State: no CheckpointToken", get(() => E("/state")), invalid("CheckpointToken")],
  [
    "State: MaxItems over 1000",
    get(() => E("/state?CheckpointToken=QUJD&MaxItems=2000")),
    invalid("MaxItems"),
  ],
  ["State: unknown ARN", get(() => U("/state?CheckpointToken=QUJD")), invalid("not found")],
  ["Checkpoint: body is not JSON", body("{"), invalid("JSON")],
  ["Checkpoint: empty body", body(""), invalid("body")],
  ["Checkpoint: body is null", body("null"), invalid("Request body")],
  ["Checkpoint: no CheckpointToken", body('{"Updates":[]}'), invalid("CheckpointToken")],
  ["Checkpoint: CheckpointToken is a number", body('{"CheckpointToken":5}'), invalid("CheckpointToken")],
  ["Checkpoint: Updates is an object", body('{"CheckpointToken":"QUJD","Updates":{}}'), invalid("Updates")],
  [
    "Checkpoint: an update is null",
    body('{"CheckpointToken":"QUJD","Updates":[null]}'),
    invalid("Updates[0]"),
  ],
  [
    "Checkpoint: unknown action",
    body('{"CheckpointToken":"QUJD","Updates":[{"Id":"a","Type":"STEP","Action":"JUMP"}]}'),
    invalid("Updates[0].Action"),
  ],
  [
    "Checkpoint: deeply nested garbage",
    body(`{"CheckpointToken":"QUJD","Updates":${deep}}`),
    invalid("Updates[0]"),
  ],
  [
    "Checkpoint: bad ClientToken",
    body('{"CheckpointToken":"QUJD","ClientToken":"a b"}'),
    invalid("ClientToken"),
  ],
  [
    "Checkpoint: unknown ARN",
    post(() => U("/checkpoint"), '{"CheckpointToken":"QUJD","Updates":[]}'),
    invalid("not found"),
  ],
  // Routing
  [
    "an unknown route",
    get("/2025-12-01/nothing-here"),
    [404, "UnknownOperationException", "/2025-12-01/nothing-here"],
  ],
];

describe("bad input", () => {
  it.each(cases)("%s", async (_what, { method, path, req }, [status, error, message]) => {
    const res = await raw(t.url, method, typeof path === "string" ? path : path(), req);
    expect(res.status).toBeLessThan(500);
    expectAwsError(res, status, error, message);
  });

  it("accepts payloads just under the limits", async () => {
    const sync = await raw(t.url, "POST", PLAIN, {
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
