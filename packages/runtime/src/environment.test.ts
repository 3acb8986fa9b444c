// What user code sees of its environment, checked inside real workers.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { fixture, request, withRuntime } from "./test-support.js";

describe("worker environment (in a worker)", () => {
  it("sets the Lambda variables and the function's own, and keeps the server's secrets out", () =>
    withRuntime(
      async (rt) => {
        const def = fixture("env.mjs", "handler", {
          name: "orders",
          version: "7",
          memoryMb: 384,
          timeoutSeconds: 12,
          environment: { TABLE_NAME: "orders-table" },
        });
        const out = await rt.invoke(def, request());
        if (out.kind !== "returned") throw new Error(JSON.stringify(out.error));
        const env = JSON.parse(out.payload) as Record<string, string>;
        expect(env).toMatchObject({
          TABLE_NAME: "orders-table",
          AWS_ENDPOINT_URL_LAMBDA: "http://127.0.0.1:4567",
          AWS_REGION: "eu-west-1",
          AWS_DEFAULT_REGION: "eu-west-1",
          AWS_LAMBDA_FUNCTION_NAME: "orders",
          AWS_LAMBDA_FUNCTION_VERSION: "7",
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "384",
          AWS_LAMBDA_FUNCTION_TIMEOUT: "12",
          PATH: process.env.PATH,
        });
        expect(env.AWS_ACCESS_KEY_ID).toBeTruthy();
        expect(env.AWS_SECRET_ACCESS_KEY).toBeTruthy();
        expect(env.DORMOUSE_TEST_SECRET).toBeUndefined();
        expect(env.NODE_OPTIONS).toBeUndefined();
      },
      {
        apiEndpoint: "http://127.0.0.1:4567",
        region: "eu-west-1",
        serverEnv: { ...process.env, DORMOUSE_TEST_SECRET: "s3cret", NODE_OPTIONS: "--inspect" },
      },
    ));

  it("points the SDK's default Lambda client at the API, quietly", async () => {
    const seen: { method?: string; url?: string; headers: IncomingHttpHeaders }[] = [];
    const api = createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, headers: req.headers });
      req.resume();
      res.writeHead(404, {
        "content-type": "application/json",
        "x-amzn-errortype": "ResourceNotFoundException",
      });
      res.end(JSON.stringify({ Type: "User", Message: "no such execution" }));
    });
    await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    try {
      await withRuntime(
        async (rt, { logs }) => {
          const arn = "arn:aws:lambda:us-east-1:000000000000:function:fn:$LATEST/durable-execution/a/b";
          const out = await rt.invoke(fixture("sdk-client.mjs"), request({ arn }));
          expect(out.kind === "returned" && JSON.parse(out.payload)).toMatchObject({
            ok: false,
            error: expect.stringContaining("ResourceNotFoundException"),
          });
          expect(seen).toHaveLength(1);
          expect(seen[0]!.url).toBe(`/2025-12-01/durable-executions/${encodeURIComponent(arn)}`);
          expect(seen[0]!.headers.authorization).toMatch(/Credential=\w+\/\d{8}\/us-east-1\/lambda\//);
          expect(logs.items.filter((l) => /NodeVersionSupportWarning/.test(l.line))).toEqual([]);
        },
        { apiEndpoint: endpoint },
      );
    } finally {
      api.closeAllConnections();
      await new Promise<void>((resolve) => api.close(() => resolve()));
    }
  });
});
