// The error mapping (spec §3.1) and a small fuzz: a client's mistake is never a 5xx.
import { AWS_ERRORS, DurableError, type AwsErrorName } from "@dormouse/protocol";
import { ConflictError, StoreUnavailableError } from "@dormouse/store";
import type { DurableService } from "@dormouse/scheduler";
import type { FastifyBaseLogger } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { createApi } from "./app.js";
import { mapError } from "./errors.js";
import { CALLBACK_ID, ENCODED_ARN, awsError, fakeService } from "./test-service.js";

const apps: ReturnType<typeof createApi>[] = [];
function setup(overrides: Partial<DurableService> = {}) {
  const service = fakeService(overrides);
  const app = createApi({ service });
  apps.push(app);
  return { service, app };
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

const EXEC = `/2025-12-01/durable-executions/${ENCODED_ARN}`;

describe("DurableError mapping", () => {
  it.each(Object.entries(AWS_ERRORS) as [AwsErrorName, (typeof AWS_ERRORS)[AwsErrorName]][])(
    "%s → its status, errortype header and message field",
    async (name, shape) => {
      const { app } = setup({
        getExecution: async () => {
          throw new DurableError(name, `it was ${name}`);
        },
      });
      const res = await app.inject({ method: "GET", url: EXEC });
      expect(res.statusCode).toBe(shape.status);
      expect(res.headers["x-amzn-errortype"]).toBe(name);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(JSON.parse(res.body)).toEqual({ Type: shape.type, [shape.messageField]: `it was ${name}` });
    },
  );

  it("recognises a DurableError from another copy of the protocol module by its awsName", () => {
    const foreign = Object.assign(new Error("stale"), { awsName: "InvalidParameterValueException" });
    expect(mapError(foreign)).toEqual({
      name: "InvalidParameterValueException",
      message: "stale",
      internal: false,
    });
    expect(mapError(Object.assign(new Error("x"), { awsName: "Nonsense" })).name).toBe("ServiceException");
  });

  it("turns anything else into a 500 ServiceException without leaking the message", async () => {
    const { app } = setup({
      getExecution: async () => {
        throw new Error("database password is hunter2");
      },
    });
    const res = await app.inject({ method: "GET", url: EXEC });
    const err = awsError(res);
    expect(err).toMatchObject({ status: 500, name: "ServiceException", type: "Service" });
    expect(err.message).toContain(String(res.headers["x-amzn-requestid"]));
    expect(res.body).not.toContain("hunter2");
  });

  it("answers a lost database with a retryable ServiceException that says so, without its address", async () => {
    const { app } = setup({
      getExecution: async () => {
        throw new StoreUnavailableError('db.internal:5432 (user "dormouse")', new Error("ECONNREFUSED"));
      },
    });
    const res = await app.inject({ method: "GET", url: EXEC });
    const err = awsError(res);
    expect(err).toMatchObject({ status: 500, name: "ServiceException", type: "Service" });
    expect(err.message).toMatch(/cannot reach its database right now; the request was not carried out/);
    expect(res.body).not.toContain("db.internal");
  });

  it("answers a decision that kept losing to other nodes with a retryable ServiceException", async () => {
    const { app } = setup({
      getExecution: async () => {
        throw new ConflictError("arn:x");
      },
    });
    const err = awsError(await app.inject({ method: "GET", url: EXEC }));
    expect(err).toMatchObject({ status: 500, name: "ServiceException" });
    expect(err.message).toMatch(/changed concurrently; the request was not carried out\. Retry it/);
  });

  it("logs internal errors through the given logger", async () => {
    const logged: { level: string; args: unknown[] }[] = [];
    const logger = {
      level: "debug",
      child: () => logger,
      ...Object.fromEntries(
        ["fatal", "error", "warn", "info", "debug", "trace", "silent"].map((level) => [
          level,
          (...args: unknown[]) => logged.push({ level, args }),
        ]),
      ),
    } as unknown as FastifyBaseLogger;
    const service = fakeService({
      getExecution: async () => {
        throw new TypeError("cannot read x of undefined");
      },
    });
    const app = createApi({ service, logger });
    apps.push(app);
    await app.inject({ method: "GET", url: EXEC });
    const errors = logged.filter((l) => l.level === "error");
    expect(errors).toHaveLength(1);
    expect((errors[0]!.args[0] as { err: Error }).err.message).toBe("cannot read x of undefined");
  });

  it("maps a synchronous throw from resolveFunction too", async () => {
    const { app } = setup({
      resolveFunction: () => {
        throw new DurableError("InvalidParameterValueException", "conflicting qualifiers");
      },
    });
    const res = await app.inject({
      method: "POST",
      url: "/2015-03-31/functions/orders:1/invocations?Qualifier=2",
    });
    expect(awsError(res)).toMatchObject({ status: 400, message: "conflicting qualifiers" });
  });
});

describe("fuzz: client mistakes are 4xx", () => {
  const urls = [
    EXEC,
    `${EXEC}/history`,
    `${EXEC}/state`,
    `${EXEC}/checkpoint`,
    `${EXEC}/stop`,
    `/2025-12-01/durable-execution-callbacks/${encodeURIComponent(CALLBACK_ID)}/succeed`,
    `/2025-12-01/durable-execution-callbacks/${encodeURIComponent(CALLBACK_ID)}/fail`,
    `/2025-12-01/durable-execution-callbacks/${encodeURIComponent(CALLBACK_ID)}/heartbeat`,
    "/2025-12-01/functions/orders/durable-executions",
    "/2015-03-31/functions/orders/invocations",
    "/2015-03-31/functions",
    "/2015-03-31/functions/orders",
    "/2015-03-31/functions/orders/configuration",
    "/2025-12-01/durable-executions/%",
    "/2025-12-01/durable-executions/%00",
    "/2025-12-01/durable-execution-callbacks//succeed",
    "/2015-03-31/functions/%F0%9F%90%AD/invocations",
    "//2015-03-31/functions",
    "/2025-12-01/durable-executions/x?Marker=%&MaxItems=%%",
    `${EXEC}/history?MaxItems=1e3&ReverseOrder=&IncludeExecutionData[]=true`,
  ];
  const methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"] as const;
  const bodies: { payload?: string | Buffer; headers?: Record<string, string> }[] = [
    {},
    { payload: "" },
    { payload: "{" },
    { payload: "null" },
    { payload: "[]" },
    { payload: '"string"' },
    { payload: '{"CheckpointToken":"VDFh","Updates":[{"Id":"a","Type":"STEP","Action":"START"}]}' },
    { payload: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}' },
    { payload: "[".repeat(100_000) + "]".repeat(100_000) },
    { payload: Buffer.from([0xff, 0xfe, 0x00, 0x01]) },
    { payload: "{}", headers: { "content-type": "application/x-www-form-urlencoded" } },
    { payload: "a=1&b=2", headers: { "content-type": "multipart/form-data; boundary=--x" } },
    { payload: "{}", headers: { "content-type": ";;;" } },
    { payload: "{}", headers: { "content-encoding": "gzip" } },
    { payload: "x".repeat(8 * 1024 * 1024) },
  ];

  it("answers every combination with a 2xx or 4xx and an AWS-shaped error", async () => {
    const { app } = setup();
    const failures: string[] = [];
    for (const url of urls) {
      for (const method of methods) {
        for (const body of bodies) {
          const res = await app.inject({ method, url, ...body });
          const label = `${method} ${url} ${String(body.payload ?? "").slice(0, 20)} ${JSON.stringify(body.headers ?? {})}`;
          if (res.statusCode >= 500) failures.push(`${label} → ${res.statusCode} ${res.body.slice(0, 200)}`);
          if (res.statusCode >= 400 && method !== "HEAD") {
            const name = res.headers["x-amzn-errortype"];
            if (typeof name !== "string")
              failures.push(`${label} → ${res.statusCode} without x-amzn-errortype`);
          }
          if (!res.headers["x-amzn-requestid"]) failures.push(`${label} → no request id`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);
});
