// The server kills itself (SIGKILL) at a named fault point, a new server starts on the same data
// directory, and the execution completes: what was committed is neither lost nor done twice.
import path from "node:path";
import type { Event } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { history, waitForStatus } from "../support/harness.js";
import type { ServerProcess } from "../support/processes.js";
import {
  crashSuite,
  LONG_MS,
  TEST_TIMEOUT_MS,
  describeHistory,
  invocationErrorMessage,
  invocationErrorType,
  lines,
  ofType,
  startExecution,
  TERMINAL,
} from "./helpers.js";

const STEPS = ["s1", "s2", "s3", "s4", "s5"];

const { dirs, serve } = crashSuite();

/** Waits for the server to die by its own hand at `point` (nobody else signals it). */
async function diedAt(server: ServerProcess, point: string): Promise<void> {
  const exit = await server.exited;
  expect(exit.signal, server.output()).toBe("SIGKILL");
  expect(server.output()).toContain(`fault point ${point} reached`);
}

/** The InvocationCompleted a restart records for the invocation its predecessor lost. */
function recoveredInvocation(events: Event[]): number {
  const i = events.findIndex(
    (e) =>
      e.EventType === "InvocationCompleted" &&
      invocationErrorType(e) === "Runtime.ExitError" &&
      /server restarted/.test(invocationErrorMessage(e) ?? ""),
  );
  expect(i, describeHistory(events)).toBeGreaterThan(0);
  return i;
}

describe("fault points", { timeout: TEST_TIMEOUT_MS }, () => {
  it("checkpoint:after-commit-before-reply: nothing committed is lost, duplicated or re-run", async () => {
    const { dataDir, work } = dirs();
    // Each step takes one or two checkpoints (START may travel with SUCCEED), so the 4th lands in
    // the middle of the five steps, after s1's SUCCEED and before the last one's.
    const point = "checkpoint:after-commit-before-reply";
    const first = await serve(dataDir, `${point}@4`);
    const arn = await startExecution(first.client, "ledger", { dir: work, steps: STEPS.length });
    await diedAt(first.server, point);

    const second = await serve(dataDir);
    const done = await waitForStatus(second.client, arn, TERMINAL, LONG_MS);
    const events = await history(second.client, arn);
    const why = describeHistory(events);
    expect(done.Status, why).toBe("SUCCEEDED");

    // No operation lost or duplicated: every step started and succeeded exactly once, in order.
    expect(
      ofType(events, "StepStarted").map((e) => e.Name),
      why,
    ).toEqual(STEPS);
    const succeeded = ofType(events, "StepSucceeded");
    expect(
      succeeded.map((e) => e.Name),
      why,
    ).toEqual(STEPS);
    expect(new Set(succeeded.map((e) => e.Id)).size).toBe(STEPS.length);

    // Every replay saw the recorded results (invariant 1): the result is what was recorded.
    const recorded = succeeded.map((e) => JSON.parse(e.StepSucceededDetails!.Result!.Payload!) as string);
    expect(JSON.parse(done.Result!)).toEqual(recorded);

    // The lost invocation is the only one that failed: the next one replayed and finished.
    const recovered = recoveredInvocation(events);
    expect(ofType(events, "InvocationCompleted").map(invocationErrorType), why).toEqual([
      "Runtime.ExitError",
      undefined,
    ]);

    // A step whose SUCCEED was committed before the crash never runs again, and what it recorded
    // then is what the execution returned. Steps whose SUCCEED was never committed may have run
    // twice (at-least-once), not more.
    const committedBefore = succeeded.filter((e) => events.indexOf(e) < recovered).map((e) => e.Name!);
    expect(committedBefore.length, why).toBeGreaterThanOrEqual(1);
    expect(committedBefore.length, why).toBeLessThan(STEPS.length);
    const ledger = lines(path.join(work, "ledger.txt")).map((l) => l.split(" ") as [string, string]);
    const firstPid = ledger[0]![1];
    for (const step of STEPS) {
      const runs = ledger.filter(([name]) => name === step);
      if (committedBefore.includes(step)) {
        expect(runs, `${step} was committed before the crash`).toEqual([[step, firstPid]]);
        expect(recorded[STEPS.indexOf(step)]).toBe(`${step}@${firstPid}`);
      } else {
        expect(runs.length, `${step} ran ${runs.length} times`).toBeGreaterThanOrEqual(1);
        expect(runs.length, `${step} ran ${runs.length} times`).toBeLessThanOrEqual(2);
      }
    }
    expect(events.at(-1)?.EventType).toBe("ExecutionSucceeded");
  });

  it("invocation:after-begin-before-invoke: the lease that never reached a worker is recovered", async () => {
    const { dataDir } = dirs();
    // The 2nd invocation: the one the wait's timer starts, after the first returned PENDING.
    const point = "invocation:after-begin-before-invoke";
    const first = await serve(dataDir, `${point}@2`);
    const arn = await startExecution(first.client, "waiter", { seconds: 2 });
    await diedAt(first.server, point);

    const second = await serve(dataDir);
    const done = await waitForStatus(second.client, arn, TERMINAL, LONG_MS);
    const events = await history(second.client, arn);
    const why = describeHistory(events);
    expect(done.Status, why).toBe("SUCCEEDED");

    const recovered = recoveredInvocation(events);
    // The lost invocation did nothing: it directly follows the wait that started it (or the end of
    // the first invocation, if that was still running when the wait fired).
    expect(["WaitSucceeded", "InvocationCompleted"], why).toContain(events[recovered - 1]?.EventType);
    expect(ofType(events, "InvocationCompleted").map(invocationErrorType), why).toEqual([
      undefined,
      "Runtime.ExitError",
      undefined,
    ]);
    expect(
      ofType(events, "StepSucceeded").map((e) => e.Name),
      why,
    ).toEqual(["before", "after"]);
    expect(ofType(events, "WaitSucceeded"), why).toHaveLength(1);
    expect(events.at(-1)?.EventType).toBe("ExecutionSucceeded");
  });

  it("timer:after-fire-commit: the committed wait wakes the function after the restart", async () => {
    const { dataDir } = dirs();
    const point = "timer:after-fire-commit";
    const first = await serve(dataDir, point);
    const arn = await startExecution(first.client, "waiter", { seconds: 2 });
    await diedAt(first.server, point);

    const second = await serve(dataDir);
    const done = await waitForStatus(second.client, arn, TERMINAL, LONG_MS);
    const events = await history(second.client, arn);
    const why = describeHistory(events);
    expect(done.Status, why).toBe("SUCCEEDED");

    // The wait fired once, in the first server; the invocation it asked for was due work in the
    // store, and the second server ran it.
    expect(
      events.filter((e) => e.EventType !== "InvocationCompleted").map((e) => e.EventType),
      why,
    ).toEqual([
      "ExecutionStarted",
      "StepStarted",
      "StepSucceeded",
      "WaitStarted",
      "WaitSucceeded",
      "StepStarted",
      "StepSucceeded",
      "ExecutionSucceeded",
    ]);
    const waited = events.findIndex((e) => e.EventType === "WaitSucceeded");
    const after = events.slice(waited).filter((e) => e.EventType === "InvocationCompleted");
    // Normally the first invocation returned PENDING long before the wait fired; on a very slow
    // machine it may still have been running, and is then recovered as lost.
    expect(after.map(invocationErrorType), why).toEqual(
      after.length === 1 ? [undefined] : ["Runtime.ExitError", undefined],
    );
  });
});
