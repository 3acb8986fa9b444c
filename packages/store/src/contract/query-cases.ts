// Contract cases for the read side: history paging, listing executions, due work.
import type { DueWork, ExecutionRecord } from "@dormouse/engine";
import { expect, it } from "vitest";
import type { ListExecutionsQuery, Store } from "../store.js";
import { T0, createDecision, eventRecord, executionRecord, updateDecision } from "./fixtures.js";
import type { ContractHarness } from "./store-contract.js";

export function queryCases(h: ContractHarness): void {
  it("pages history forwards and backwards, per execution", async () => {
    const { store } = await h.open();
    const e = executionRecord({ name: "hist" });
    const events = [
      eventRecord(1, { type: "ExecutionStarted", details: { Input: { Payload: "" } } }),
      eventRecord(2, { operationId: "s", name: "", subType: "Step", parentId: "p", details: {} }),
      ...Array.from({ length: 8 }, (_, i) =>
        eventRecord(i + 3, { details: { Result: { Payload: `r${i}`, Truncated: false } } }),
      ),
    ];
    await store.commit(createDecision(e, { events: events.slice(0, 3) }));
    await store.commit(updateDecision(e, {}, { events: events.slice(3) }));
    const other = executionRecord({ name: "other" });
    await store.commit(createDecision(other, { events: [eventRecord(1), eventRecord(2)] }));

    const ids = async (q: {
      afterEventId?: number;
      beforeEventId?: number;
      reverse: boolean;
      limit: number;
    }) => (await store.history(e.arn, q)).map((ev) => ev.eventId);
    expect(await store.history(e.arn, { reverse: false, limit: 100 })).toStrictEqual(events);
    expect(await ids({ reverse: false, limit: 3 })).toEqual([1, 2, 3]);
    expect(await ids({ afterEventId: 3, reverse: false, limit: 3 })).toEqual([4, 5, 6]);
    expect(await ids({ afterEventId: 9, reverse: false, limit: 3 })).toEqual([10]);
    expect(await ids({ afterEventId: 10, reverse: false, limit: 3 })).toEqual([]);
    expect(await ids({ reverse: true, limit: 3 })).toEqual([10, 9, 8]);
    expect(await ids({ beforeEventId: 8, reverse: true, limit: 3 })).toEqual([7, 6, 5]);
    expect(await ids({ beforeEventId: 2, reverse: true, limit: 3 })).toEqual([1]);
    expect(await ids({ beforeEventId: 1, reverse: true, limit: 3 })).toEqual([]);
    expect(await store.history("arn:unknown", { reverse: false, limit: 10 })).toEqual([]);
  });

  it("lists executions with filters, newest first or oldest first, through cursors", async () => {
    const { store } = await h.open();
    // b and f start in the same millisecond: the arn breaks the tie, and cursors must not skip one.
    const rows: [string, number, string, ExecutionRecord["status"]][] = [
      ["a", 1, "1", "RUNNING"],
      ["b", 2, "1", "SUCCEEDED"],
      ["f", 2, "1", "RUNNING"],
      ["c", 3, "2", "FAILED"],
      ["d", 4, "$LATEST", "RUNNING"],
      ["e", 5, "2", "STOPPED"],
    ];
    for (const [name, at, version, status] of rows) {
      await store.commit(createDecision(executionRecord({ name, startedAt: T0 + at, version, status })));
    }
    await store.commit(
      createDecision(executionRecord({ name: "x", functionName: "billing", startedAt: T0 + 6 })),
    );

    const list = (q: Partial<ListExecutionsQuery> = {}) =>
      listAll(store, { functionName: "orders", limit: 2, ...q });
    expect(await list()).toEqual([
      ["e", "d"],
      ["c", "f"],
      ["b", "a"],
    ]);
    expect(await list({ oldestFirst: true, limit: 4 })).toEqual([
      ["a", "b", "f", "c"],
      ["d", "e"],
    ]);
    expect(await list({ limit: 100 })).toEqual([["e", "d", "c", "f", "b", "a"]]);
    expect(await list({ version: "1", limit: 1 })).toEqual([["f"], ["b"], ["a"]]);
    expect(await list({ statuses: ["RUNNING"] })).toEqual([["d", "f"], ["a"]]);
    expect(await list({ statuses: ["FAILED", "STOPPED"] })).toEqual([["e", "c"]]);
    expect(await list({ name: "c" })).toEqual([["c"]]);
    expect(await list({ startedAfter: T0 + 2 })).toEqual([["e", "d"], ["c"]]);
    expect(await list({ startedBefore: T0 + 2 })).toEqual([["a"]]);
    expect(await list({ startedAfter: T0 + 1, startedBefore: T0 + 4, oldestFirst: true })).toEqual([
      ["b", "f"],
      ["c"],
    ]);
    expect(await list({ functionName: "billing" })).toEqual([["x"]]);
    expect(await list({ functionName: "nobody" })).toEqual([[]]);

    const page = await store.listExecutions({ functionName: "orders", name: "d", limit: 5 });
    expect(page.items).toStrictEqual([executionRecord({ name: "d", startedAt: T0 + 4, version: "$LATEST" })]);
    expect(page.next).toBeUndefined();
  });

  it("schedules, replaces and unschedules due work, earliest first", async () => {
    const { store } = await h.open();
    const a = executionRecord({ name: "due-a" });
    const b = executionRecord({ name: "due-b" });
    const work = (arn: string, kind: DueWork["kind"], operationId: string, at: number, data?: object) =>
      ({ arn, kind, operationId, dueAt: T0 + at, ...(data && { data }) }) as DueWork;
    const invTimeout = work(a.arn, "invocation-timeout", "", 100, { epoch: 1 });
    const wait = work(a.arn, "wait", "w1", 300);
    const execTimeout = work(a.arn, "execution-timeout", "", 3600);
    const retry = work(b.arn, "retry", "s1", 200);
    await store.commit(createDecision(a, { schedule: [wait, invTimeout, execTimeout] }));
    await store.commit(createDecision(b, { schedule: [retry] }));

    expect(await store.nextDueAt()).toBe(T0 + 100);
    expect(await store.dueWork(T0 + 99, 10)).toEqual([]);
    expect(await store.dueWork(T0 + 200, 10)).toStrictEqual([invTimeout, retry]);
    expect(await store.dueWork(T0 + 10_000, 2)).toStrictEqual([invTimeout, retry]);

    // Same key: replaced, not added.
    const invTimeout2 = work(a.arn, "invocation-timeout", "", 500, { epoch: 2 });
    let rev = a;
    const next = async (parts: Parameters<typeof updateDecision>[2]) => {
      const d = updateDecision(rev, {}, parts);
      await store.commit(d);
      rev = d.execution;
    };
    await next({ schedule: [invTimeout2] });
    expect(await store.dueWork(T0 + 10_000, 10)).toStrictEqual([retry, wait, invTimeout2, execTimeout]);
    expect(await store.nextDueAt()).toBe(T0 + 200);

    await next({ unschedule: [wait, { arn: a.arn, kind: "wait", operationId: "never-scheduled" }] });
    expect(await store.dueWork(T0 + 10_000, 10)).toStrictEqual([retry, invTimeout2, execTimeout]);

    // unscheduleAll drops only this execution's work, then `schedule` applies (also to another arn).
    const purge = work(a.arn, "purge", "", 7 * 86_400_000);
    const chained = work(b.arn, "chained-complete", "c1", 50, { result: "" });
    await next({ unscheduleAll: true, schedule: [purge, chained] });
    expect(await store.dueWork(Number.MAX_SAFE_INTEGER, 10)).toStrictEqual([chained, retry, purge]);

    // A row can also be dropped outside a decision (its execution is gone).
    await store.dropDueWork(chained);
    expect(await store.dueWork(Number.MAX_SAFE_INTEGER, 10)).toStrictEqual([retry, purge]);

    await next({ unschedule: [purge, retry] });
    expect(await store.dueWork(Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
    expect(await store.nextDueAt()).toBeUndefined();
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
