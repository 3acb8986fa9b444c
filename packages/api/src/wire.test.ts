// Record → wire conversions (spec §1.7, §3.4, §7.2–7.4): seconds, omitted members, payload stripping.
import type { EventRecord, OperationRecord } from "@dormouse/engine";
import { DEFAULT_ARN_CONTEXT } from "@dormouse/protocol";
import { describe, expect, it } from "vitest";
import { ARN, T0, eventRecord, executionRecord, stepRecord } from "./test-service.js";
import {
  eventToWire,
  executionToWire,
  functionConfiguration,
  functionErrorBody,
  operationToWire,
  summaryToWire,
} from "./wire.js";

describe("operationToWire", () => {
  it("converts every timestamp to epoch seconds and drops seq", () => {
    const wire = operationToWire(
      stepRecord({
        Status: "PENDING",
        EndTimestamp: undefined,
        StepDetails: { Attempt: 2, NextAttemptTimestamp: T0 + 5062, Error: { ErrorType: "E" } },
      }),
    );
    expect(wire).toEqual({
      Id: "c4ca4238a0b92382",
      Name: "validate",
      Type: "STEP",
      SubType: "Step",
      Status: "PENDING",
      StartTimestamp: 1795321200.051,
      StepDetails: { Attempt: 2, NextAttemptTimestamp: 1795321205.062, Error: { ErrorType: "E" } },
    });
    expect(JSON.stringify(wire)).toContain('"StartTimestamp":1795321200.051');
    expect(JSON.stringify(wire)).not.toContain("seq");
  });

  it("converts WaitDetails.ScheduledEndTimestamp and EndTimestamp", () => {
    const wire = operationToWire({
      seq: 2,
      Id: "c81e728d9d4c2f63",
      Type: "WAIT",
      SubType: "Wait",
      Status: "SUCCEEDED",
      StartTimestamp: T0,
      EndTimestamp: T0 + 5000,
      WaitDetails: { ScheduledEndTimestamp: T0 + 5000 },
    });
    expect(wire.EndTimestamp).toBe(1795321205);
    expect(wire.WaitDetails).toEqual({ ScheduledEndTimestamp: 1795321205 });
  });

  it("omits null and undefined members instead of sending null", () => {
    const op = {
      seq: 3,
      Id: "x",
      ParentId: null,
      Name: undefined,
      Type: "CALLBACK",
      SubType: "Callback",
      Status: "STARTED",
      StartTimestamp: T0,
      EndTimestamp: null,
      CallbackDetails: { CallbackId: "Q2Fs", Result: null, Error: null },
    } as unknown as OperationRecord;
    const json = JSON.stringify(operationToWire(op));
    expect(json).not.toContain("null");
    expect(JSON.parse(json)).toEqual({
      Id: "x",
      Type: "CALLBACK",
      SubType: "Callback",
      Status: "STARTED",
      StartTimestamp: 1795321200,
      CallbackDetails: { CallbackId: "Q2Fs" },
    });
  });

  it("keeps empty details objects and empty-string results (large context results, §1.8)", () => {
    const ctx = operationToWire({
      seq: 4,
      Id: "a",
      Type: "CONTEXT",
      Status: "STARTED",
      StartTimestamp: T0,
      ContextDetails: {},
    });
    expect(ctx.ContextDetails).toEqual({});
    const done = operationToWire({
      seq: 4,
      Id: "a",
      Type: "CONTEXT",
      Status: "SUCCEEDED",
      StartTimestamp: T0,
      ContextDetails: { ReplayChildren: true, Result: "" },
    });
    expect(done.ContextDetails).toEqual({ ReplayChildren: true, Result: "" });
  });

  it("copies EXECUTION and CHAINED_INVOKE details", () => {
    expect(
      operationToWire({
        seq: 0,
        Id: "E",
        Type: "EXECUTION",
        Status: "STARTED",
        StartTimestamp: T0,
        ExecutionDetails: { InputPayload: "{}" },
      }).ExecutionDetails,
    ).toEqual({ InputPayload: "{}" });
    expect(
      operationToWire({
        seq: 5,
        Id: "c",
        Type: "CHAINED_INVOKE",
        Status: "FAILED",
        StartTimestamp: T0,
        ChainedInvokeDetails: { Error: { ErrorMessage: "boom", StackTrace: ["a", "b"] } },
      }).ChainedInvokeDetails,
    ).toEqual({ Error: { ErrorMessage: "boom", StackTrace: ["a", "b"] } });
  });
});

describe("eventToWire", () => {
  it("builds the envelope with seconds and the details member named after the type", () => {
    expect(eventToWire(eventRecord({ parentId: "p1" }), true)).toEqual({
      EventType: "StepSucceeded",
      EventId: 3,
      EventTimestamp: 1795321200.051,
      Id: "c4ca4238a0b92382",
      Name: "validate",
      SubType: "Step",
      ParentId: "p1",
      StepSucceededDetails: {
        Result: { Payload: '{"ok":true}', Truncated: false },
        RetryDetails: { CurrentAttempt: 1 },
      },
    });
  });

  it("omits Id/Name/SubType on InvocationCompleted and always sends a details member", () => {
    const ev: EventRecord = {
      eventId: 5,
      type: "InvocationCompleted",
      timestamp: T0 + 100,
      details: { StartTimestamp: 1795321200, EndTimestamp: 1795321200.1, RequestId: "R1" },
    };
    expect(eventToWire(ev, true)).toEqual({
      EventType: "InvocationCompleted",
      EventId: 5,
      EventTimestamp: 1795321200.1,
      InvocationCompletedDetails: { StartTimestamp: 1795321200, EndTimestamp: 1795321200.1, RequestId: "R1" },
    });
    expect(eventToWire({ ...ev, type: "StepStarted", details: {} }, true).StepStartedDetails).toEqual({});
  });

  it("IncludeExecutionData=false drops Payload from every wrapper and keeps the wrappers", () => {
    const cases: EventRecord[] = [
      eventRecord(),
      eventRecord({
        type: "ExecutionStarted",
        details: { Input: { Payload: '{"n":42}', Truncated: false }, ExecutionTimeout: 3600 },
      }),
      eventRecord({
        type: "StepFailed",
        details: {
          Error: { Payload: { ErrorType: "E", ErrorMessage: "m" }, Truncated: false },
          RetryDetails: { CurrentAttempt: 1, NextAttemptDelaySeconds: 5 },
        },
      }),
      eventRecord({
        type: "ChainedInvokeStarted",
        details: { FunctionName: "child", Input: { Payload: "{}" }, ExecutedVersion: "1" },
      }),
    ];
    const stripped = cases.map((e) => eventToWire(e, false));
    expect(stripped.map((e) => e[`${e.EventType}Details`])).toEqual([
      { Result: { Truncated: false }, RetryDetails: { CurrentAttempt: 1 } },
      { Input: { Truncated: false }, ExecutionTimeout: 3600 },
      { Error: { Truncated: false }, RetryDetails: { CurrentAttempt: 1, NextAttemptDelaySeconds: 5 } },
      { FunctionName: "child", Input: {}, ExecutedVersion: "1" },
    ]);
    expect(JSON.stringify(stripped)).not.toContain("Payload");
    // The record itself is untouched.
    expect(cases[0]!.details).toEqual(eventRecord().details);
  });
});

describe("executionToWire", () => {
  const failed = executionRecord({
    status: "FAILED",
    endedAt: T0 + 2500,
    error: { ErrorType: "StepError", ErrorMessage: "nope" },
    traceId: "Root=1-abc",
    config: { executionTimeoutSeconds: 3600, retentionDays: 7, functionTimeoutSeconds: 60, kmsKeyArn: "k" },
  });

  it("shapes GetDurableExecution (§7.2) with a version-qualified FunctionArn", () => {
    expect(executionToWire(failed, true, DEFAULT_ARN_CONTEXT)).toEqual({
      DurableExecutionArn: ARN,
      DurableExecutionName: "order-42",
      FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:orders:$LATEST",
      Status: "FAILED",
      StartTimestamp: 1795321200,
      EndTimestamp: 1795321202.5,
      InputPayload: '{"n":42}',
      Error: { ErrorType: "StepError", ErrorMessage: "nope" },
      Version: "$LATEST",
      ExecutionDataIncluded: true,
      DurableConfig: { ExecutionTimeout: 3600, RetentionPeriodInDays: 7, KMSKeyArn: "k" },
      TraceHeader: { XAmznTraceId: "Root=1-abc" },
    });
  });

  it("leaves out InputPayload, Result and Error without execution data", () => {
    const wire = executionToWire(failed, false, DEFAULT_ARN_CONTEXT);
    expect(wire.ExecutionDataIncluded).toBe(false);
    expect(wire).not.toHaveProperty("InputPayload");
    expect(wire).not.toHaveProperty("Error");
  });

  it("sends Result only for SUCCEEDED and no EndTimestamp while running", () => {
    const running = executionToWire(executionRecord({ result: "x" }), true, DEFAULT_ARN_CONTEXT);
    expect(running).not.toHaveProperty("Result");
    expect(running).not.toHaveProperty("EndTimestamp");
    const ok = executionToWire(
      executionRecord({ status: "SUCCEEDED", endedAt: T0 + 1, result: "" }),
      true,
      DEFAULT_ARN_CONTEXT,
    );
    expect(ok.Result).toBe("");
  });

  it("uses the configured ARN context", () => {
    const ctx = { partition: "aws", region: "eu-west-1", account: "123456789012" };
    expect(executionToWire(failed, true, ctx).FunctionArn).toBe(
      "arn:aws:lambda:eu-west-1:123456789012:function:orders:$LATEST",
    );
  });

  it("shapes list summaries (§7.4)", () => {
    expect(summaryToWire(failed, DEFAULT_ARN_CONTEXT)).toEqual({
      DurableExecutionArn: ARN,
      DurableExecutionName: "order-42",
      FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:orders:$LATEST",
      Status: "FAILED",
      StartTimestamp: 1795321200,
      EndTimestamp: 1795321202.5,
      KMSKeyArn: "k",
    });
  });
});

describe("functionErrorBody and functionConfiguration", () => {
  it("maps an ErrorObject to Lambda's error body, with fallbacks", () => {
    expect(
      functionErrorBody({ ErrorType: "T", ErrorMessage: "m", ErrorData: "d", StackTrace: ["s"] }, "F", "f"),
    ).toEqual({ errorType: "T", errorMessage: "m", errorData: "d", stackTrace: ["s"] });
    expect(functionErrorBody(undefined, "Execution.TimedOut", "timed out")).toEqual({
      errorType: "Execution.TimedOut",
      errorMessage: "timed out",
    });
  });

  it("shapes a FunctionConfiguration with DurableConfig only for durable functions", () => {
    const base = {
      name: "orders",
      version: "$LATEST",
      timeoutSeconds: 60,
      memoryMb: 256,
      handler: "index.handler",
      runtime: "nodejs20.x",
    };
    const durable = functionConfiguration(
      { ...base, durable: true, executionTimeoutSeconds: 3600, retentionDays: 14 },
      DEFAULT_ARN_CONTEXT,
      "live",
    );
    expect(durable).toMatchObject({
      FunctionName: "orders",
      FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:orders:live",
      Runtime: "nodejs20.x",
      Handler: "index.handler",
      Timeout: 60,
      MemorySize: 256,
      Version: "$LATEST",
      DurableConfig: { ExecutionTimeout: 3600, RetentionPeriodInDays: 14 },
    });
    const plain = functionConfiguration({ ...base, durable: false }, DEFAULT_ARN_CONTEXT);
    expect(plain.FunctionArn).toBe("arn:aws:lambda:us-east-1:000000000000:function:orders");
    expect(plain).not.toHaveProperty("DurableConfig");
  });
});
