// Paging through GetDurableExecutionHistory (spec §7.3) and ListDurableExecutionsByFunction (§7.4).
// The listing tests use `listed`, a function no other test of this file starts.
import {
  GetDurableExecutionHistoryCommand,
  InvokeCommand,
  ListDurableExecutionsByFunctionCommand,
  SendDurableExecutionCallbackFailureCommand,
  SendDurableExecutionCallbackSuccessCommand,
  StopDurableExecutionCommand,
} from "@aws-sdk/client-lambda";
import type { Event, ListDurableExecutionsByFunctionCommandInput } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "../support/harness.js";
import type { TestServer } from "../support/harness.js";
import {
  callbackIdOf,
  executionPath,
  expectAwsError,
  finished,
  getExecution,
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

const page = (arn: string, opts: { max: number; marker?: string; reverse?: boolean }) =>
  t.client.send(
    new GetDurableExecutionHistoryCommand({
      DurableExecutionArn: arn,
      MaxItems: opts.max,
      ...(opts.marker !== undefined ? { Marker: opts.marker } : {}),
      ...(opts.reverse ? { ReverseOrder: true } : {}),
    }),
  );

/** Follows NextMarker to the end; returns the pages and the marker that fetched each page. */
async function allPages(arn: string, max: number, reverse = false, from?: string) {
  const pages: { marker: string | undefined; events: Event[] }[] = [];
  let marker = from;
  for (;;) {
    const p = await page(arn, { max, reverse, ...(marker !== undefined ? { marker } : {}) });
    pages.push({ marker, events: p.Events ?? [] });
    if (!p.NextMarker) return pages;
    expect(p.Events).toHaveLength(max);
    marker = p.NextMarker;
  }
}

const ids = (events: Event[]) => events.map((e) => e.EventId);

describe.concurrent("GetDurableExecutionHistory paging", () => {
  it("pages forward and backward with MaxItems, and a marker can be re-read", async () => {
    const out = await t.client.send(new InvokeCommand({ FunctionName: "steps", Payload: "{}" }));
    const arn = out.DurableExecutionArn!;
    const { events } = await finished(t.client, arn);
    expect(events.length).toBeGreaterThan(7);

    const forward = await allPages(arn, 3);
    expect(forward.length).toBe(Math.ceil(events.length / 3));
    expect(ids(forward.flatMap((p) => p.events))).toEqual(ids(events));
    const again = await page(arn, { max: 3, marker: forward[1]!.marker! });
    expect(again.Events).toEqual(forward[1]!.events);

    const backward = await allPages(arn, 4, true);
    expect(ids(backward.flatMap((p) => p.events))).toEqual(ids(events).reverse());

    // MaxItems 0 means the default page size (100), which holds this whole history.
    const all = await raw(t.url, "GET", executionPath(arn, "/history?MaxItems=0"));
    expect((all.json!.Events as unknown[]).length).toBe(events.length);
    expect(all.json).not.toHaveProperty("NextMarker");
  });

  it("drops payloads with IncludeExecutionData=false but keeps the wrappers", async () => {
    const out = await t.client.send(new InvokeCommand({ FunctionName: "steps", Payload: '{"n":4}' }));
    await finished(t.client, out.DurableExecutionArn!);
    const res = await raw(
      t.url,
      "GET",
      executionPath(out.DurableExecutionArn!, "/history?IncludeExecutionData=false"),
    );
    const events = res.json!.Events as Record<string, Record<string, Record<string, unknown>>>[];
    expect(events[0]!.ExecutionStartedDetails).toEqual({
      Input: { Truncated: false },
      ExecutionTimeout: 600,
    });
    const last = events.at(-1)!;
    expect(last.ExecutionSucceededDetails).toEqual({ Result: { Truncated: false } });
    expect(JSON.stringify(events)).not.toContain('"Payload"');
  });

  it("re-reading the last page of a running execution returns the same events, then the new ones", async () => {
    const running = await startAsync(t.client, "callbacks", {});
    const callbackId = await callbackIdOf(t.client, running);
    const before = await allPages(running, 2);
    const last = before.at(-1)!;
    const seen = before.flatMap((p) => p.events);

    await t.client.send(
      new SendDurableExecutionCallbackSuccessCommand({
        CallbackId: callbackId,
        Result: new TextEncoder().encode("1"),
      }),
    );
    const { events } = await finished(t.client, running);
    // What the official cloud runner does: poll again from the marker of the last page it read.
    const after = await allPages(running, 2, false, last.marker);
    const tail = after.flatMap((p) => p.events);
    expect(tail.slice(0, last.events.length)).toEqual(last.events);
    expect(ids([...seen.slice(0, seen.length - last.events.length), ...tail])).toEqual(ids(events));
  });
});

describe("ListDurableExecutionsByFunction", () => {
  const started: { arn: string; name: string; at: number }[] = [];
  const list = async (input: Omit<ListDurableExecutionsByFunctionCommandInput, "FunctionName"> = {}) =>
    (await t.client.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: "listed", ...input })))
      .DurableExecutions ?? [];
  const names = (items: { DurableExecutionName?: string }[]) => items.map((e) => e.DurableExecutionName);
  const midpoint = (a: number, b: number) => new Date(Math.floor((a + b) / 2));

  beforeAll(async () => {
    // Four executions of `listed`, started one after another, ending SUCCEEDED, FAILED, STOPPED,
    // and one left RUNNING.
    for (const name of ["list-1", "list-2", "list-3", "list-4"]) {
      const arn = await startAsync(t.client, "listed", {}, name);
      const callbackId = await callbackIdOf(t.client, arn);
      started.push({ arn, name, at: (await getExecution(t.client, arn)).StartTimestamp!.getTime() });
      if (name === "list-1") {
        await t.client.send(
          new SendDurableExecutionCallbackSuccessCommand({
            CallbackId: callbackId,
            Result: new Uint8Array(),
          }),
        );
      } else if (name === "list-2") {
        await t.client.send(
          new SendDurableExecutionCallbackFailureCommand({ CallbackId: callbackId, Error: {} }),
        );
      } else if (name === "list-3") {
        await t.client.send(new StopDurableExecutionCommand({ DurableExecutionArn: arn }));
      }
    }
    for (const s of started.slice(0, 3)) await finished(t.client, s.arn);
  });

  it("lists newest first by default and oldest first with ReverseOrder", async () => {
    const items = await list();
    expect(names(items)).toEqual(["list-4", "list-3", "list-2", "list-1"]);
    expect(items.map((e) => e.Status)).toEqual(["RUNNING", "STOPPED", "FAILED", "SUCCEEDED"]);
    expect(items[0]).toMatchObject({
      DurableExecutionArn: started[3]!.arn,
      FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:listed:$LATEST",
    });
    expect(items[0]!.EndTimestamp).toBeUndefined();
    for (const e of items.slice(1)) expect(e.EndTimestamp).toBeInstanceOf(Date);
    expect(names(await list({ ReverseOrder: true }))).toEqual(["list-1", "list-2", "list-3", "list-4"]);
  });

  it("filters by status (several values), by name, and by start time", async () => {
    expect(names(await list({ Statuses: ["SUCCEEDED", "FAILED"] }))).toEqual(["list-2", "list-1"]);
    expect(names(await list({ Statuses: ["RUNNING"] }))).toEqual(["list-4"]);
    expect(names(await list({ Statuses: ["TIMED_OUT"] }))).toEqual([]);
    expect(names(await list({ DurableExecutionName: "list-3" }))).toEqual(["list-3"]);
    expect(names(await list({ DurableExecutionName: "list-3", Statuses: ["RUNNING"] }))).toEqual([]);
    const [a, b, c, d] = started.map((s) => s.at) as [number, number, number, number];
    expect(names(await list({ StartedAfter: midpoint(a, b), StartedBefore: midpoint(c, d) }))).toEqual([
      "list-3",
      "list-2",
    ]);
    expect(names(await list({ StartedAfter: midpoint(c, d) }))).toEqual(["list-4"]);
    expect(names(await list({ StartedBefore: midpoint(a, b), ReverseOrder: true }))).toEqual(["list-1"]);
    // The same filters on the wire: repeated Statuses keys and ISO-8601 dates.
    const res = await raw(
      t.url,
      "GET",
      `/2025-12-01/functions/listed/durable-executions?Statuses=STOPPED&Statuses=RUNNING&StartedAfter=${encodeURIComponent(midpoint(a, b).toISOString())}`,
    );
    expect(res.status).toBe(200);
    const wire = res.json!.DurableExecutions as Record<string, unknown>[];
    expect(wire.map((e) => e.DurableExecutionName)).toEqual(["list-4", "list-3"]);
    expect(typeof wire[0]!.StartTimestamp).toBe("number");
  });

  it("pages with MaxItems and NextMarker in both orders", async () => {
    for (const [reverse, expected] of [
      [false, ["list-4", "list-3", "list-2", "list-1"]],
      [true, ["list-1", "list-2", "list-3", "list-4"]],
    ] as const) {
      const seen: (string | undefined)[] = [];
      let marker: string | undefined;
      let pages = 0;
      do {
        const out = await t.client.send(
          new ListDurableExecutionsByFunctionCommand({
            FunctionName: "listed",
            MaxItems: 3,
            ReverseOrder: reverse,
            ...(marker !== undefined ? { Marker: marker } : {}),
          }),
        );
        seen.push(...names(out.DurableExecutions ?? []));
        marker = out.NextMarker;
        pages++;
      } while (marker);
      expect(seen).toEqual(expected);
      expect(pages).toBe(2);
    }
  });

  it("answers an unknown function with 404", async () => {
    expect(
      await sdkError(t.client.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: "nope" }))),
    ).toMatchObject({
      name: "ResourceNotFoundException",
      status: 404,
    });
    expectAwsError(
      await raw(t.url, "GET", "/2025-12-01/functions/nope/durable-executions"),
      404,
      "ResourceNotFoundException",
    );
  });
});
