// Contract cases for durability: what a commit acknowledged is there after the store is reopened.
import { expect, it } from "vitest";
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

export function durabilityCases(h: ContractHarness): void {
  it("keeps every acknowledged commit across close and reopen", async () => {
    const { store, reopen } = await h.open();
    const e = executionRecord({ name: "durable", invocation: lease() });
    await store.commit(
      createDecision(e, {
        operations: [operationRecord("b", 2), operationRecord("a", 1, { StepDetails: { Result: "" } })],
        events: [eventRecord(1)],
        schedule: [{ arn: e.arn, kind: "execution-timeout", operationId: "", dueAt: T0 + 10, data: {} }],
        callbacks: [{ callbackId: "cb-1", operationId: "a" }],
      }),
    );
    await store.commit(
      updateDecision(
        e,
        { nextEventId: 3 },
        { operations: [operationRecord("c", 3)], events: [eventRecord(2)] },
      ),
    );
    const before = await snapshot(store, e);
    const order = [...((await store.loadExecution(e.arn))?.operations.keys() ?? [])];
    await store.close();

    const again = await reopen();
    expect(await snapshot(again, e)).toStrictEqual(before);
    expect([...((await again.loadExecution(e.arn))?.operations.keys() ?? [])]).toEqual(order);
    expect(order).toEqual(["a", "b", "c"]);
    expect(await again.nextDueAt()).toBe(T0 + 10);

    // The reopened store is fully usable.
    await again.commit(updateDecision(before.execution!, { status: "SUCCEEDED" }));
    expect((await again.getExecution(e.arn))?.status).toBe("SUCCEEDED");
  });

  it("close writes the commits still in flight before it resolves", async () => {
    const { store, reopen } = await h.open();
    const executions = Array.from({ length: 5 }, (_, i) => executionRecord({ name: `late-${i}` }));
    const pending = executions.map((e) => store.commit(createDecision(e)));
    await store.close();
    await expect(Promise.all(pending)).resolves.toBeDefined();

    const again = await reopen();
    for (const e of executions) expect(await again.getExecution(e.arn)).toStrictEqual(e);
  });
}
