// Golden histories (STYLE habit 8): an execution's history reduced to what does not depend on
// timing — one line per event, with its name, retry attempt and delay, timeout and error type, but
// without ids, timestamps, payloads and InvocationCompleted (where an invocation ends depends on
// how fast the machine is) — compared with a file kept beside the example. A change to the engine
// or the SDK that changes a history shows up as a diff of that file that someone must accept:
// `DORMOUSE_UPDATE_GOLDEN=1 npx vitest run <test>` rewrites the files.
import fs from "node:fs";
import path from "node:path";
import type { Event } from "@aws-sdk/client-lambda";
import { expect } from "vitest";

export function goldenLines(events: Event[]): string[] {
  return events.filter((e) => e.EventType !== "InvocationCompleted").map(goldenLine);
}

function goldenLine(e: Event): string {
  const parts = [e.EventType ?? "?"];
  if (e.Name) parts.push(e.Name);
  if (e.SubType) parts.push(`[${e.SubType}]`);
  const retry = (e.StepSucceededDetails ?? e.StepFailedDetails)?.RetryDetails;
  if (retry?.NextAttemptDelaySeconds !== undefined) {
    parts.push(`attempt ${retry.CurrentAttempt}, next in ${retry.NextAttemptDelaySeconds}s`);
  } else if (e.StepFailedDetails || (retry?.CurrentAttempt ?? 1) > 1) {
    parts.push(`attempt ${retry?.CurrentAttempt}`);
  }
  if (e.CallbackStartedDetails?.Timeout !== undefined)
    parts.push(`timeout ${e.CallbackStartedDetails.Timeout}s`);
  if (e.WaitStartedDetails?.Duration !== undefined) parts.push(`${e.WaitStartedDetails.Duration}s`);
  const error =
    e.StepFailedDetails?.Error ??
    e.CallbackFailedDetails?.Error ??
    e.CallbackTimedOutDetails?.Error ??
    e.ContextFailedDetails?.Error ??
    e.ChainedInvokeFailedDetails?.Error ??
    e.ExecutionFailedDetails?.Error;
  if (error?.Payload?.ErrorType) parts.push(`error ${error.Payload.ErrorType}`);
  return parts.join(" ");
}

/** Asserts the history matches the golden file (or, with DORMOUSE_UPDATE_GOLDEN=1, rewrites it). */
export function expectGoldenHistory(events: Event[], file: string): void {
  const actual = goldenLines(events);
  if (process.env.DORMOUSE_UPDATE_GOLDEN === "1") {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    return;
  }
  if (!fs.existsSync(file)) {
    throw new Error(`no golden history at ${file}; record it with DORMOUSE_UPDATE_GOLDEN=1`);
  }
  const expected = JSON.parse(fs.readFileSync(file, "utf8")) as string[];
  expect(actual, `history differs from ${path.relative(process.cwd(), file)}`).toEqual(expected);
}
