// HTTP triggers end to end (issue #5): a real server with the tests/fixtures/http template, real
// workers, real HTTP to the gateway. Covers payload 2.0 and 1.0 events, routing, response mapping,
// errors, function URLs, a durable function behind a route, and a plain function that drives
// durable executions through @aws-sdk/client-lambda from inside its worker.
import fs from "node:fs";
import path from "node:path";
import { ListDurableExecutionsByFunctionCommand } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callbackIdOf, eventsOf } from "../support/e2e.js";
import { gatewayRequest } from "../support/gateway-client.js";
import { history, startTestServer, tempDir, waitForStatus } from "../support/harness.js";
import type { TestServer } from "../support/harness.js";

const TEMPLATE = path.resolve(import.meta.dirname, "../fixtures/http/template.yaml");

let t: TestServer;
let base: string;
beforeAll(async () => {
  t = await startTestServer({ template: TEMPLATE });
  base = t.gatewayUrl!;
});
afterAll(async () => {
  await t?.close();
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The echo functions answer with the event they received. */
async function echoed(url: string, opts: Parameters<typeof gatewayRequest>[1] = {}) {
  const res = await gatewayRequest(url, opts);
  return { res, event: JSON.parse(res.text) as Json };
}

describe("payload format 2.0 (HttpApi)", () => {
  it("builds the event with path parameters, query, lower-case headers, cookies and request context", async () => {
    const { res, event } = await echoed(`${base}/items/42?a=1&a=2&b=x%20y&flag`, {
      headers: { "X-Custom": "Yes", Cookie: "c1=v1; c2=v2", "User-Agent": "tests/1.0" },
    });
    expect(res.status).toBe(200);
    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "GET /items/{id}", // the exact method wins over ANY on the same path
      rawPath: "/items/42",
      rawQueryString: "a=1&a=2&b=x%20y&flag",
      cookies: ["c1=v1", "c2=v2"],
      queryStringParameters: { a: "1,2", b: "x y", flag: "" },
      pathParameters: { id: "42" },
      isBase64Encoded: false,
      requestContext: {
        accountId: "000000000000",
        http: {
          method: "GET",
          path: "/items/42",
          protocol: "HTTP/1.1",
          sourceIp: "127.0.0.1",
          userAgent: "tests/1.0",
        },
        routeKey: "GET /items/{id}",
        stage: "$default",
        domainName: "127.0.0.1",
      },
    });
    expect(event.headers["x-custom"]).toBe("Yes");
    expect(event.headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(event.headers.cookie).toBeUndefined();
    expect(event.body).toBeUndefined();
    expect(event.requestContext.requestId).toBe(res.headers["apigw-requestid"]);
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(60_000);
    expect(event.requestContext.time).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    // The structured response: status, headers and one Set-Cookie per cookie.
    expect(res.headers["x-handled-by"]).toBe("echo");
    expect(res.headers["set-cookie"]).toEqual(["seen=1; Path=/", "theme=dark"]);
  });

  it("matches ANY for other methods, and decodes path parameters", async () => {
    const { event } = await echoed(`${base}/items/a%20b`, { method: "DELETE" });
    expect(event.routeKey).toBe("ANY /items/{id}");
    expect(event.requestContext.http.method).toBe("DELETE");
    expect(event.pathParameters).toEqual({ id: "a b" });
    expect(event.rawPath).toBe("/items/a%20b");
  });

  it("gives a greedy route the rest of the path, unless a more specific route matches", async () => {
    const greedy = await echoed(`${base}/files/a/b/c.txt`);
    expect(greedy.event.routeKey).toBe("GET /files/{proxy+}");
    expect(greedy.event.pathParameters).toEqual({ proxy: "a/b/c.txt" });
    const exact = await echoed(`${base}/files/docs/readme`);
    expect(exact.event.routeKey).toBe("GET /files/docs/readme");
    expect(exact.event.pathParameters).toBeUndefined();
  });

  it("passes a text body as text and a binary body as base64, and sends a base64 response as bytes", async () => {
    const text = await echoed(`${base}/upload`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: '{"name":"Ada ✓"}',
    });
    expect(text.event.body).toBe('{"name":"Ada ✓"}');
    expect(text.event.isBase64Encoded).toBe(false);

    const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe]);
    const binary = await gatewayRequest(`${base}/upload`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: bytes,
    });
    expect(binary.status).toBe(200);
    expect(binary.headers["content-type"]).toBe("application/octet-stream");
    expect([...binary.body]).toEqual([0xfe, 0xff, 2, 1, 0]);
  });

  it("answers 404 Not Found for unknown paths and for methods no route takes", async () => {
    for (const [method, url] of [
      ["GET", `${base}/nowhere`],
      ["POST", `${base}/files/a`],
      ["GET", `${base}/items`],
      ["GET", `${base}/`],
    ] as const) {
      const res = await gatewayRequest(url, { method });
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.json).toEqual({ message: "Not Found" });
    }
  });

  it("refuses a body over Lambda's 6 MB payload limit with 413", async () => {
    const res = await gatewayRequest(`${base}/upload`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "x".repeat(6 * 1024 * 1024 + 1),
    });
    expect(res.status).toBe(413);
    expect(res.json).toEqual({ message: "Request Entity Too Large" });
  });
});

describe("payload format 1.0", () => {
  it("gives a REST Api route the 1.0 event and maps statusCode, headers and multiValueHeaders", async () => {
    const { res, event } = await echoed(`${base}/rest/abc?x=1&x=2`, {
      method: "POST",
      headers: { "X-Test": ["A", "B"], "content-type": "text/plain" },
      body: "hello",
    });
    expect(res.status).toBe(201);
    expect(res.headers["x-single"]).toBe("one");
    expect(res.headers["x-multi"]).toBe("a, b");
    expect(event).not.toHaveProperty("version");
    expect(event).toMatchObject({
      resource: "/rest/{id}",
      path: "/rest/abc",
      httpMethod: "POST",
      queryStringParameters: { x: "2" },
      multiValueQueryStringParameters: { x: ["1", "2"] },
      pathParameters: { id: "abc" },
      stageVariables: null,
      body: "hello",
      isBase64Encoded: false,
      requestContext: {
        stage: "Prod",
        path: "/Prod/rest/abc",
        resourcePath: "/rest/{id}",
        httpMethod: "POST",
      },
    });
    expect(event.headers["X-Test"]).toBe("B");
    expect(event.multiValueHeaders["X-Test"]).toEqual(["A", "B"]);
    expect(event.requestContext.identity.sourceIp).toBe("127.0.0.1");
  });

  it("honours PayloadFormatVersion 1.0 on an HttpApi route", async () => {
    const { event } = await echoed(`${base}/v1/q`);
    expect(event).toMatchObject({
      version: "1.0",
      resource: "/v1/{id}",
      path: "/v1/q",
      httpMethod: "GET",
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: { id: "q" },
      body: null,
      requestContext: { stage: "$default", routeKey: "GET /v1/{id}" },
    });
  });
});

describe("responses and errors", () => {
  const shape = (kind: string) => gatewayRequest(`${base}/shapes/${kind}`);

  it("sends any value without statusCode as 200 application/json (2.0)", async () => {
    const object = await shape("object");
    expect(object.status).toBe(200);
    expect(object.headers["content-type"]).toBe("application/json");
    expect(object.json).toEqual({ hello: "world", list: [1, 2] });
    expect((await shape("string")).text).toBe('"just text"');
    const nothing = await shape("nothing");
    expect(nothing.status).toBe(200);
    expect(nothing.text).toBe("null");
    const teapot = await shape("teapot");
    expect(teapot.status).toBe(418);
    expect(teapot.text).toBe("I'm a teapot");
    expect(teapot.headers["content-type"]).toBe("text/plain");
  });

  it.each(["throw", "malformed", "object-body", "timeout", "exit"])(
    "answers 500 Internal Server Error (HTTP API) when the function %s",
    async (kind) => {
      const res = await shape(kind);
      expect(res.status).toBe(500);
      expect(res.json).toEqual({ message: "Internal Server Error" });
    },
  );

  it("answers a REST route whose function returns no statusCode with 502 (malformed proxy response)", async () => {
    const res = await gatewayRequest(`${base}/rest-shapes/object`);
    expect(res.status).toBe(502);
    expect(res.json).toEqual({ message: "Internal server error" });
    expect((await gatewayRequest(`${base}/rest-shapes/teapot`)).status).toBe(418);
  });

  it("keeps serving after a function crashed", async () => {
    expect((await shape("exit")).status).toBe(500);
    expect((await shape("teapot")).status).toBe(418);
  });
});

describe("function URLs", () => {
  it("serves a function URL under /_url/<FunctionName>/ with the prefix removed", async () => {
    const { res, event } = await echoed(`${base}/_url/echo/some/path?q=1`, { method: "PUT" });
    expect(res.status).toBe(200);
    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "$default",
      rawPath: "/some/path",
      rawQueryString: "q=1",
      queryStringParameters: { q: "1" },
      requestContext: { http: { method: "PUT", path: "/some/path" }, stage: "$default" },
    });
    expect(event).not.toHaveProperty("pathParameters");
    expect((await echoed(`${base}/_url/echo`)).event.rawPath).toBe("/");
  });

  it("serves a function URL by host name <function>.lambda-url.<anything>", async () => {
    const port = new URL(base).port;
    const { event } = await echoed(`${base}/any/where`, {
      headers: { Host: `echo.lambda-url.localhost:${port}` },
    });
    expect(event.rawPath).toBe("/any/where");
    expect(event.requestContext.domainName).toBe("echo.lambda-url.localhost");
    expect(event.requestContext.domainPrefix).toBe("echo");
  });

  it("does not give a function without a URL one", async () => {
    expect((await gatewayRequest(`${base}/_url/shapes/object`)).status).toBe(404);
  });
});

describe("durable functions over HTTP", () => {
  it("runs a durable function behind a route on its alias and answers with its result", async () => {
    const res = await gatewayRequest(`${base}/checkout`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ items: ["a", "b", "c"] }),
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ total: 15, version: "1" });
    const listed = await t.client.send(
      new ListDurableExecutionsByFunctionCommand({ FunctionName: "checkout" }),
    );
    expect(listed.DurableExecutions).toHaveLength(1);
    const execution = listed.DurableExecutions![0]!;
    expect(execution.Status).toBe("SUCCEEDED");
    expect(execution.FunctionArn).toMatch(/:function:checkout:1$/);
    const events = await history(t.client, execution.DurableExecutionArn!);
    expect(eventsOf(events, "StepSucceeded").map((e) => e.Name)).toEqual(["parse", "price"]);
  });

  it("lets a plain function start a durable execution and answer its callback with @aws-sdk/client-lambda", async () => {
    const started = await gatewayRequest(`${base}/approvals`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "a laptop",
    });
    expect(started.status).toBe(202);
    const { executionArn } = started.json as { executionArn: string };
    expect(executionArn).toMatch(/:function:approval:1\/durable-execution\//);

    const callbackId = await callbackIdOf(t.client, executionArn);
    const answered = await gatewayRequest(`${base}/approvals/callbacks/${encodeURIComponent(callbackId)}`, {
      method: "POST",
    });
    expect(answered.status).toBe(204);
    const done = await waitForStatus(t.client, executionArn, ["SUCCEEDED", "FAILED"]);
    expect(done.Status).toBe("SUCCEEDED");
    expect(JSON.parse(done.Result!)).toEqual({ request: "a laptop", approved: true });
    const events = await history(t.client, executionArn);
    expect(eventsOf(events, "CallbackSucceeded")).toHaveLength(1);
  });
});

describe("the gateway listener", () => {
  it("is not opened without HTTP triggers, and opens when a reload adds the first one", async () => {
    const dir = tempDir("dormouse-http-reload-");
    const write = (events: string) =>
      fs.writeFileSync(
        path.join(dir, "template.yaml"),
        [
          "Transform: AWS::Serverless-2016-10-31",
          "Resources:",
          "  Hello:",
          "    Type: AWS::Serverless::Function",
          "    Properties:",
          "      Runtime: nodejs20.x",
          "      Handler: app.handler",
          events,
        ].join("\n"),
      );
    fs.writeFileSync(
      path.join(dir, "app.mjs"),
      "export const handler = async (e) => ({ path: e.rawPath });\n",
    );
    write("");
    const server = await startTestServer({
      template: path.join(dir, "template.yaml"),
      dataDir: path.join(dir, "data"),
    });
    try {
      expect(server.gatewayUrl).toBeUndefined();
      write(
        [
          "      Events:",
          "        Root:",
          "          Type: HttpApi",
          "          Properties: { Path: /hi, Method: GET }",
        ].join("\n"),
      );
      const result = await server.server.reload();
      expect(result.ok).toBe(true);
      expect(server.gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await gatewayRequest(`${server.gatewayUrl}/hi`);
      expect(res.json).toEqual({ path: "/hi" });
    } finally {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
