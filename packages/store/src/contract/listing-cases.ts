// Contract cases for the console's read side: executions of all functions, name prefixes and ARNs,
// counts by status, and history filtered by event type.
import type { ExecutionRecord } from "@dormouse/engine";
import { expect, it } from "vitest";
import type { ListExecutionsQuery, Store } from "../store.js";
import { T0, createDecision, eventRecord, executionRecord, updateDecision } from "./fixtures.js";
import type { ContractHarness } from "./store-contract.js";

export function listingCases(h: ContractHarness): void {
  it("lists the executions of all functions, newest first, with every filter, through cursors", async () => {
    const { store } = await h.open();
    // [name, function, started (T0 +), version, status]; b-1 and a_1 start in the same millisecond.
    const rows: [string, string, number, string, ExecutionRecord["status"]][] = [
      ["order-1", "orders", 1, "$LATEST", "SUCCEEDED"],
      ["order-2", "orders", 2, "1", "RUNNING"],
      ["a_1", "billing", 3, "$LATEST", "FAILED"],
      ["b-1", "billing", 3, "$LATEST", "RUNNING"],
      ["abc", "billing", 4, "$LATEST", "RUNNING"],
      ["Order-3", "mail", 5, "$LATEST", "STOPPED"],
      ["order-10", "mail", 6, "2", "TIMED_OUT"],
    ];
    const byName = new Map<string, ExecutionRecord>();
    for (const [name, functionName, at, version, status] of rows) {
      const e = executionRecord({ name, functionName, startedAt: T0 + at, version, status });
      byName.set(name, e);
      await store.commit(createDecision(e));
    }
    const list = (q: Partial<ListExecutionsQuery> = {}) => listAll(store, { limit: 3, ...q });

    // Ties on startedAt are broken by arn, the same way in both directions.
    const [tieFirst, tieSecond] = [byName.get("a_1")!, byName.get("b-1")!]
      .sort((x, y) => (x.arn < y.arn ? -1 : 1))
      .map((e) => e.name);
    expect(await list()).toEqual([
      ["order-10", "Order-3", "abc"],
      [tieSecond, tieFirst, "order-2"],
      ["order-1"],
    ]);
    expect(await list({ oldestFirst: true, limit: 100 })).toEqual([
      ["order-1", "order-2", tieFirst, tieSecond, "abc", "Order-3", "order-10"],
    ]);
    expect(await list({ statuses: ["RUNNING"] })).toEqual([["abc", "b-1", "order-2"]]);
    expect(await list({ statuses: ["FAILED", "TIMED_OUT", "STOPPED"], limit: 2 })).toEqual([
      ["order-10", "Order-3"],
      ["a_1"],
    ]);
    expect(await list({ startedAfter: T0 + 2, startedBefore: T0 + 5 })).toEqual([
      ["abc", tieSecond, tieFirst],
    ]);
    expect(await list({ version: "$LATEST", statuses: ["RUNNING"] })).toEqual([["abc", "b-1"]]);

    // Name prefixes are exact and case-sensitive: `_` and `-` are not wildcards.
    expect(await list({ namePrefix: "order-" })).toEqual([["order-10", "order-2", "order-1"]]);
    expect(await list({ namePrefix: "order-1" })).toEqual([["order-10", "order-1"]]);
    expect(await list({ namePrefix: "Order" })).toEqual([["Order-3"]]);
    expect(await list({ namePrefix: "a_" })).toEqual([["a_1"]]);
    expect(await list({ namePrefix: "a%" })).toEqual([[]]);
    expect(await list({ namePrefix: "order-10-and-more" })).toEqual([[]]);
    expect(await list({ namePrefix: "", limit: 100 })).toHaveLength(1);
    expect((await list({ namePrefix: "", limit: 100 }))[0]).toHaveLength(rows.length);
    expect(await list({ namePrefix: "order", functionName: "mail" })).toEqual([["order-10"]]);

    // An ARN finds exactly its execution, and combines with the other filters.
    const arn = byName.get("abc")!.arn;
    const found = await store.listExecutions({ arn, limit: 10 });
    expect(found).toStrictEqual({ items: [byName.get("abc")] });
    expect(await list({ arn, statuses: ["FAILED"] })).toEqual([[]]);
    expect(await list({ arn, functionName: "orders" })).toEqual([[]]);
    expect(await list({ arn: `${arn}-missing` })).toEqual([[]]);
  });

  it("lists 10,000 executions of many functions page by page, each row exactly once", async () => {
    const { store } = await h.open();
    const functions = ["a", "b", "c", "d"];
    const total = 10_000;
    await Promise.all(
      Array.from({ length: total }, (_, i) =>
        store.commit(
          createDecision(
            executionRecord({
              name: `e-${i}`,
              functionName: functions[i % functions.length]!,
              // Ten executions per millisecond: paging must order ties by arn.
              startedAt: T0 + Math.floor(i / 10),
              status: i % 3 === 0 ? "SUCCEEDED" : "RUNNING",
            }),
          ),
        ),
      ),
    );
    const started = performance.now();
    const seen = new Set<string>();
    let previous: ExecutionRecord | undefined;
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.listExecutions({
        limit: 500,
        statuses: ["RUNNING"],
        ...(cursor && { cursor }),
      });
      for (const e of page.items) {
        expect(seen.has(e.arn)).toBe(false);
        seen.add(e.arn);
        if (previous) {
          const ordered =
            e.startedAt < previous.startedAt || (e.startedAt === previous.startedAt && e.arn < previous.arn);
          expect(ordered).toBe(true);
        }
        previous = e;
      }
      cursor = page.next;
      pages++;
    } while (cursor !== undefined);
    const elapsed = performance.now() - started;
    expect(seen.size).toBe(total - Math.ceil(total / 3));
    expect(pages).toBe(Math.ceil(seen.size / 500));
    // Generous: an unindexed sort per page would still pass on a fast machine, but not by much.
    expect(elapsed).toBeLessThan(5_000);

    const counts = await store.countByStatus();
    expect([...counts.keys()].sort()).toEqual(functions);
    expect(counts.get("a")).toEqual({ RUNNING: 1666, SUCCEEDED: 834, FAILED: 0, TIMED_OUT: 0, STOPPED: 0 });
  });

  it("counts executions by status per function, every status present", async () => {
    const { store } = await h.open();
    expect(await store.countByStatus()).toEqual(new Map());

    const running = executionRecord({ name: "r1" });
    await store.commit(createDecision(running));
    await store.commit(createDecision(executionRecord({ name: "r2" })));
    await store.commit(createDecision(executionRecord({ name: "f1", status: "FAILED" })));
    await store.commit(
      createDecision(executionRecord({ name: "x", functionName: "billing", status: "STOPPED" })),
    );
    const zero = { RUNNING: 0, SUCCEEDED: 0, FAILED: 0, TIMED_OUT: 0, STOPPED: 0 };
    expect(await store.countByStatus()).toEqual(
      new Map([
        ["orders", { ...zero, RUNNING: 2, FAILED: 1 }],
        ["billing", { ...zero, STOPPED: 1 }],
      ]),
    );

    const done = updateDecision(running, { status: "SUCCEEDED", endedAt: T0 + 5 });
    await store.commit(done);
    await store.commit({ ...updateDecision(done.execution), purge: true });
    expect((await store.countByStatus()).get("orders")).toEqual({ ...zero, RUNNING: 1, FAILED: 1 });
  });

  it("filters history by event type, in both directions and with bounds", async () => {
    const { store } = await h.open();
    const e = executionRecord({ name: "typed" });
    const types = [
      "ExecutionStarted",
      "InvocationCompleted",
      "StepStarted",
      "StepSucceeded",
      "InvocationCompleted",
      "WaitStarted",
      "InvocationCompleted",
    ] as const;
    const events = types.map((type, i) => eventRecord(i + 1, { type }));
    await store.commit(createDecision(e, { events }));
    const other = executionRecord({ name: "untyped" });
    await store.commit(createDecision(other, { events: [eventRecord(1, { type: "InvocationCompleted" })] }));

    const ids = async (q: Parameters<Store["history"]>[1]) =>
      (await store.history(e.arn, q)).map((x) => x.eventId);
    const invocations = ["InvocationCompleted" as const];
    expect(await store.history(e.arn, { types: invocations, reverse: false, limit: 10 })).toStrictEqual([
      events[1],
      events[4],
      events[6],
    ]);
    expect(await ids({ types: invocations, reverse: true, limit: 2 })).toEqual([7, 5]);
    expect(await ids({ types: invocations, afterEventId: 2, reverse: false, limit: 10 })).toEqual([5, 7]);
    expect(await ids({ types: invocations, beforeEventId: 5, reverse: true, limit: 10 })).toEqual([2]);
    expect(await ids({ types: ["StepStarted", "WaitStarted"], reverse: false, limit: 10 })).toEqual([3, 6]);
    expect(await ids({ types: [], reverse: false, limit: 10 })).toEqual([]);
  });
}

/** Names on each page, following `next` until it is absent. */
async function listAll(store: Store, query: ListExecutionsQuery): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listExecutions({ ...query, ...(cursor !== undefined && { cursor }) });
    pages.push(page.items.map((e) => e.name));
    cursor = page.next;
    if (pages.length > 20) throw new Error("listExecutions does not stop paging");
  } while (cursor !== undefined);
  return pages;
}
