// The console's JSON/SSE routes against a recording ConsoleService with literal records (their real
// behaviour over a server, SQLite and workers is in tests/e2e/console-api.test.ts).
import type { ExecutionRecord } from "@dormouse/engine";
import type { ConsoleStreamMessage } from "@dormouse/protocol";
import { ExecutionChangeFeed, silentLogger } from "@dormouse/scheduler";
import type { ConsoleService, EventsPage, ExecutionDetail } from "@dormouse/scheduler";
import type { ListExecutionsQuery } from "@dormouse/store";
import { afterEach, describe, expect, it } from "vitest";
import { createApi } from "../app.js";
import {
  ARN,
  ENCODED_ARN,
  FUNCTIONS,
  T0,
  awsError,
  eventRecord,
  executionRecord,
  fakeService,
  stepRecord,
} from "../test-service.js";

const ZERO = { RUNNING: 0, SUCCEEDED: 0, FAILED: 0, TIMED_OUT: 0, STOPPED: 0 };

/** A ConsoleService over literal records whose change feed the test drives. */
function fakeConsole(overrides: Partial<ConsoleService> = {}) {
  const feed = new ExecutionChangeFeed(silentLogger);
  const calls: { method: string; args: unknown[] }[] = [];
  const listeners = { count: 0 };
  const running = executionRecord({
    invocation: {
      epoch: 2,
      requestId: "req-2",
      nonce: "c2VjcmV0LW5vbmNl",
      tokenSeq: 3,
      startedAt: T0 + 500,
      deadline: T0 + 60_500,
      progressed: true,
    },
    lastCheckpoint: {
      clientToken: "ct",
      requestToken: "secret-token",
      bodyHash: "h",
      at: T0,
      response: { NewExecutionState: { Operations: [] } },
    },
    dirty: ["x"],
    rev: 7,
    tenantId: "tenant-1",
    parent: { arn: "arn:parent", operationId: "op-9" },
  });
  const detail: ExecutionDetail = {
    execution: running,
    operations: [
      stepRecord({
        seq: 0,
        Id: "exec-op",
        Type: "EXECUTION",
        Name: undefined,
        SubType: undefined,
        StepDetails: undefined,
        ExecutionDetails: { InputPayload: '{"n":42}' },
        Status: "STARTED",
        EndTimestamp: undefined,
      }),
      stepRecord({
        seq: 1,
        StepDetails: { Attempt: 2, NextAttemptTimestamp: T0 + 5000, Result: '{"ok":true}' },
      }),
      stepRecord({
        seq: 2,
        Id: "cb",
        Name: "approval",
        Type: "CALLBACK",
        SubType: "Callback",
        Status: "STARTED",
        EndTimestamp: undefined,
        StepDetails: undefined,
        CallbackDetails: { CallbackId: "Q2FsbGJhY2s=" },
        heartbeatTimeoutSeconds: 30,
      }),
      stepRecord({
        seq: 3,
        Id: "w",
        Type: "WAIT",
        Name: "pause",
        SubType: "Wait",
        StepDetails: undefined,
        WaitDetails: { ScheduledEndTimestamp: T0 + 60_000 },
      }),
    ],
    invocations: [
      {
        number: 1,
        requestId: "req-1",
        startedAt: T0 + 10,
        endedAt: T0 + 400,
        error: { ErrorType: "Boom", ErrorMessage: "x" },
      },
      { number: 2, requestId: "req-2", startedAt: T0 + 500 },
    ],
    eventCount: 12,
  };
  const service: ConsoleService = {
    onExecutionChange(listener) {
      listeners.count++;
      const off = feed.onExecutionChange(listener);
      return () => {
        listeners.count--;
        off();
      };
    },
    listFunctions: async () => [
      {
        summary: FUNCTIONS[0]!,
        versions: ["$LATEST", "1"],
        aliases: [{ name: "live", version: "1" }],
        counts: { ...ZERO, RUNNING: 2, FAILED: 1 },
      },
      { summary: FUNCTIONS[1]!, versions: ["$LATEST"], aliases: [], counts: ZERO },
    ],
    listExecutions: async () => ({
      items: [running, executionRecord({ status: "SUCCEEDED", endedAt: T0 + 9, result: "1" })],
      next: "page-2",
    }),
    getExecutionDetail: async (arn) => {
      if (arn !== ARN)
        throw Object.assign(new Error(`Durable execution not found: ${arn}`), {
          awsName: "ResourceNotFoundException",
        });
      return detail;
    },
    getEvents: async (): Promise<EventsPage> => ({
      events: [
        eventRecord({ eventId: 4 }),
        eventRecord({
          eventId: 5,
          type: "InvocationCompleted",
          operationId: undefined,
          name: undefined,
          subType: undefined,
          details: {
            StartTimestamp: (T0 + 10) / 1000,
            EndTimestamp: (T0 + 400) / 1000,
            RequestId: "req-1",
            Error: null,
          },
        }),
        eventRecord({
          eventId: 6,
          type: "WaitStarted",
          details: { Duration: 60, ScheduledEndTimestamp: (T0 + 60_123) / 1000 },
        }),
      ],
      nextAfterEventId: 6,
    }),
  };
  for (const [name, fn] of Object.entries({ ...service, ...overrides })) {
    (service as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      calls.push({ method: name, args });
      return (fn as (...a: unknown[]) => unknown)(...args);
    };
  }
  return { service, feed, calls, listeners, running };
}

const apps: ReturnType<typeof createApi>[] = [];
function setup(overrides: Partial<ConsoleService> = {}, pingIntervalMs?: number) {
  const fake = fakeConsole(overrides);
  const app = createApi({
    service: fakeService(),
    console: fake.service,
    ...(pingIntervalMs !== undefined && { consoleRoutes: { pingIntervalMs } }),
  });
  apps.push(app);
  return { ...fake, app };
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

const get = async (app: ReturnType<typeof createApi>, url: string) => {
  const res = await app.inject({ method: "GET", url });
  return { res, body: JSON.parse(res.body) as Record<string, unknown> };
};

describe("GET /console-api/functions", () => {
  it("lists functions with versions, aliases and counts", async () => {
    const { app } = setup();
    const { res, body } = await get(app, "/console-api/functions");
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(body).toEqual({
      functions: [
        {
          name: "orders",
          durable: true,
          runtime: "nodejs20.x",
          handler: "index.handler",
          timeoutSeconds: 60,
          memoryMb: 256,
          executionTimeoutSeconds: 3600,
          retentionDays: 14,
          versions: ["$LATEST", "1"],
          aliases: [{ name: "live", version: "1" }],
          counts: { ...ZERO, RUNNING: 2, FAILED: 1 },
        },
        {
          name: "plain",
          durable: false,
          runtime: "nodejs20.x",
          handler: "plain.handler",
          timeoutSeconds: 3,
          memoryMb: 128,
          versions: ["$LATEST"],
          aliases: [],
          counts: ZERO,
        },
      ],
    });
  });

  it("is not served without a console service", async () => {
    const app = createApi({ service: fakeService() });
    apps.push(app);
    const res = await app.inject({ method: "GET", url: "/console-api/functions" });
    expect(awsError(res)).toMatchObject({ status: 404, name: "UnknownOperationException" });
  });
});

describe("GET /console-api/executions", () => {
  it("returns summaries in ms and the next cursor", async () => {
    const { app, calls } = setup();
    const { res, body } = await get(app, "/console-api/executions");
    expect(res.statusCode).toBe(200);
    expect(calls).toEqual([{ method: "listExecutions", args: [{ limit: 50 }] }]);
    expect(body).toEqual({
      executions: [
        {
          arn: ARN,
          name: "order-42",
          functionName: "orders",
          version: "$LATEST",
          status: "RUNNING",
          startedAt: T0,
        },
        {
          arn: ARN,
          name: "order-42",
          functionName: "orders",
          version: "$LATEST",
          status: "SUCCEEDED",
          startedAt: T0,
          endedAt: T0 + 9,
        },
      ],
      next: "page-2",
    });
  });

  it.each<[string, ListExecutionsQuery]>([
    ["function=orders", { limit: 50, functionName: "orders" }],
    ["function=orders%3A2", { limit: 50, functionName: "orders", version: "2" }],
    ["status=FAILED&status=RUNNING&status=FAILED", { limit: 50, statuses: ["FAILED", "RUNNING"] }],
    ["status=STOPPED", { limit: 50, statuses: ["STOPPED"] }],
    ["q=order-", { limit: 50, namePrefix: "order-" }],
    ["q=%20%20", { limit: 50 }],
    [`q=${ENCODED_ARN}`, { limit: 50, arn: ARN }],
    [
      "startedAfter=1700000000000&startedBefore=1700000000999",
      { limit: 50, startedAfter: 1700000000000, startedBefore: 1700000000999 },
    ],
    ["cursor=abc%2Bdef&limit=7", { limit: 7, cursor: "abc+def" }],
    ["cursor=&limit=1000", { limit: 1000 }],
  ])("maps ?%s to the query", async (qs, expected) => {
    const { app, calls } = setup();
    const res = await app.inject({ method: "GET", url: `/console-api/executions?${qs}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(calls[0]!.args[0]).toEqual(expected);
  });

  it.each([
    ["limit=0", "limit: must be an integer from 1 to 1000"],
    ["limit=1001", "limit: must be an integer from 1 to 1000"],
    ["status=DONE", "status[0]: must be one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED"],
    ["startedAfter=yesterday", "startedAfter: must be a time in epoch milliseconds (digits only)"],
    ["function=", "function: must not be empty"],
    ["q=" + "x".repeat(1025), "q: must be at most 1024 characters"],
    ["limit=%ZZ", 'Query parameter "limit" has malformed percent-encoding'],
  ])("rejects ?%s naming the field", async (qs, message) => {
    const { app, calls } = setup();
    const res = await app.inject({ method: "GET", url: `/console-api/executions?${qs}` });
    expect(awsError(res)).toEqual({
      status: 400,
      name: "InvalidParameterValueException",
      type: "User",
      message,
    });
    expect(calls).toEqual([]);
  });
});

describe("GET /console-api/executions/:arn", () => {
  it("returns the detail in ms, every operation with its seq, nothing internal", async () => {
    const { app, calls } = setup();
    const { res, body } = await get(app, `/console-api/executions/${ENCODED_ARN}`);
    expect(res.statusCode).toBe(200);
    expect(calls).toEqual([{ method: "getExecutionDetail", args: [ARN] }]);
    expect(body.execution).toEqual({
      arn: ARN,
      name: "order-42",
      functionName: "orders",
      version: "$LATEST",
      status: "RUNNING",
      startedAt: T0,
      input: '{"n":42}',
      executionTimeoutSeconds: 3600,
      retentionDays: 14,
      tenantId: "tenant-1",
      parent: { arn: "arn:parent", operationId: "op-9" },
    });
    expect(body.operations).toEqual([
      {
        seq: 0,
        Id: "exec-op",
        Type: "EXECUTION",
        Status: "STARTED",
        StartTimestamp: T0 + 51,
        ExecutionDetails: { InputPayload: '{"n":42}' },
      },
      {
        seq: 1,
        Id: "c4ca4238a0b92382",
        Name: "validate",
        Type: "STEP",
        SubType: "Step",
        Status: "SUCCEEDED",
        StartTimestamp: T0 + 51,
        EndTimestamp: T0 + 51,
        StepDetails: { Attempt: 2, NextAttemptTimestamp: T0 + 5000, Result: '{"ok":true}' },
      },
      {
        seq: 2,
        Id: "cb",
        Name: "approval",
        Type: "CALLBACK",
        SubType: "Callback",
        Status: "STARTED",
        StartTimestamp: T0 + 51,
        CallbackDetails: { CallbackId: "Q2FsbGJhY2s=" },
      },
      {
        seq: 3,
        Id: "w",
        Name: "pause",
        Type: "WAIT",
        SubType: "Wait",
        Status: "SUCCEEDED",
        StartTimestamp: T0 + 51,
        EndTimestamp: T0 + 51,
        WaitDetails: { ScheduledEndTimestamp: T0 + 60_000 },
      },
    ]);
    expect(body.invocations).toEqual([
      {
        number: 1,
        requestId: "req-1",
        startedAt: T0 + 10,
        endedAt: T0 + 400,
        error: { ErrorType: "Boom", ErrorMessage: "x" },
      },
      { number: 2, requestId: "req-2", startedAt: T0 + 500 },
    ]);
    expect(body.eventCount).toBe(12);
    for (const secret of [
      "c2VjcmV0LW5vbmNl",
      "secret-token",
      "lastCheckpoint",
      "rev",
      "dirty",
      "heartbeat",
      "nonce",
      "epoch",
    ]) {
      expect(res.body).not.toContain(secret);
    }
  });

  it("shows the result of a succeeded and the error of a failed execution", async () => {
    const succeeded = executionRecord({ status: "SUCCEEDED", endedAt: T0 + 9, result: '"done"' });
    const failed = executionRecord({
      status: "FAILED",
      endedAt: T0 + 9,
      error: { ErrorType: "E", ErrorMessage: "m", StackTrace: ["a"] },
    });
    for (const [execution, extra] of [
      [succeeded, { result: '"done"' }],
      [failed, { error: { ErrorType: "E", ErrorMessage: "m", StackTrace: ["a"] } }],
    ] as const) {
      const { app } = setup({
        getExecutionDetail: async () => ({ execution, operations: [], invocations: [], eventCount: 3 }),
      });
      const { body } = await get(app, `/console-api/executions/${ENCODED_ARN}`);
      expect(body.execution).toEqual({
        arn: ARN,
        name: "order-42",
        functionName: "orders",
        version: "$LATEST",
        status: execution.status,
        startedAt: T0,
        endedAt: T0 + 9,
        input: '{"n":42}',
        executionTimeoutSeconds: 3600,
        retentionDays: 14,
        ...extra,
      });
    }
  });

  it("answers 404 for an unknown execution and 400 for what is not an execution ARN", async () => {
    const { app } = setup();
    const other = ARN.replace("order-42", "other");
    const missing = await app.inject({
      method: "GET",
      url: `/console-api/executions/${encodeURIComponent(other)}`,
    });
    expect(awsError(missing)).toEqual({
      status: 404,
      name: "ResourceNotFoundException",
      type: "User",
      message: `Durable execution not found: ${other}`,
    });
    const bad = await app.inject({ method: "GET", url: "/console-api/executions/not-an-arn/events" });
    expect(awsError(bad)).toMatchObject({ status: 400, name: "InvalidParameterValueException" });
    expect(awsError(bad).message).toMatch(/^arn: must be a durable execution ARN/);
  });
});

describe("GET /console-api/executions/:arn/events", () => {
  it("pages events with ms timestamps, also inside the details", async () => {
    const { app, calls } = setup();
    const { res, body } = await get(app, `/console-api/executions/${ENCODED_ARN}/events?after=3&limit=3`);
    expect(res.statusCode).toBe(200);
    expect(calls).toEqual([{ method: "getEvents", args: [ARN, { afterEventId: 3, limit: 3 }] }]);
    expect(body).toEqual({
      events: [
        {
          eventId: 4,
          type: "StepSucceeded",
          timestamp: T0 + 51,
          operationId: "c4ca4238a0b92382",
          name: "validate",
          subType: "Step",
          details: {
            Result: { Payload: '{"ok":true}', Truncated: false },
            RetryDetails: { CurrentAttempt: 1 },
          },
        },
        {
          eventId: 5,
          type: "InvocationCompleted",
          timestamp: T0 + 51,
          details: { StartTimestamp: T0 + 10, EndTimestamp: T0 + 400, RequestId: "req-1" },
        },
        {
          eventId: 6,
          type: "WaitStarted",
          timestamp: T0 + 51,
          operationId: "c4ca4238a0b92382",
          name: "validate",
          subType: "Step",
          details: { Duration: 60, ScheduledEndTimestamp: T0 + 60_123 },
        },
      ],
      next: "6",
    });
  });

  it("defaults to 100 events from the start and validates its parameters", async () => {
    const { app, calls } = setup();
    await app.inject({ method: "GET", url: `/console-api/executions/${ENCODED_ARN}/events` });
    expect(calls[0]!.args).toEqual([ARN, { limit: 100 }]);
    const bad = await app.inject({
      method: "GET",
      url: `/console-api/executions/${ENCODED_ARN}/events?after=-1`,
    });
    expect(awsError(bad)).toMatchObject({ status: 400, message: "after: must be an event id (digits only)" });
  });
});

/** Reads a server-sent-event stream: each `next()` resolves with the next complete event. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next(): Promise<{ event: string; data: string } | undefined> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split("\n")
              .filter((line) => !line.startsWith(":") && line.includes(":"))
              .map((line) => [
                line.slice(0, line.indexOf(":")),
                line.slice(line.indexOf(":") + 1).trimStart(),
              ]),
          );
          if (fields.event === undefined && fields.data === undefined) continue; // retry / comment only
          return { event: fields.event ?? "message", data: fields.data ?? "" };
        }
        const chunk = await reader.read();
        if (chunk.done) return undefined;
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

describe("GET /console-api/stream", () => {
  it("streams a summary per change, pings, and unsubscribes when the client leaves", async () => {
    const { app, feed, listeners, running } = setup({}, 50);
    const base = await app.listen({ port: 0, host: "127.0.0.1" });
    const abort = new AbortController();
    const res = await fetch(`${base}/console-api/stream`, { signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(listeners.count).toBe(1);
    const events = sseReader(res.body!);

    const done: ExecutionRecord = { ...running, status: "SUCCEEDED", endedAt: T0 + 999 };
    feed.publish(running);
    feed.publish(done); // same tick, same execution: coalesced into one message
    let message = await events.next();
    while (message?.event === "ping") message = await events.next();
    const expected: ConsoleStreamMessage = {
      event: "execution",
      data: {
        arn: ARN,
        name: "order-42",
        functionName: "orders",
        version: "$LATEST",
        status: "SUCCEEDED",
        startedAt: T0,
        endedAt: T0 + 999,
      },
    };
    expect({ event: message!.event, data: JSON.parse(message!.data) }).toEqual(expected);

    let ping = await events.next();
    while (ping?.event !== "ping") ping = await events.next();
    expect(ping.data).toBe("{}");

    abort.abort();
    await events.cancel().catch(() => undefined);
    await expect.poll(() => listeners.count).toBe(0);
  });

  it("answers HEAD without opening a stream", async () => {
    const { app, listeners } = setup();
    const res = await app.inject({ method: "HEAD", url: "/console-api/stream" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(listeners.count).toBe(0);
  });

  it("ends open streams when the server closes", async () => {
    const { app, listeners } = setup();
    const base = await app.listen({ port: 0, host: "127.0.0.1" });
    const res = await fetch(`${base}/console-api/stream`);
    const events = sseReader(res.body!);
    const ended = events.next();
    await app.close();
    await expect(ended).resolves.toBeUndefined();
    expect(listeners.count).toBe(0);
  });
});
