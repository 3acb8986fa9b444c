// The console's JSON/SSE API (protocol/console.ts) on a real server: real SQLite, real worker
// processes running the fixture functions with the official SDK. The executions are started once,
// up front; the tests then read them the way the console does. The tests of this file run in order:
// the stream test, last, starts executions of its own.
import fs from "node:fs";
import { SendDurableExecutionCallbackSuccessCommand } from "@aws-sdk/client-lambda";
import type { Event } from "@aws-sdk/client-lambda";
import type {
  ConsoleEventsResponse,
  ConsoleExecutionResponse,
  ConsoleExecutionsResponse,
  ConsoleExecutionSummary,
  ConsoleFunctionsResponse,
  ConsoleInvocation,
  ConsoleOperation,
  ErrorObject,
} from "@dormouse/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { history, startTestServer, tempDir } from "../support/harness.js";
import type { TestServer } from "../support/harness.js";
import { callbackIdOf, expectAwsError, finished, getExecution, raw, startAsync } from "../support/e2e.js";

let t: TestServer;
let crashDir: string;
/** ARNs by execution name. */
const arns: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestServer();
  crashDir = tempDir("dormouse-console-crash-");
  // Sequential starts, so that startedAt orders them (newest first = reverse of this list).
  const starts: [name: string, fn: string, payload: unknown][] = [
    ["order-1", "steps", { n: 1 }],
    ["order-2", "steps", { n: 2 }],
    ["invoice-1", "steps", { n: 3 }],
    ["reject-1", "failer", { reason: "no stock" }],
    ["fan-1", "fanout", {}],
    ["crash-1", "crasher", { dir: crashDir, mode: "exit" }],
    ["approval-1", "callbacks", {}],
  ];
  for (const [name, fn, payload] of starts) {
    arns[name] = await startAsync(t.client, fn, payload, name);
    await new Promise((resolve) => setTimeout(resolve, 5)); // distinct start milliseconds
  }
  await Promise.all(
    Object.entries(arns)
      .filter(([name]) => name !== "approval-1")
      // Generous: crash-1 needs a second cold worker start, slow on a loaded machine.
      .map(([, arn]) => finished(t.client, arn, 90_000)),
  );
  await callbackIdOf(t.client, arns["approval-1"]!); // it now waits for its callback
}, 180_000);

afterAll(async () => {
  await t?.close();
  if (crashDir) fs.rmSync(crashDir, { recursive: true, force: true });
});

async function getJson<T>(pathAndQuery: string): Promise<T> {
  const res = await raw(t.url, "GET", pathAndQuery);
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return res.json as T;
}

const executionUrl = (arn: string, suffix = "") =>
  `/console-api/executions/${encodeURIComponent(arn)}${suffix}`;
const ZERO = { RUNNING: 0, SUCCEEDED: 0, FAILED: 0, TIMED_OUT: 0, STOPPED: 0 };

/** Follows `next` until the end; every page must be full except the last. */
async function allExecutions(query: string, limit: number): Promise<ConsoleExecutionSummary[]> {
  const out: ConsoleExecutionSummary[] = [];
  let next: string | undefined;
  do {
    const cursor = next === undefined ? "" : `&cursor=${encodeURIComponent(next)}`;
    const page = await getJson<ConsoleExecutionsResponse>(
      `/console-api/executions?limit=${limit}${query}${cursor}`,
    );
    if (page.next !== undefined) expect(page.executions).toHaveLength(limit);
    out.push(...page.executions);
    next = page.next;
  } while (next !== undefined);
  return out;
}

describe("console API", () => {
  it("lists the functions with their configuration and execution counts", async () => {
    const { functions } = await getJson<ConsoleFunctionsResponse>("/console-api/functions");
    // Every function of the template (others may be added to it), each once, by name.
    const declared = [...new Set(t.server.functions.map((f) => f.name))].sort();
    expect(functions.map((f) => f.name)).toEqual(declared);
    expect(declared).toEqual(
      expect.arrayContaining(["callbacks", "crasher", "failer", "fanout", "plain", "steps"]),
    );
    const byName = Object.fromEntries(functions.map((f) => [f.name, f]));
    expect(byName.steps).toEqual({
      name: "steps",
      durable: true,
      runtime: "nodejs20.x",
      handler: "src/steps.handler",
      timeoutSeconds: 30,
      memoryMb: 256,
      executionTimeoutSeconds: 600,
      retentionDays: 1,
      versions: ["$LATEST"],
      aliases: [],
      counts: { ...ZERO, SUCCEEDED: 3 },
    });
    expect(byName.plain).toMatchObject({ durable: false, counts: ZERO });
    expect(byName.plain).not.toHaveProperty("executionTimeoutSeconds");
    expect(byName.slow!.timeoutSeconds).toBe(2);
    expect(byName.failer!.counts).toEqual({ ...ZERO, FAILED: 1 });
    expect(byName.fanout!.counts).toEqual({ ...ZERO, SUCCEEDED: 1 });
    expect(byName.crasher!.counts).toEqual({ ...ZERO, SUCCEEDED: 1 });
    expect(byName.callbacks!.counts).toEqual({ ...ZERO, RUNNING: 1 });
    expect(byName.waiter!.counts).toEqual(ZERO);
  });

  it("lists executions of all functions newest first, with filters, search and paging", async () => {
    const newestFirst = ["approval-1", "crash-1", "fan-1", "reject-1", "invoice-1", "order-2", "order-1"];
    const first = await getJson<ConsoleExecutionsResponse>("/console-api/executions");
    expect(first.executions.map((e) => e.name)).toEqual(newestFirst);
    expect(first.next).toBeUndefined();

    // The summary matches what the Lambda API says, in ms.
    const order1 = first.executions.find((e) => e.name === "order-1")!;
    const lambda = await getExecution(t.client, arns["order-1"]!);
    expect(order1).toEqual({
      arn: arns["order-1"],
      name: "order-1",
      functionName: "steps",
      version: "$LATEST",
      status: "SUCCEEDED",
      startedAt: lambda.StartTimestamp!.getTime(),
      endedAt: lambda.EndTimestamp!.getTime(),
    });
    const approval = first.executions[0]!;
    expect(approval).toMatchObject({ status: "RUNNING", functionName: "callbacks" });
    expect(approval).not.toHaveProperty("endedAt");

    // Paging: every execution exactly once, in the same order, whatever the page size.
    for (const limit of [1, 2, 3]) {
      expect((await allExecutions("", limit)).map((e) => e.name)).toEqual(newestFirst);
    }

    const names = async (query: string) =>
      (await getJson<ConsoleExecutionsResponse>(`/console-api/executions?${query}`)).executions.map(
        (e) => e.name,
      );
    expect(await names("function=steps")).toEqual(["invoice-1", "order-2", "order-1"]);
    expect(await names("function=steps%3A%24LATEST&limit=2")).toEqual(["invoice-1", "order-2"]);
    expect(await names("status=FAILED")).toEqual(["reject-1"]);
    expect(await names("status=RUNNING&status=FAILED")).toEqual(["approval-1", "reject-1"]);
    expect(await names("q=order-")).toEqual(["order-2", "order-1"]);
    expect(await names("q=ORDER")).toEqual([]);
    expect(await names("q=order-&function=failer")).toEqual([]);
    expect(await names(`q=${encodeURIComponent(arns["fan-1"]!)}`)).toEqual(["fan-1"]);
    const fan = first.executions.find((e) => e.name === "fan-1")!;
    expect(await names(`startedAfter=${fan.startedAt}`)).toEqual(["approval-1", "crash-1"]);
    expect(await names(`startedBefore=${fan.startedAt}&function=steps`)).toEqual([
      "invoice-1",
      "order-2",
      "order-1",
    ]);
    expect(await names(`startedAfter=${fan.startedAt - 1}&startedBefore=${fan.startedAt + 1}`)).toEqual([
      "fan-1",
    ]);

    const bad = await raw(t.url, "GET", "/console-api/executions?limit=0");
    expectAwsError(bad, 400, "InvalidParameterValueException", "limit: must be an integer from 1 to 1000");
    const badCursor = await raw(t.url, "GET", "/console-api/executions?cursor=not-ours");
    expectAwsError(badCursor, 400, "InvalidParameterValueException", "Invalid pagination marker");
  });

  it("shows every operation of a fanout execution, children of finished contexts included", async () => {
    const arn = arns["fan-1"]!;
    const detail = await getJson<ConsoleExecutionResponse>(executionUrl(arn));
    const lambda = await getExecution(t.client, arn);
    expect(detail.execution).toEqual({
      arn,
      name: "fan-1",
      functionName: "fanout",
      version: "$LATEST",
      status: "SUCCEEDED",
      startedAt: lambda.StartTimestamp!.getTime(),
      endedAt: lambda.EndTimestamp!.getTime(),
      input: "{}",
      result: lambda.Result,
      executionTimeoutSeconds: 600,
      retentionDays: lambda.DurableConfig!.RetentionPeriodInDays,
    });

    const ops = detail.operations;
    expect(ops.map((op) => op.seq)).toEqual(ops.map((_, i) => i));
    expect(ops[0]).toMatchObject({
      Type: "EXECUTION",
      Status: "SUCCEEDED",
      ExecutionDetails: { InputPayload: "{}" },
    });
    const byId = new Map(ops.map((op) => [op.Id, op]));
    for (const op of ops) {
      // Timestamps in ms, within the execution's lifetime; parents exist and are contexts.
      expect(op.StartTimestamp).toBeGreaterThanOrEqual(detail.execution.startedAt);
      expect(op.EndTimestamp ?? 0).toBeLessThanOrEqual(detail.execution.endedAt!);
      if (op.ParentId !== undefined) expect(byId.get(op.ParentId)?.Type, op.Id).toBe("CONTEXT");
      expect(op).not.toHaveProperty("heartbeatTimeoutSeconds");
    }
    const named = (name: string): ConsoleOperation => {
      const found = ops.filter((op) => op.Name === name);
      expect(found, name).toHaveLength(1);
      return found[0]!;
    };
    const childrenOf = (op: ConsoleOperation) => ops.filter((o) => o.ParentId === op.Id);
    const under = (op: ConsoleOperation): ConsoleOperation[] =>
      childrenOf(op).flatMap((child) => [child, ...under(child)]);

    // parallel: two branch contexts, each with its step; map: one iteration per item.
    const branches = named("branches");
    expect(branches).toMatchObject({ Type: "CONTEXT", Status: "SUCCEEDED" });
    expect(
      under(branches)
        .filter((o) => o.Type === "STEP")
        .map((o) => [o.Name, o.StepDetails?.Result]),
    ).toEqual([
      ["left", '"L"'],
      ["right", '"R"'],
    ]);
    const squares = named("squares");
    expect(
      under(squares)
        .filter((o) => o.Type === "STEP")
        .map((o) => [o.Name, o.StepDetails?.Result]),
    ).toEqual([
      ["sq-1", "1"],
      ["sq-2", "4"],
      ["sq-3", "9"],
    ]);
    // The child context finished, so the SDK-facing state would prune these two; the console keeps them.
    const child = named("child");
    expect(child).toMatchObject({ Type: "CONTEXT", Status: "SUCCEEDED", ContextDetails: { Result: "42" } });
    const inner = childrenOf(child);
    expect(inner.map((o) => [o.Type, o.Name, o.Status])).toEqual([
      ["STEP", "inner", "SUCCEEDED"],
      ["WAIT", undefined, "SUCCEEDED"],
    ]);
    const wait = inner[1]!;
    expect(wait.WaitDetails!.ScheduledEndTimestamp - wait.StartTimestamp).toBeGreaterThanOrEqual(999);
    expect(wait.EndTimestamp!).toBeGreaterThanOrEqual(wait.WaitDetails!.ScheduledEndTimestamp);

    // Invocations: one ran up to the wait and returned, a later one replayed everything and finished.
    const events = await history(t.client, arn);
    const completed = events.filter((e) => e.EventType === "InvocationCompleted");
    expect(completed.length).toBeGreaterThanOrEqual(2);
    expect(detail.invocations).toEqual(invocationsOf(events));
    const waitedIn = detail.invocations.findIndex(
      (i) => i.startedAt <= wait.StartTimestamp && wait.StartTimestamp <= i.endedAt!,
    );
    expect(waitedIn).toBeGreaterThanOrEqual(0);
    expect(waitedIn).toBeLessThan(detail.invocations.length - 1);
    expect(detail.invocations.at(-1)!.startedAt).toBeGreaterThanOrEqual(
      wait.WaitDetails!.ScheduledEndTimestamp,
    );
    expect(detail.eventCount).toBe(events.length);
  });

  it("numbers the invocations of a crashed-and-retried execution, the error on the crashed one", async () => {
    const detail = await getJson<ConsoleExecutionResponse>(executionUrl(arns["crash-1"]!));
    expect(detail.execution.status).toBe("SUCCEEDED");
    expect(detail.invocations).toEqual(invocationsOf(await history(t.client, arns["crash-1"]!)));
    // The handler exits on its first run, the retry completes. (On a loaded machine a cold start may
    // also time out first: those are further failed invocations before the last.)
    const exited = detail.invocations.filter((i) => i.error?.ErrorType === "Runtime.ExitError");
    expect(exited).toHaveLength(1);
    expect(exited[0]!.error!.ErrorMessage).toMatch(/code 3/);
    expect(detail.invocations.at(-1)!.error).toBeUndefined();
    expect(detail.invocations.slice(0, -1).every((i) => i.error !== undefined)).toBe(true);
    for (const [i, inv] of detail.invocations.entries()) {
      expect(inv.number).toBe(i + 1);
      if (i > 0) expect(inv.startedAt).toBeGreaterThanOrEqual(detail.invocations[i - 1]!.endedAt!);
    }
    expect(
      detail.operations
        .filter((o) => o.Type === "STEP")
        .map((o) => [o.Name, o.Status, o.StepDetails?.Result]),
    ).toEqual([
      ["count", "SUCCEEDED", '"counted"'],
      ["hang", "SUCCEEDED", '"survived"'],
    ]);
  });

  it("shows a waiting callback with its id, the running execution's open invocation, and a failure", async () => {
    const waiting = await getJson<ConsoleExecutionResponse>(executionUrl(arns["approval-1"]!));
    expect(waiting.execution.status).toBe("RUNNING");
    const callback = waiting.operations.find((o) => o.Type === "CALLBACK")!;
    expect(callback.Status).toBe("STARTED");
    expect(callback.CallbackDetails!.CallbackId).toBe(await callbackIdOf(t.client, arns["approval-1"]!));
    // Hibernating: its invocations all ended.
    expect(waiting.invocations.length).toBeGreaterThanOrEqual(1);
    for (const inv of waiting.invocations) expect(inv.endedAt).toBeDefined();
    const text = JSON.stringify(waiting);
    for (const internal of [
      "nonce",
      "lastCheckpoint",
      "dirty",
      "rev",
      "lease",
      "epoch",
      "heartbeatTimeout",
    ]) {
      expect(text).not.toContain(`"${internal}"`);
    }

    const failed = await getJson<ConsoleExecutionResponse>(executionUrl(arns["reject-1"]!));
    expect(failed.execution.status).toBe("FAILED");
    const lambdaFailed = await getExecution(t.client, arns["reject-1"]!);
    expect(failed.execution.error).toEqual(lambdaFailed.Error);
    expect(failed.execution.error?.ErrorMessage).toBe("no stock");
    expect(failed.execution).not.toHaveProperty("result");

    const unknown = arns["reject-1"]!.replace("reject-1", "never-ran");
    expectAwsError(
      await raw(t.url, "GET", executionUrl(unknown)),
      404,
      "ResourceNotFoundException",
      `Durable execution not found: ${unknown}`,
    );
  });

  it("pages the events of an execution oldest first, timestamps in ms", async () => {
    const arn = arns["fan-1"]!;
    const lambdaEvents = await history(t.client, arn);
    const all: ConsoleEventsResponse["events"] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await getJson<ConsoleEventsResponse>(
        executionUrl(arn, `/events?limit=7${next === undefined ? "" : `&after=${next}`}`),
      );
      all.push(...page.events);
      next = page.next;
      pages++;
    } while (next !== undefined);
    expect(pages).toBe(Math.ceil(lambdaEvents.length / 7));
    expect(all.map((e) => [e.eventId, e.type, e.operationId, e.name])).toEqual(
      lambdaEvents.map((e) => [e.EventId, e.EventType, e.Id, e.Name]),
    );
    all.forEach((e, i) => expect(e.timestamp).toBe(lambdaEvents[i]!.EventTimestamp!.getTime()));

    const waitStarted = all.find((e) => e.type === "WaitStarted")!;
    const lambdaWait = lambdaEvents.find((e) => e.EventType === "WaitStarted")!;
    expect(waitStarted.details).toEqual({
      Duration: 1,
      ScheduledEndTimestamp: lambdaWait.WaitStartedDetails!.ScheduledEndTimestamp!.getTime(),
    });
    const invocation = all.find((e) => e.type === "InvocationCompleted")!;
    expect(invocation.details.StartTimestamp).toBeGreaterThan(1e12);
    expect(all.at(-1)!.details).toEqual({ Result: { Payload: expect.any(String), Truncated: false } });

    const rest = await getJson<ConsoleEventsResponse>(executionUrl(arn, `/events?after=${all.length}`));
    expect(rest).toEqual({ events: [] });
  });

  it("serves the web console (or how to build it) at /", async () => {
    const res = await raw(t.url, "GET", "/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await raw(t.url, "GET", `/executions/${encodeURIComponent(arns["fan-1"]!)}`, {
      headers: { accept: "text/html" },
    });
    expect(page.text).toBe(res.text);
  });

  it("streams execution changes as server-sent events", async () => {
    const abort = new AbortController();
    const res = await fetch(`${t.url}/console-api/stream`, { signal: abort.signal });
    try {
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
      const stream = sseMessages(res.body!);

      // A new execution: seen from its creation to its end.
      const arn = await startAsync(t.client, "steps", { n: 5 }, "streamed-1");
      const seen: ConsoleExecutionSummary[] = [];
      for (;;) {
        const message = await stream.next();
        expect(message, "the stream ended early").toBeDefined();
        if (message!.event !== "execution") continue;
        const summary = JSON.parse(message!.data) as ConsoleExecutionSummary;
        if (summary.arn !== arn) continue;
        seen.push(summary);
        if (summary.status !== "RUNNING") break;
      }
      expect(seen[0]).toMatchObject({ name: "streamed-1", functionName: "steps", status: "RUNNING" });
      expect(seen.at(-1)).toMatchObject({ status: "SUCCEEDED", endedAt: expect.any(Number) });

      // A status change from outside an invocation: the callback completes the waiting execution.
      const approval = arns["approval-1"]!;
      const callbackId = await callbackIdOf(t.client, approval);
      await t.client.send(
        new SendDurableExecutionCallbackSuccessCommand({
          CallbackId: callbackId,
          Result: new TextEncoder().encode("true"),
        }),
      );
      for (;;) {
        const message = await stream.next();
        expect(message, "the stream ended early").toBeDefined();
        if (message!.event !== "execution") continue;
        const summary = JSON.parse(message!.data) as ConsoleExecutionSummary;
        if (summary.arn === approval && summary.status === "SUCCEEDED") break;
      }
    } finally {
      abort.abort();
    }
    const functions = await getJson<ConsoleFunctionsResponse>("/console-api/functions");
    const counts = Object.fromEntries(functions.functions.map((f) => [f.name, f.counts]));
    expect(counts.steps).toEqual({ ...ZERO, SUCCEEDED: 4 });
    expect(counts.callbacks).toEqual({ ...ZERO, SUCCEEDED: 1 });
  });
});

/** The invocation timeline the console should show, built from the Lambda API's history. */
function invocationsOf(events: Event[]): ConsoleInvocation[] {
  return events
    .filter((e) => e.EventType === "InvocationCompleted")
    .map((e, i) => {
      const d = e.InvocationCompletedDetails!;
      return {
        number: i + 1,
        requestId: d.RequestId!,
        startedAt: d.StartTimestamp!.getTime(),
        endedAt: d.EndTimestamp!.getTime(),
        ...(d.Error?.Payload && { error: d.Error.Payload as ErrorObject }),
      };
    });
}

/** The messages of a server-sent-event stream, one per `next()`; undefined once it ends. */
function sseMessages(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next(): Promise<{ event: string; data: string } | undefined> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end !== -1) {
          const lines = buffer.slice(0, end).split("\n");
          buffer = buffer.slice(end + 2);
          const field = (name: string) =>
            lines
              .find((l) => l.startsWith(`${name}:`))
              ?.slice(name.length + 1)
              .trimStart();
          const data = field("data");
          if (data === undefined) continue; // a comment or a retry hint
          return { event: field("event") ?? "message", data };
        }
        const chunk = await reader.read();
        if (chunk.done) return undefined;
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
  };
}
