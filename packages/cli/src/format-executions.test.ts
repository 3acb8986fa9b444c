import type { Event } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { describeEvent } from "./describe-event.js";
import { formatExecution, formatExecutionList, formatHistory } from "./format-executions.js";

const ARN = "arn:aws:lambda:us-east-1:000000000000:function:greeter:$LATEST/durable-execution/run-1/abc";
const t = (seconds: number) => new Date(Date.UTC(2025, 5, 1, 12, 0, seconds));

describe("formatExecutionList", () => {
  it("prints one aligned row per execution, local times, ARN last", () => {
    const text = formatExecutionList(
      [
        {
          DurableExecutionArn: ARN,
          DurableExecutionName: "run-1",
          FunctionArn: "f",
          Status: "RUNNING",
          StartTimestamp: t(0),
        },
        {
          DurableExecutionArn: `${ARN}2`,
          DurableExecutionName: "second-run",
          FunctionArn: "f",
          Status: "SUCCEEDED",
          StartTimestamp: t(1),
          EndTimestamp: t(3),
        },
      ],
      60,
    );
    expect(text.split("\n")).toEqual([
      "NAME        STATUS     STARTED                        ENDED                          ARN",
      `run-1       RUNNING    2025-06-01T13:00:00.000+01:00                                 ${ARN}`,
      `second-run  SUCCEEDED  2025-06-01T13:00:01.000+01:00  2025-06-01T13:00:03.000+01:00  ${ARN}2`,
    ]);
  });

  it("says so when there is nothing", () => {
    expect(formatExecutionList([])).toBe("no executions");
  });
});

describe("formatExecution", () => {
  it("prints key: value lines and leaves out what the execution does not have", () => {
    const text = formatExecution(
      {
        DurableExecutionArn: ARN,
        DurableExecutionName: "run-1",
        FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:greeter:$LATEST",
        Status: "FAILED",
        StartTimestamp: t(0),
        EndTimestamp: t(2),
        InputPayload: '{"name":"Ada"}',
        Error: { ErrorType: "StepError", ErrorMessage: "boom" },
        Version: "$LATEST",
        DurableConfig: { ExecutionTimeout: 3600, RetentionPeriodInDays: 7 },
      },
      0,
    );
    expect(text.split("\n")).toEqual([
      "name:      run-1",
      `arn:       ${ARN}`,
      "function:  arn:aws:lambda:us-east-1:000000000000:function:greeter:$LATEST",
      "version:   $LATEST",
      "status:    FAILED",
      "started:   2025-06-01T12:00:00.000Z",
      "ended:     2025-06-01T12:00:02.000Z",
      "took:      2s",
      'input:     {"name":"Ada"}',
      "error:     StepError: boom",
      "timeout:   1h",
      "retention: 7 days",
    ]);
  });
});

describe("formatHistory and describeEvent", () => {
  const events: Event[] = [
    {
      EventType: "ExecutionStarted",
      EventId: 1,
      Id: "e",
      EventTimestamp: t(0),
      ExecutionStartedDetails: { Input: { Payload: "{}" }, ExecutionTimeout: 900 },
    },
    {
      EventType: "StepFailed",
      EventId: 2,
      Id: "s",
      Name: "charge",
      EventTimestamp: t(1),
      StepFailedDetails: {
        Error: { Payload: { ErrorType: "Error", ErrorMessage: "card declined" } },
        RetryDetails: { CurrentAttempt: 1, NextAttemptDelaySeconds: 5 },
      },
    },
    {
      EventType: "WaitStarted",
      EventId: 3,
      Id: "w",
      Name: "pause",
      EventTimestamp: t(2),
      WaitStartedDetails: { Duration: 2, ScheduledEndTimestamp: t(4) },
    },
    {
      EventType: "InvocationCompleted",
      EventId: 4,
      EventTimestamp: t(2),
      InvocationCompletedDetails: { StartTimestamp: t(0), EndTimestamp: t(2), RequestId: "r" },
    },
    {
      EventType: "CallbackStarted",
      EventId: 5,
      Id: "c",
      Name: "approval",
      EventTimestamp: t(5),
      CallbackStartedDetails: { CallbackId: "cb-1", Timeout: 600 },
    },
    {
      EventType: "StepSucceeded",
      EventId: 6,
      Id: "s2",
      EventTimestamp: t(6),
      StepSucceededDetails: { Result: {}, RetryDetails: { CurrentAttempt: 1 } },
    },
  ];

  it("summarises each event's details on one line", () => {
    expect(events.map((e) => describeEvent(e, 0))).toEqual([
      "input {}, timeout 15m",
      "error Error: card declined, attempt 1, retry in 5s",
      "2s, until 2025-06-01T12:00:04.000Z",
      "took 2s",
      "callback cb-1, timeout 10m",
      "result (none)",
    ]);
  });

  it("prints a table with the event id first", () => {
    const lines = formatHistory(events, 0).split("\n");
    expect(lines[0]).toBe("#  TIME                      EVENT                NAME      DETAIL");
    expect(lines[2]).toBe(
      "2  2025-06-01T12:00:01.000Z  StepFailed           charge    error Error: card declined, attempt 1, retry in 5s",
    );
    expect(formatHistory([])).toBe("no events");
  });
});
