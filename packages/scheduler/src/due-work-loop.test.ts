import type { DueWork } from "@dormouse/engine";
import type { Store } from "@dormouse/store";
import { afterEach, describe, expect, it } from "vitest";
import { DueWorkLoop, readDueWork } from "./due-work-loop.js";
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
      readDueWork(rowsStore(rows)),
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

describe("DueWorkLoop with claimed rows", () => {
  /** A source that hands each row out once, as claims do (a claimed row is nobody else's). */
  function claimingSource(rows: DueWork[]) {
    return {
      maxSleepMs: 60_000,
      claims: true,
      async take(now: number) {
        const due = rows.filter((w) => w.dueAt <= now);
        for (const w of due) rows.splice(rows.indexOf(w), 1);
        return { due, next: undefined, more: false };
      },
    };
  }

  it("handles a claimed row again when it is scheduled again while being handled", async () => {
    const work: DueWork = { arn: "a", kind: "invoke", operationId: "", dueAt: Date.now() };
    const handled: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let secondDone!: () => void;
    const second = new Promise<void>((resolve) => (secondDone = resolve));
    loop = new DueWorkLoop(
      claimingSource([work]),
      async (w) => {
        handled.push(w.dueAt);
        if (handled.length === 1) await gate;
        else secondDone();
      },
      silentLogger,
      Date.now,
    );
    loop.start();
    while (handled.length === 0) await new Promise((r) => setTimeout(r, 5));
    // A commit of this node claims the same row again while its first handler still runs.
    loop.scheduled({ ...work, dueAt: work.dueAt + 1 }, true);
    expect(handled).toHaveLength(1);
    release();
    await second;
    expect(handled).toEqual([work.dueAt, work.dueAt + 1]);
  });

  it("retries a claimed row whose handler failed by itself, since no claim hands it out again", async () => {
    const work: DueWork = { arn: "b", kind: "wait", operationId: "w", dueAt: Date.now() };
    let attempts = 0;
    let succeeded!: () => void;
    const done = new Promise<void>((resolve) => (succeeded = resolve));
    loop = new DueWorkLoop(
      claimingSource([work]),
      async () => {
        if (++attempts === 1) throw new Error("the database is unreachable");
        succeeded();
      },
      silentLogger,
      Date.now,
    );
    loop.start();
    await done;
    expect(attempts).toBe(2);
  }, 10_000);

  it("leaves a row due now that this node did not claim to its next look at the store", async () => {
    const handled: string[] = [];
    loop = new DueWorkLoop(claimingSource([]), async (w) => void handled.push(w.arn), silentLogger, Date.now);
    loop.start();
    loop.scheduled({ arn: "c", kind: "invoke", operationId: "", dueAt: Date.now() }, false);
    loop.scheduled({ arn: "d", kind: "invoke", operationId: "", dueAt: Date.now() }, true);
    await new Promise((r) => setTimeout(r, 20));
    expect(handled).toEqual(["d"]);
  });
});
