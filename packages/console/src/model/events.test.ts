import type { ConsoleEvent } from "@dormouse/protocol";
import { describe, expect, it } from "vitest";
import { childExecutionArn, eventDetails, stepAttempts, summarizeEvent } from "./events";

const ev = (eventId: number, type: ConsoleEvent["type"], details: Record<string, unknown>): ConsoleEvent => ({
  eventId,
  type,
  timestamp: 1000 + eventId,
  operationId: "op",
  details,
});

describe("events", () => {
  it("reads details whether bare or wrapped in <Type>Details", () => {
    expect(eventDetails(ev(1, "WaitStarted", { Duration: 5 }))).toEqual({ Duration: 5 });
    expect(eventDetails(ev(1, "WaitStarted", { WaitStartedDetails: { Duration: 5 } }))).toEqual({
      Duration: 5,
    });
  });

  it("summarises a failed attempt with its retry delay", () => {
    const failed = ev(3, "StepFailed", {
      Error: { Payload: { ErrorType: "Error", ErrorMessage: "attempt 1 failed" } },
      RetryDetails: { CurrentAttempt: 1, NextAttemptDelaySeconds: 1 },
    });
    expect(summarizeEvent(failed)).toBe("attempt 1 · Error: attempt 1 failed · retry in 1 s");
    expect(
      stepAttempts([
        failed,
        ev(5, "StepSucceeded", { Result: { Payload: "2" }, RetryDetails: { CurrentAttempt: 2 } }),
      ]),
    ).toEqual([
      {
        attempt: 1,
        at: 1003,
        outcome: "failed",
        error: { ErrorType: "Error", ErrorMessage: "attempt 1 failed" },
        retryDelaySeconds: 1,
      },
      { attempt: 2, at: 1005, outcome: "succeeded" },
    ]);
  });

  it("finds the execution a chained invoke started", () => {
    const arn = "arn:aws:lambda:us-east-1:000000000000:function:steps:$LATEST/durable-execution/a/b";
    expect(
      childExecutionArn([ev(2, "ChainedInvokeStarted", { FunctionName: "steps", DurableExecutionArn: arn })]),
    ).toBe(arn);
    expect(childExecutionArn([ev(2, "ChainedInvokeStarted", { FunctionName: "plain" })])).toBeUndefined();
  });
});
