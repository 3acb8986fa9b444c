// Helpers of the end-to-end suites on top of harness.ts: starting executions, waiting for them to
// finish with the history invariants of spec §7.3 checked, and raw HTTP for what the AWS client
// would hide (numeric timestamps, error headers, malformed requests).
import { GetDurableExecutionCommand, InvokeCommand } from "@aws-sdk/client-lambda";
import type { Event, GetDurableExecutionCommandOutput, LambdaClient } from "@aws-sdk/client-lambda";
import { expect } from "vitest";
import { eventually, history } from "./harness.js";

export const TERMINAL_STATUSES = ["SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"];
const TERMINAL_EVENTS = new Set([
  "ExecutionSucceeded",
  "ExecutionFailed",
  "ExecutionTimedOut",
  "ExecutionStopped",
]);

/** Starts a durable execution asynchronously (202) and returns its ARN. */
export async function startAsync(
  client: LambdaClient,
  functionName: string,
  payload: unknown = {},
  name?: string,
): Promise<string> {
  const out = await client.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: "Event",
      Payload: JSON.stringify(payload),
      ...(name !== undefined ? { DurableExecutionName: name } : {}),
    }),
  );
  expect(out.StatusCode).toBe(202);
  expect(out.DurableExecutionArn).toMatch(
    new RegExp(
      `^arn:aws:lambda:us-east-1:000000000000:function:${functionName}:\\$LATEST/durable-execution/`,
    ),
  );
  return out.DurableExecutionArn!;
}

export async function getExecution(
  client: LambdaClient,
  arn: string,
): Promise<GetDurableExecutionCommandOutput> {
  return client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
}

/**
 * The invariants every finished history must hold (spec §7.3.1, §7.3.3, Appendix C item 9):
 * EventIds 1..N without gaps, `Id` on every event except InvocationCompleted, exactly one details
 * member and it is named `<EventType>Details`, exactly one terminal Execution* event and it is last,
 * and every InvocationCompleted carries RequestId, StartTimestamp and EndTimestamp.
 */
export function expectHistoryInvariants(events: Event[]): void {
  expect(events.length).toBeGreaterThan(0);
  expect(events.map((e) => e.EventId)).toEqual(events.map((_, i) => i + 1));
  expect(events[0]!.EventType).toBe("ExecutionStarted");
  for (const e of events) {
    const where = `event ${e.EventId} (${e.EventType})`;
    expect(e.EventTimestamp, where).toBeInstanceOf(Date);
    const detailKeys = Object.keys(e).filter((k) => k.endsWith("Details"));
    expect(detailKeys, where).toEqual([`${e.EventType}Details`]);
    if (e.EventType === "InvocationCompleted") {
      expect(e.Id, where).toBeUndefined();
      const d = e.InvocationCompletedDetails!;
      expect(d.RequestId, where).toMatch(/\S/);
      expect(d.StartTimestamp, where).toBeInstanceOf(Date);
      expect(d.EndTimestamp, where).toBeInstanceOf(Date);
      expect(d.EndTimestamp!.getTime(), where).toBeGreaterThanOrEqual(d.StartTimestamp!.getTime());
    } else {
      expect(e.Id, where).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    }
  }
  const terminal = events.filter((e) => TERMINAL_EVENTS.has(e.EventType ?? ""));
  expect(terminal.map((e) => e.EventId)).toEqual([events.length]);
  // Execution* events carry the EXECUTION operation's id, the same one from start to end.
  expect(terminal[0]!.Id).toBe(events[0]!.Id);
}

/**
 * Waits until the execution is terminal and its history ends with the terminal event, checks the
 * history invariants, and returns both.
 */
export async function finished(
  client: LambdaClient,
  arn: string,
  timeoutMs = 30_000,
): Promise<{ execution: GetDurableExecutionCommandOutput; events: Event[] }> {
  const execution = await eventually(
    `a terminal status of ${arn}`,
    async () => {
      const e = await getExecution(client, arn);
      return TERMINAL_STATUSES.includes(e.Status ?? "") ? e : undefined;
    },
    timeoutMs,
  ).catch(async (err: Error) => {
    // Say where it got stuck: the history so far.
    const so = (await history(client, arn)).map((e) => JSON.stringify({ ...e, EventTimestamp: undefined }));
    throw new Error(`${err.message}\nhistory so far:\n${so.join("\n")}`);
  });
  // The terminal event may trail the status by the last InvocationCompleted (spec §7.3.3).
  const events = await eventually(
    `the terminal event of ${arn}`,
    async () => {
      const h = await history(client, arn);
      return TERMINAL_EVENTS.has(h.at(-1)?.EventType ?? "") ? h : undefined;
    },
    5_000,
  );
  expectHistoryInvariants(events);
  return { execution, events };
}

export function eventsOf(events: Event[], type: string, name?: string): Event[] {
  return events.filter((e) => e.EventType === type && (name === undefined || e.Name === name));
}

export function onlyEvent(events: Event[], type: string, name?: string): Event {
  const found = eventsOf(events, type, name);
  expect(found, `exactly one ${type}${name ? ` named ${name}` : ""}`).toHaveLength(1);
  return found[0]!;
}

/** Waits for the callback of a waitForCallback to exist and returns its id (from CallbackStarted). */
export async function callbackIdOf(client: LambdaClient, arn: string): Promise<string> {
  const started = await eventually(`CallbackStarted in ${arn}`, async () =>
    (await history(client, arn)).find((e) => e.EventType === "CallbackStarted"),
  );
  const id = started.CallbackStartedDetails?.CallbackId;
  expect(id).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
  return id!;
}

// ---- raw HTTP -----------------------------------------------------------------------------------

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: Record<string, unknown> | undefined;
}

export interface RawRequest {
  body?: string | Buffer;
  headers?: Record<string, string>;
}

/** One HTTP request with fetch, answered as status + headers + body (never throws on 4xx/5xx). */
export async function raw(
  baseUrl: string,
  method: string,
  path: string,
  req: RawRequest = {},
): Promise<RawResponse> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: req.headers ?? {},
    ...(req.body !== undefined ? { body: req.body } : {}),
  });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = text === "" ? undefined : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export const executionPath = (arn: string, suffix = ""): string =>
  `/2025-12-01/durable-executions/${encodeURIComponent(arn)}${suffix}`;

export const callbackPath = (callbackId: string, action: "succeed" | "fail" | "heartbeat"): string =>
  `/2025-12-01/durable-execution-callbacks/${encodeURIComponent(callbackId)}/${action}`;

/** The AWS error of a response: name from `x-amzn-errortype`, message from `message` or `Message`. */
export function awsErrorOf(res: RawResponse): { status: number; name: string | null; message: string } {
  const body = res.json ?? {};
  const message = body.message ?? body.Message;
  return {
    status: res.status,
    name: res.headers.get("x-amzn-errortype"),
    message: typeof message === "string" ? message : "",
  };
}

/** Asserts an AWS error response: status, error name header, `Type: User`, and the message. */
export function expectAwsError(
  res: RawResponse,
  status: number,
  name: string,
  message?: string | RegExp,
): void {
  const err = awsErrorOf(res);
  expect({ status: err.status, name: err.name }, res.text).toEqual({ status, name });
  expect(res.json?.Type).toBe("User");
  expect(res.headers.get("x-amzn-requestid")).toMatch(/\S/);
  if (message instanceof RegExp) expect(err.message).toMatch(message);
  else if (message !== undefined) expect(err.message).toContain(message);
  else expect(err.message).toMatch(/\S/);
}

/** The AWS client's error fields, for `await expect(…).rejects` style checks. */
export async function sdkError(
  p: Promise<unknown>,
): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error("expected the call to fail");
}
