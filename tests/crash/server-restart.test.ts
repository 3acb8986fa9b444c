// kill -9 of the server itself, then a new server on the same data directory: due work (timers,
// callback deadlines) lives in the store and fires as if nothing happened; an invocation that was
// running is recovered as a failed invocation and retried; callback ids issued before stay valid.
import path from "node:path";
import { SendDurableExecutionCallbackSuccessCommand } from "@aws-sdk/client-lambda";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { afterEach, describe, expect, it } from "vitest";
import {
  eventually,
  history,
  lambdaClient,
  tempDir,
  waitForEvent,
  waitForStatus,
} from "../support/harness.js";
import { processAlive, spawnServer, stopAllServers } from "../support/processes.js";
import type { ServerProcess } from "../support/processes.js";
import {
  LONG_MS,
  TEST_TIMEOUT_MS,
  describeHistory,
  invocationErrorMessage,
  invocationErrorType,
  lines,
  ofType,
  removeDir,
  startExecution,
  waitForFile,
  TERMINAL,
} from "./helpers.js";

/**
 * How late a timer may fire after its deadline or the restart, whichever is later, on a loaded
 * machine. Well under the due-work loop's 30 s idle sleep, which is what a timer that the
 * restarted server failed to arm would wait for.
 */
const LATE_MS = 10_000;
/**
 * Long enough that the kill, which waits until all three executions are seen waiting, comes before
 * the deadlines even on a crowded 2-core machine (3 s and 4 s were seen to be too short there).
 */
const WAIT_SECONDS = 5;
const CALLBACK_TIMEOUT_SECONDS = 6;

const cleanups: (() => void)[] = [];
afterEach(async () => {
  try {
    await stopAllServers();
  } finally {
    for (const c of cleanups.splice(0)) c();
  }
});

async function serve(dataDir: string): Promise<{ server: ServerProcess; client: LambdaClient }> {
  const server = await spawnServer({ dataDir });
  const client = lambdaClient(server.url);
  cleanups.push(() => client.destroy());
  return { server, client };
}

async function killHard(server: ServerProcess): Promise<number> {
  server.kill("SIGKILL");
  const exit = await server.exited;
  expect(exit.signal).toBe("SIGKILL");
  return Date.now();
}

describe("kill -9 of the server", { timeout: TEST_TIMEOUT_MS }, () => {
  it("while executions wait on a timer and on callbacks: all of them carry on after a restart", async () => {
    const dataDir = tempDir("dormouse-crash-data-");
    cleanups.push(() => removeDir(dataDir));
    const first = await serve(dataDir);

    // The untimed callback first: it also warms the callbacks worker for the timed one, so both
    // deadlines start close together and well before the kill.
    const open = await startExecution(first.client, "callbacks", {});
    const openStarted = await waitForEvent(
      first.client,
      open,
      (e) => e.EventType === "CallbackStarted",
      LONG_MS,
    );
    const [waiter, timed] = await Promise.all([
      startExecution(first.client, "waiter", { seconds: WAIT_SECONDS }),
      startExecution(first.client, "callbacks", { timeoutSeconds: CALLBACK_TIMEOUT_SECONDS }),
    ]);
    const [waitStarted, timedStarted] = await Promise.all([
      waitForEvent(first.client, waiter, (e) => e.EventType === "WaitStarted", LONG_MS),
      waitForEvent(first.client, timed, (e) => e.EventType === "CallbackStarted", LONG_MS),
    ]);
    const callbackId = openStarted.CallbackStartedDetails!.CallbackId!;
    const scheduledEnd = waitStarted.WaitStartedDetails!.ScheduledEndTimestamp!.getTime();
    const timedDeadline = timedStarted.EventTimestamp!.getTime() + CALLBACK_TIMEOUT_SECONDS * 1000;

    const killedAt = await killHard(first.server);
    // Otherwise the timers could have fired in the first server and this would prove nothing.
    expect(killedAt, "the kill came after a deadline: the machine is too slow for this test").toBeLessThan(
      Math.min(scheduledEnd, timedDeadline),
    );

    const second = await serve(dataDir);
    const restartedAt = Date.now();
    await second.client.send(
      new SendDurableExecutionCallbackSuccessCommand({
        CallbackId: callbackId,
        // waitForCallback hands the result over as text (the SDK's default callback serdes).
        Result: new TextEncoder().encode("approved after restart"),
      }),
    );

    const [openDone, waiterDone, timedDone] = await Promise.all(
      [open, waiter, timed].map((arn) => waitForStatus(second.client, arn, TERMINAL, LONG_MS)),
    );

    expect(openDone!.Status).toBe("SUCCEEDED");
    expect(JSON.parse(openDone!.Result!)).toEqual({ result: "approved after restart" });
    const openEvents = await history(second.client, open);
    expect(ofType(openEvents, "CallbackSucceeded"), describeHistory(openEvents)).toHaveLength(1);

    expect(waiterDone!.Status).toBe("SUCCEEDED");
    const waiterEvents = await history(second.client, waiter);
    const waited = ofType(waiterEvents, "WaitSucceeded");
    expect(waited, describeHistory(waiterEvents)).toHaveLength(1);
    expect(waited[0]!.EventTimestamp!.getTime()).toBeGreaterThanOrEqual(scheduledEnd);
    expect(waited[0]!.EventTimestamp!.getTime()).toBeLessThan(Math.max(restartedAt, scheduledEnd) + LATE_MS);
    expect(ofType(waiterEvents, "StepSucceeded").map((e) => e.Name)).toEqual(["before", "after"]);

    expect(timedDone!.Status).toBe("FAILED");
    const timedEvents = await history(second.client, timed);
    const timedOut = ofType(timedEvents, "CallbackTimedOut");
    expect(timedOut, describeHistory(timedEvents)).toHaveLength(1);
    expect(timedOut[0]!.CallbackTimedOutDetails?.Error?.Payload?.ErrorType).toBe("Callback.Timeout");
    expect(timedOut[0]!.EventTimestamp!.getTime()).toBeGreaterThanOrEqual(timedDeadline);
    expect(timedOut[0]!.EventTimestamp!.getTime()).toBeLessThan(
      Math.max(restartedAt, timedDeadline) + LATE_MS,
    );

    for (const events of [openEvents, waiterEvents, timedEvents]) {
      expect(events.at(-1)?.EventType).toMatch(/^Execution(Succeeded|Failed)$/);
    }
  });

  it("while an invocation runs: it is recovered as failed, retried, and completed steps are not re-run", async () => {
    const dataDir = tempDir("dormouse-crash-data-");
    const work = tempDir("dormouse-crash-work-");
    cleanups.push(
      () => removeDir(dataDir),
      () => removeDir(work),
    );
    const first = await serve(dataDir);
    const arn = await startExecution(first.client, "crasher", { dir: work, mode: "hang" });
    const workerPid = Number(await waitForFile(path.join(work, "pid.txt"), /^\d+$/));

    await killHard(first.server);
    // The worker notices its server is gone (its IPC channel closes) and leaves by itself.
    await eventually(
      "the orphaned worker to exit",
      async () => (processAlive(workerPid) ? undefined : true),
      LONG_MS,
    );

    const second = await serve(dataDir);
    const done = await waitForStatus(second.client, arn, TERMINAL, LONG_MS);
    expect(done.Status).toBe("SUCCEEDED");
    expect(JSON.parse(done.Result!)).toEqual({ counted: "counted", second: "survived" });
    expect(lines(path.join(work, "count.txt"))).toEqual(["ran"]);

    const events = await history(second.client, arn);
    const why = describeHistory(events);
    const invocations = ofType(events, "InvocationCompleted");
    expect(invocations.map(invocationErrorType), why).toEqual(["Runtime.ExitError", undefined]);
    expect(invocationErrorMessage(invocations[0]!)).toMatch(/server restarted/);
    expect(
      ofType(events, "StepStarted").map((e) => e.Name),
      why,
    ).toEqual(["count", "hang"]);
    expect(
      ofType(events, "StepSucceeded").map((e) => e.Name),
      why,
    ).toEqual(["count", "hang"]);
    expect(events.at(-1)?.EventType).toBe("ExecutionSucceeded");
  });
});
