import type { DueWork } from "@dormouse/engine";
import type { Store } from "@dormouse/store";
import { afterEach, describe, expect, it } from "vitest";
import { DueWorkLoop } from "./due-work-loop.js";
import { silentLogger } from "./ports.js";

/** The two reads the loop makes, over rows in memory; a handled row is removed by its "decision". */
function rowsStore(rows: DueWork[]): Store {
  const sorted = () => [...rows].sort((a, b) => a.dueAt - b.dueAt);
  return {
    async dueWork(before: number, limit: number) {
      return sorted()
        .filter((w) => w.dueAt <= before)
        .slice(0, limit);
    },
    async nextDueAt() {
      return sorted()[0]?.dueAt;
    },
  } as Partial<Store> as Store;
}

let loop: DueWorkLoop | undefined;
afterEach(() => loop?.stop());

describe("DueWorkLoop", () => {
  it("fires a row due while an earlier one is still being handled on time, not a sleep later", async () => {
    // This is what a restart looks like: rows scheduled by the previous process, close together.
    const t0 = Date.now();
    const rows: DueWork[] = [
      { arn: "a", kind: "wait", operationId: "w", dueAt: t0 + 50 },
      { arn: "b", kind: "callback-timeout", operationId: "c", dueAt: t0 + 150 },
    ];
    const fired = new Map<string, number>();
    let firedB!: () => void;
    const bFired = new Promise<void>((resolve) => (firedB = resolve));
    loop = new DueWorkLoop(
      rowsStore(rows),
      async (work) => {
        fired.set(work.arn, Date.now());
        if (work.arn === "b") firedB();
        // A slow decision: the row stays in the store while the next timer must be armed.
        await new Promise((r) => setTimeout(r, 300));
        rows.splice(rows.indexOf(work), 1);
      },
      silentLogger,
      Date.now,
    );
    loop.start();
    await bFired;
    expect(fired.get("a")! - t0).toBeGreaterThanOrEqual(50);
    expect(fired.get("b")! - t0).toBeGreaterThanOrEqual(150);
    expect(fired.get("b")! - t0).toBeLessThan(5_000);
  }, 10_000);
});
