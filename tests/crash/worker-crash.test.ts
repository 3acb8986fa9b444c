// A worker that dies or overruns its Timeout in the middle of a step: the server records the lost
// invocation as a function error and invokes again; steps completed before it are not re-run.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { eventually, history, waitForStatus } from "../support/harness.js";
import { processAlive } from "../support/processes.js";
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
  waitForFile,
} from "./helpers.js";

const { dirs, serve } = crashSuite();

describe("a worker lost in the middle of a step", { timeout: TEST_TIMEOUT_MS }, () => {
  it("kill -9 of the worker: the invocation fails with Runtime.ExitError, the retry completes, count ran once", async () => {
    const { dataDir, work } = dirs();
    const { client } = await serve(dataDir);

    const arn = await startExecution(client, "crasher", { dir: work, mode: "hang" });
    const pid = Number(await waitForFile(path.join(work, "pid.txt"), /^\d+$/));
    process.kill(pid, "SIGKILL");
    await eventually(
      "the killed worker to be gone",
      async () => (processAlive(pid) ? undefined : true),
      LONG_MS,
    );

    const done = await waitForStatus(client, arn, ["SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"], LONG_MS);
    expect(done.Status).toBe("SUCCEEDED");
    expect(JSON.parse(done.Result!)).toEqual({ counted: "counted", second: "survived" });
    expect(lines(path.join(work, "count.txt"))).toEqual(["ran"]);

    const events = await history(client, arn);
    const why = describeHistory(events);
    const invocations = ofType(events, "InvocationCompleted");
    expect(invocations.map(invocationErrorType), why).toEqual(["Runtime.ExitError", undefined]);
    expect(invocationErrorMessage(invocations[0]!)).toMatch(/SIGKILL/);
    expect(
      ofType(events, "StepSucceeded").map((e) => e.Name),
      why,
    ).toEqual(["count", "hang"]);
    expect(events.at(-1)?.EventType).toBe("ExecutionSucceeded");
  });

  it("process.exit inside the handler: Runtime.ExitError, then the retry completes, count ran once", async () => {
    const { dataDir, work } = dirs();
    const { client } = await serve(dataDir);

    const arn = await startExecution(client, "crasher", { dir: work, mode: "exit" });
    const done = await waitForStatus(client, arn, ["SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"], LONG_MS);
    expect(done.Status).toBe("SUCCEEDED");
    expect(JSON.parse(done.Result!)).toEqual({ counted: "counted", second: "survived" });
    expect(lines(path.join(work, "count.txt"))).toEqual(["ran"]);
    const exitedPid = Number(await waitForFile(path.join(work, "pid.txt"), /^\d+$/));
    expect(processAlive(exitedPid)).toBe(false);

    const events = await history(client, arn);
    const why = describeHistory(events);
    const invocations = ofType(events, "InvocationCompleted");
    expect(invocations.map(invocationErrorType), why).toEqual(["Runtime.ExitError", undefined]);
    expect(invocationErrorMessage(invocations[0]!)).toMatch(/code 3/);
    expect(
      ofType(events, "StepSucceeded").map((e) => e.Name),
      why,
    ).toEqual(["count", "hang"]);
    expect(events.at(-1)?.EventType).toBe("ExecutionSucceeded");
  });

  it("an invocation past the function Timeout ends with Sandbox.Timedout and the retry completes", async () => {
    const { dataDir, work } = dirs();
    const { client } = await serve(dataDir);

    const arn = await startExecution(client, "slow", { dir: work });
    const done = await waitForStatus(client, arn, ["SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"], LONG_MS);
    expect(done.Status).toBe("SUCCEEDED");
    expect(JSON.parse(done.Result!)).toBe("finished");

    const events = await history(client, arn);
    const why = describeHistory(events);
    const invocations = ofType(events, "InvocationCompleted");
    // One timed-out invocation, then a clean one. On a crowded machine a retry's cold start can
    // eat its whole 2 s too (the deadline runs from acceptance), so more timeouts may come between.
    const errors = invocations.map(invocationErrorType);
    expect(errors.at(-1), why).toBeUndefined();
    expect(errors.slice(0, -1), why).toEqual(errors.slice(0, -1).map(() => "Sandbox.Timedout"));
    expect(errors.length, why).toBeGreaterThanOrEqual(2);
    // Every run was cut at the 2 s Timeout, none lasted the 10 s the hanging step would take.
    for (const timedOut of invocations.slice(0, -1).map((e) => e.InvocationCompletedDetails!)) {
      const ranMs = timedOut.EndTimestamp!.getTime() - timedOut.StartTimestamp!.getTime();
      expect(ranMs).toBeGreaterThanOrEqual(2000);
      expect(ranMs).toBeLessThan(10_000);
    }
    expect(
      ofType(events, "StepSucceeded").map((e) => e.Name),
      why,
    ).toEqual(["slow"]);
    expect(events.at(-1)?.EventType).toBe("ExecutionSucceeded");
  });
});
