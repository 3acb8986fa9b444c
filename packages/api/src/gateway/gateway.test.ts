// The gateway's listener with a stand-in service, for what the end-to-end suite cannot wait for:
// the integration timeouts (30 s / 29 s on AWS, shortened here). Event and response shapes are
// tested end to end in tests/e2e/http-triggers.test.ts.
import type { ResolvedFunction } from "@dormouse/engine";
import { afterEach, describe, expect, it } from "vitest";
import { executionRecord } from "../test-service.js";
import { Gateway } from "./gateway.js";
import type { GatewayService } from "./gateway.js";
import type { HttpTrigger } from "./triggers.js";

function fn(durable: boolean): ResolvedFunction {
  return {
    functionName: durable ? "slow-durable" : "slow",
    version: "$LATEST",
    durable,
    executionTimeoutSeconds: 600,
    retentionDays: 1,
    functionTimeoutSeconds: 900,
  };
}

/** Plain invocations never finish; durable executions stay RUNNING. */
const service: GatewayService = {
  resolveFunction: (ref) => fn(ref === "slow-durable"),
  invokePlain: () => new Promise(() => undefined),
  startExecution: async () => ({ execution: executionRecord(), created: true }),
  waitForTerminal: async (_arn, ms) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return executionRecord();
  },
};

const triggers: HttpTrigger[] = [
  {
    kind: "HttpApi",
    functionName: "slow",
    resource: "Slow",
    event: "E",
    method: "GET",
    path: "/http",
    payloadFormat: "2.0",
  },
  {
    kind: "Api",
    functionName: "slow",
    resource: "Slow",
    event: "R",
    method: "GET",
    path: "/rest",
    payloadFormat: "1.0",
  },
  {
    kind: "HttpApi",
    functionName: "slow-durable",
    resource: "D",
    event: "E",
    method: "GET",
    path: "/durable",
    payloadFormat: "2.0",
  },
];

const gateways: Gateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

async function start(): Promise<string> {
  const gateway = new Gateway({ service, triggers, httpApiTimeoutMs: 100, restApiTimeoutMs: 80 });
  gateways.push(gateway);
  return `http://127.0.0.1:${await gateway.listen(0, "127.0.0.1")}`;
}

describe("integration timeouts", () => {
  it("answers 503 on an HTTP API route and 504 on a REST route when the function takes too long", async () => {
    const base = await start();
    const http = await fetch(`${base}/http`);
    expect(http.status).toBe(503);
    expect(await http.json()).toEqual({ message: "Service Unavailable" });
    const rest = await fetch(`${base}/rest`);
    expect(rest.status).toBe(504);
    expect(await rest.json()).toEqual({ message: "Endpoint request timed out" });
  });

  it("answers 503 when a durable execution is still running at the timeout", async () => {
    const base = await start();
    const res = await fetch(`${base}/durable`);
    expect(res.status).toBe(503);
    expect(res.headers.get("apigw-requestid")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("routes", () => {
  it("swaps routes on setTriggers", async () => {
    const base = await start();
    gateways[0]!.setTriggers([]);
    const res = await fetch(`${base}/http`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "Not Found" });
  });

  it("refuses a body over 10 MB with 413 before reading it", async () => {
    const base = await start();
    const res = await fetch(`${base}/http`, { method: "POST", body: Buffer.alloc(10 * 1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ message: "Request Entity Too Large" });
  });
});
