import type { ConsoleInvocation, ConsoleOperation } from "@dormouse/protocol";
import { describe, expect, it } from "vitest";
import { executionFigures, hibernationGaps, invocationActivity } from "./invocations";

const step = (id: string, start: number, end?: number): ConsoleOperation => ({
  Id: id,
  Name: id,
  Type: "STEP",
  Status: end === undefined ? "STARTED" : "SUCCEEDED",
  StartTimestamp: start,
  ...(end !== undefined ? { EndTimestamp: end } : {}),
  seq: start,
});

// step "before" in invocation 1, a wait from 150 to 2150 spanning the hibernation, "after" in invocation 2.
const ops: ConsoleOperation[] = [
  { Id: "x", Type: "EXECUTION", Status: "SUCCEEDED", StartTimestamp: 0, seq: 0 },
  step("before", 100, 110),
  { ...step("pause", 150, 2150), Type: "WAIT" },
  step("after", 2300, 2310),
];
const invocations: ConsoleInvocation[] = [
  { number: 2, requestId: "r2", startedAt: 2200, endedAt: 2400 },
  { number: 1, requestId: "r1", startedAt: 10, endedAt: 200 },
];

describe("invocationActivity", () => {
  it("says what each invocation replayed (done before it began) and executed (started or ended during it)", () => {
    const [first, second] = invocationActivity(ops, invocations, 5000);
    expect(first!.invocation.number).toBe(1);
    expect(first!.replayed.map((o) => o.Id)).toEqual([]);
    expect(first!.executed.map((o) => o.Id)).toEqual(["before", "pause"]);
    expect(second!.replayed.map((o) => o.Id)).toEqual(["before", "pause"]);
    expect(second!.executed.map((o) => o.Id)).toEqual(["after"]);
  });

  it("counts a running invocation up to now", () => {
    const running = invocationActivity(
      [step("s", 600)],
      [{ number: 1, requestId: "r", startedAt: 500 }],
      700,
    );
    expect(running[0]!.executed.map((o) => o.Id)).toEqual(["s"]);
  });
});

describe("executionFigures and hibernationGaps", () => {
  it("splits wall time into active compute and hibernation", () => {
    const f = executionFigures({ startedAt: 0, endedAt: 2500 }, invocations, 9999);
    expect(f).toEqual({ wallMs: 2500, activeMs: 390, hibernatingMs: 2110, invocations: 2, replays: 1 });
  });

  it("finds the gaps before, between and after the invocations", () => {
    expect(hibernationGaps({ startedAt: 0, endedAt: 2500 }, invocations, 9999)).toEqual([
      { start: 0, end: 10 },
      { start: 200, end: 2200 },
      { start: 2400, end: 2500 },
    ]);
  });

  it("keeps counting while the execution runs", () => {
    const f = executionFigures(
      { startedAt: 0 },
      [{ number: 1, requestId: "r", startedAt: 0, endedAt: 100 }],
      1000,
    );
    expect(f.wallMs).toBe(1000);
    expect(f.hibernatingMs).toBe(900);
  });
});
