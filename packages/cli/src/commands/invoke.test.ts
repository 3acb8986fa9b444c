import { describe, expect, it } from "vitest";
import { describeFunctionError, formatInvokeOutput } from "./invoke.js";

const ARN = "arn:aws:lambda:us-east-1:000000000000:function:greeter:$LATEST/durable-execution/n/id";
const bytes = (text: string) => new TextEncoder().encode(text);

describe("formatInvokeOutput", () => {
  it("prints the execution and its result", () => {
    const printed = formatInvokeOutput(
      {
        StatusCode: 200,
        DurableExecutionArn: ARN,
        ExecutedVersion: "$LATEST",
        Payload: bytes('{"greeting":"Hello"}'),
      },
      false,
    );
    expect(printed).toEqual({
      failed: false,
      text: [`execution: ${ARN}`, "version:   $LATEST", 'result:    {"greeting":"Hello"}'].join("\n"),
    });
  });

  it("prints the error of a failed execution and marks it failed", () => {
    const printed = formatInvokeOutput(
      {
        StatusCode: 200,
        FunctionError: "Unhandled",
        DurableExecutionArn: ARN,
        Payload: bytes('{"errorType":"StepError","errorMessage":"boom"}'),
      },
      false,
    );
    expect(printed.failed).toBe(true);
    expect(printed.text).toContain("error:     StepError: boom");
  });

  it("prints only the ARN for --async, so scripts can capture it", () => {
    expect(formatInvokeOutput({ StatusCode: 202, DurableExecutionArn: ARN }, true)).toEqual({
      text: ARN,
      failed: false,
    });
  });

  it("shows a missing result as (none) and a plain function without an execution line", () => {
    expect(formatInvokeOutput({ StatusCode: 200, Payload: bytes("") }, false).text).toBe("result: (none)");
  });
});

describe("describeFunctionError", () => {
  it("reads Lambda's error body and falls back to the raw text", () => {
    expect(describeFunctionError('{"errorMessage":"only a message"}')).toBe("only a message");
    expect(describeFunctionError("Task timed out")).toBe("Task timed out");
    expect(describeFunctionError("")).toBe("(no details)");
  });
});
