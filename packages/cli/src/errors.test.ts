import { ResourceNotFoundException } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { UsageError } from "./args.js";
import { ConnectionError, connectionErrorCode } from "./client.js";
import { describeFailure } from "./errors.js";

describe("describeFailure", () => {
  it("reports usage errors with exit code 2", () => {
    expect(describeFailure(new UsageError("--payload: not valid JSON"))).toEqual({
      message: "error: --payload: not valid JSON",
      exitCode: 2,
    });
  });

  it("reports API errors by their AWS error name", () => {
    const error = new ResourceNotFoundException({ message: "Function not found: nope", $metadata: {} });
    expect(describeFailure(error)).toEqual({
      message: "error: ResourceNotFoundException: Function not found: nope",
      exitCode: 1,
    });
  });

  it("asks whether the server is running when nothing answers", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9014"), { code: "ECONNREFUSED" });
    const failure = describeFailure(new ConnectionError("http://127.0.0.1:9014", "ECONNREFUSED", { cause }));
    expect(failure.exitCode).toBe(1);
    expect(failure.message).toMatch(
      /^error: cannot reach http:\/\/127\.0\.0\.1:9014 \(ECONNREFUSED\): is `dormouse dev` running at http:\/\/127\.0\.0\.1:9014\?/,
    );
  });

  it("treats the server's ConfigError as a usage error and anything else as a failure", () => {
    const config = Object.assign(new Error("port: must be an integer"), { name: "ConfigError" });
    expect(describeFailure(config).exitCode).toBe(2);
    expect(describeFailure(new Error("template.yaml: Handler missing"))).toEqual({
      message: "error: template.yaml: Handler missing",
      exitCode: 1,
    });
  });
});

describe("connectionErrorCode", () => {
  it("finds the code on the error or inside an AggregateError", () => {
    expect(connectionErrorCode(Object.assign(new Error("x"), { code: "ECONNREFUSED" }))).toBe("ECONNREFUSED");
    const inner = Object.assign(new Error("x"), { code: "ECONNREFUSED" });
    expect(connectionErrorCode(new AggregateError([new Error("y"), inner]))).toBe("ECONNREFUSED");
    expect(
      connectionErrorCode(new ResourceNotFoundException({ message: "m", $metadata: {} })),
    ).toBeUndefined();
    expect(connectionErrorCode("ECONNREFUSED")).toBeUndefined();
  });
});
