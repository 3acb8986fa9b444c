import { describe, expect, it } from "vitest";
import { fixture } from "./test-support.js";
import { inheritedEnvironment, logStreamName, workerEnvironment, workerExecArgv } from "./worker-env.js";

const opts = { apiEndpoint: "http://127.0.0.1:4000", region: "eu-west-1", logStreamName: "s" };

describe("worker environment", () => {
  it("passes on only PATH, HOME and NODE_* basics from the server", () => {
    const inherited = inheritedEnvironment({
      PATH: "/bin",
      HOME: "/home/u",
      NODE_ENV: "production",
      NODE_OPTIONS: "--inspect",
      NODE_CHANNEL_FD: "3",
      DATABASE_URL: "postgres://secret",
      AWS_SECRET_ACCESS_KEY: "real-key",
    });
    expect(inherited).toEqual({ PATH: "/bin", HOME: "/home/u", NODE_ENV: "production" });
  });

  it("lets the function override credentials but not the variables Lambda reserves", () => {
    const def = fixture("env.mjs", "handler", {
      name: "orders",
      version: "3",
      memoryMb: 512,
      timeoutSeconds: 60,
      environment: {
        TABLE: "t",
        AWS_ACCESS_KEY_ID: "mine",
        AWS_REGION: "us-west-2",
        AWS_ENDPOINT_URL_LAMBDA: "http://elsewhere",
      },
    });
    const env = workerEnvironment(def, opts, { PATH: "/bin" });
    expect(env).toMatchObject({
      PATH: "/bin",
      TABLE: "t",
      AWS_ACCESS_KEY_ID: "mine",
      AWS_SECRET_ACCESS_KEY: "dormouse",
      AWS_ENDPOINT_URL_LAMBDA: "http://127.0.0.1:4000",
      AWS_REGION: "eu-west-1",
      AWS_DEFAULT_REGION: "eu-west-1",
      AWS_LAMBDA_FUNCTION_NAME: "orders",
      AWS_LAMBDA_FUNCTION_VERSION: "3",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "512",
      AWS_LAMBDA_FUNCTION_TIMEOUT: "60",
      AWS_LAMBDA_LOG_STREAM_NAME: "s",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    });
  });

  it("sizes the heap from memoryMb and loads tsx", () => {
    expect(
      workerExecArgv(fixture("env.mjs", "handler", { memoryMb: 128 }), "file:///tsx/loader.mjs"),
    ).toEqual(["--import", "file:///tsx/loader.mjs", "--max-old-space-size=128"]);
  });

  it("names log streams like Lambda", () => {
    expect(logStreamName("$LATEST", new Date("2026-03-04T05:06:07Z"), "ab12")).toBe(
      "2026/03/04/[$LATEST]ab12",
    );
  });
});
