// Shared pieces of the crash suites: start an execution, read the files fixtures leave behind, and
// pick events out of a history.
import fs from "node:fs";
import { InvokeCommand } from "@aws-sdk/client-lambda";
import type { Event, LambdaClient } from "@aws-sdk/client-lambda";
import { afterEach } from "vitest";
import { eventually, lambdaClient, tempDir } from "../support/harness.js";
import { spawnServer, stopAllServers } from "../support/processes.js";
import type { ServerProcess } from "../support/processes.js";

/** Generous: a 2-core CI machine runs several servers and their workers at once. */
export const LONG_MS = 60_000;
/** Per test: two server starts and a few LONG_MS waits must fit, so that a wait reports first. */
export const TEST_TIMEOUT_MS = 180_000;

/** Starts a durable execution without waiting for it, and returns its ARN. */
export async function startExecution(
  client: LambdaClient,
  functionName: string,
  input: unknown,
): Promise<string> {
  const out = await client.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: "Event",
      Payload: JSON.stringify(input),
    }),
  );
  if (!out.DurableExecutionArn) throw new Error(`Invoke ${functionName} returned no DurableExecutionArn`);
  return out.DurableExecutionArn;
}

/** The lines of a file a fixture appends to ([] while it does not exist). */
export function lines(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "");
}

/** Waits until `file` holds text matching `pattern` (a fixture may be half-way through writing it). */
export function waitForFile(file: string, pattern: RegExp, timeoutMs = LONG_MS): Promise<string> {
  return eventually(
    `${file} to match ${pattern}`,
    async () => {
      const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
      return pattern.test(text) ? text : undefined;
    },
    timeoutMs,
  );
}

export function ofType(events: Event[], type: string): Event[] {
  return events.filter((e) => e.EventType === type);
}

/** The ErrorType an InvocationCompleted event records, undefined for a clean invocation. */
export function invocationErrorType(e: Event): string | undefined {
  return e.InvocationCompletedDetails?.Error?.Payload?.ErrorType;
}

export function invocationErrorMessage(e: Event): string | undefined {
  return e.InvocationCompletedDetails?.Error?.Payload?.ErrorMessage;
}

/** A compact picture of a history for assertion messages. */
export function describeHistory(events: Event[]): string {
  return events
    .map((e) => {
      const error = e.EventType === "InvocationCompleted" ? invocationErrorType(e) : undefined;
      return `${e.EventId} ${e.EventType}${e.Name ? ` ${e.Name}` : ""}${error ? ` (${error})` : ""}`;
    })
    .join("\n");
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export const TERMINAL = ["SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"];

/**
 * Registers the per-test cleanup of a crash suite (every spawned server stopped, clients destroyed,
 * temp dirs removed) and returns makers of fresh directories and of servers with a client.
 */
export function crashSuite() {
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    try {
      await stopAllServers();
    } finally {
      for (const c of cleanups.splice(0)) c();
    }
  });
  return {
    dirs(): { dataDir: string; work: string } {
      const dataDir = tempDir("dormouse-crash-data-");
      const work = tempDir("dormouse-crash-work-");
      cleanups.push(
        () => removeDir(dataDir),
        () => removeDir(work),
      );
      return { dataDir, work };
    },
    /** A server process on `dataDir`, armed at `faultPoint` when given, and a client for it. */
    async serve(
      dataDir: string,
      faultPoint?: string,
    ): Promise<{ server: ServerProcess; client: LambdaClient }> {
      const server = await spawnServer({
        dataDir,
        ...(faultPoint ? { env: { DORMOUSE_FAULT_POINTS: faultPoint } } : {}),
      });
      const client = lambdaClient(server.url);
      cleanups.push(() => client.destroy());
      return { server, client };
    },
  };
}
