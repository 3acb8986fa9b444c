// Contract cases for many decisions at once (group commit) and for purge.
import { expect, it } from "vitest";
import { ConflictError } from "../store.js";
import { lease, snapshot } from "./commit-cases.js";
import {
  T0,
  createDecision,
  eventRecord,
  executionRecord,
  operationRecord,
  updateDecision,
} from "./fixtures.js";
import type { ContractHarness } from "./store-contract.js";

export function concurrencyCases(h: ContractHarness): void {
  it("commits many concurrent decisions; a failing one fails alone and the others land", async () => {
    const { store } = await h.open();
    const base = executionRecord({ name: "shared" });
    await store.commit(createDecision(base, { events: [eventRecord(1)] }));

    const fresh = Array.from({ length: 40 }, (_, i) =>
      executionRecord({ name: `burst-${i}`, startedAt: T0 + i }),
    );
    const duplicate = executionRecord({ name: "burst-7", executionId: "other" });
    // Two decisions from the same revision: whichever is applied second is stale.
    const racerA = updateDecision(base, { status: "SUCCEEDED" }, { events: [eventRecord(2)] });
    const racerB = updateDecision(base, { status: "FAILED" }, { events: [eventRecord(2, { name: "b" })] });
    // Not a conflict but still invalid (an event id is written twice): it must fail on its own too.
    const broken = createDecision(executionRecord({ name: "broken" }), {
      events: [eventRecord(1), eventRecord(1)],
    });

    const results = await Promise.allSettled([
      ...fresh.slice(0, 20).map((e) => store.commit(createDecision(e, { events: [eventRecord(1)] }))),
      store.commit(createDecision(duplicate)),
      store.commit(racerA),
      store.commit(broken),
      store.commit(racerB),
      ...fresh.slice(20).map((e) => store.commit(createDecision(e, { events: [eventRecord(1)] }))),
    ]);

    const [created, rest] = [[...results.slice(0, 20), ...results.slice(24)], results.slice(20, 24)];
    expect(created.every((r) => r.status === "fulfilled")).toBe(true);
    const [dupResult, aResult, brokenResult, bResult] = rest;
    expect(dupResult?.status === "rejected" && dupResult.reason).toBeInstanceOf(ConflictError);
    expect(brokenResult?.status).toBe("rejected");
    const racers = [aResult, bResult];
    expect(racers.filter((r) => r?.status === "fulfilled")).toHaveLength(1);
    const loser = racers.find((r) => r?.status === "rejected");
    expect(loser?.status === "rejected" && loser.reason).toBeInstanceOf(ConflictError);

    for (const e of fresh) {
      expect(await store.getExecution(e.arn)).toStrictEqual(e);
      expect(await store.history(e.arn, { reverse: false, limit: 10 })).toHaveLength(1);
    }
    expect(await store.getExecution(duplicate.arn)).toBeUndefined();
    expect(await store.findExecutionByName("orders", "broken")).toBeUndefined();
    const winner = aResult?.status === "fulfilled" ? racerA : racerB;
    expect(await store.getExecution(base.arn)).toStrictEqual(winner.execution);
    expect(await store.history(base.arn, { reverse: false, limit: 10 })).toStrictEqual([
      eventRecord(1),
      ...winner.events,
    ]);
  });

  it("purge deletes the execution and everything it owns, and nothing else", async () => {
    const { store } = await h.open();
    const doomed = executionRecord({ name: "doomed", status: "SUCCEEDED", invocation: lease() });
    const kept = executionRecord({ name: "kept" });
    const dueFor = (arn: string) => [
      { arn, kind: "purge" as const, operationId: "", dueAt: T0 + 100 },
      { arn, kind: "wait" as const, operationId: "w", dueAt: T0 + 50, data: { n: 1 } },
    ];
    await store.commit(
      createDecision(doomed, {
        operations: [operationRecord("w", 1, { Type: "WAIT" })],
        events: [eventRecord(1), eventRecord(2)],
        schedule: dueFor(doomed.arn),
        callbacks: [{ callbackId: "cb-1", operationId: "w" }],
      }),
    );
    await store.commit(
      createDecision(kept, {
        operations: [operationRecord("w", 1)],
        events: [eventRecord(1)],
        schedule: dueFor(kept.arn),
        callbacks: [{ callbackId: "cb-2", operationId: "w" }],
      }),
    );
    const keptBefore = await snapshot(store, kept);

    // A purge ignores everything else in the decision.
    await store.commit({
      ...updateDecision(doomed, {}, { events: [eventRecord(3)], schedule: dueFor(doomed.arn) }),
      purge: true,
    });

    expect(await store.loadExecution(doomed.arn)).toBeUndefined();
    expect(await store.getExecution(doomed.arn)).toBeUndefined();
    expect(await store.findExecutionByName("orders", "doomed")).toBeUndefined();
    expect(await store.history(doomed.arn, { reverse: false, limit: 10 })).toEqual([]);
    expect(await store.findCallback("cb-1")).toBeUndefined();
    expect((await store.dueWork(Number.MAX_SAFE_INTEGER, 100)).map((w) => w.arn)).toEqual([
      kept.arn,
      kept.arn,
    ]);
    expect(await store.executionsWithLease()).toEqual([]);
    const page = await store.listExecutions({ functionName: "orders", limit: 10 });
    expect(page.items.map((e) => e.arn)).toEqual([kept.arn]);
    expect(await snapshot(store, kept)).toStrictEqual(keptBefore);

    // The name is free again.
    const reborn = executionRecord({ name: "doomed", executionId: "again" });
    await store.commit(createDecision(reborn, { callbacks: [{ callbackId: "cb-1", operationId: "x" }] }));
    expect(await store.findExecutionByName("orders", "doomed")).toStrictEqual(reborn);
  });
}
