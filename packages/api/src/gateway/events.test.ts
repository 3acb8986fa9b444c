import { describe, expect, it } from "vitest";
import { buildEventV1, buildEventV2 } from "./events.js";
import type { EventContext } from "./events.js";
import type { GatewayRequest } from "./request.js";
import { eventBody, queryParameters, requestTime, splitUrl } from "./request.js";

const T = Date.UTC(2026, 2, 5, 9, 4, 7);

function request(overrides: Partial<GatewayRequest> = {}): GatewayRequest {
  return {
    method: "POST",
    rawPath: "/orders/42",
    rawQueryString: "a=1&a=2&b=x+y&c=%E2%9C%93",
    headers: [
      ["Host", "127.0.0.1:3000"],
      ["User-Agent", "curl/8"],
      ["X-Multi", "one"],
      ["x-multi", "two"],
      ["Cookie", "s=1; t=2"],
      ["Content-Type", "application/json"],
    ],
    body: Buffer.from('{"n":1}'),
    sourceIp: "127.0.0.1",
    protocol: "HTTP/1.1",
    requestId: "req-1",
    receivedAt: T,
    ...overrides,
  };
}

const ctx: EventContext = {
  accountId: "000000000000",
  stage: "$default",
  apiId: "api",
  routeKey: "POST /orders/{id}",
  resource: "/orders/{id}",
  rawPath: "/orders/42",
  pathParameters: { id: "42" },
};

describe("request helpers", () => {
  it("splits a URL, decodes query parameters, formats API Gateway's time", () => {
    expect(splitUrl("/a/b?x=1&y")).toEqual({ rawPath: "/a/b", rawQueryString: "x=1&y" });
    expect(splitUrl("/")).toEqual({ rawPath: "/", rawQueryString: "" });
    expect([...queryParameters("a=1&a=2&b=x+y&c=%E2%9C%93&bad=%E0%A4%A")]).toEqual([
      ["a", ["1", "2"]],
      ["b", ["x y"]],
      ["c", ["✓"]],
      ["bad", ["%E0%A4%A"]],
    ]);
    expect(requestTime(T)).toBe("05/Mar/2026:09:04:07 +0000");
  });

  it("passes text content types as text and everything else as base64", () => {
    const body = (type: string | undefined, bytes: Buffer) =>
      eventBody(request({ headers: type === undefined ? [] : [["content-type", type]], body: bytes }));
    expect(body("application/json", Buffer.from("{}"))).toEqual({ body: "{}", isBase64Encoded: false });
    expect(body("text/html; charset=utf-8", Buffer.from("<p>"))).toEqual({
      body: "<p>",
      isBase64Encoded: false,
    });
    expect(body("application/vnd.api+json", Buffer.from("{}"))?.isBase64Encoded).toBe(false);
    expect(body("application/x-www-form-urlencoded", Buffer.from("a=1"))).toEqual({
      body: "YT0x",
      isBase64Encoded: true,
    });
    expect(body(undefined, Buffer.from("hi"))?.isBase64Encoded).toBe(true);
    expect(body("text/plain", Buffer.from([0xff, 0xfe]))).toEqual({ body: "//4=", isBase64Encoded: true });
    expect(body("text/plain", Buffer.alloc(0))).toBeUndefined();
  });
});

describe("buildEventV2", () => {
  it("builds API Gateway's 2.0 event", () => {
    expect(buildEventV2(request(), ctx)).toEqual({
      version: "2.0",
      routeKey: "POST /orders/{id}",
      rawPath: "/orders/42",
      rawQueryString: "a=1&a=2&b=x+y&c=%E2%9C%93",
      cookies: ["s=1", "t=2"],
      headers: {
        host: "127.0.0.1:3000",
        "user-agent": "curl/8",
        "x-multi": "one,two",
        "content-type": "application/json",
        "x-forwarded-for": "127.0.0.1",
        "x-forwarded-port": "3000",
        "x-forwarded-proto": "http",
      },
      queryStringParameters: { a: "1,2", b: "x y", c: "✓" },
      requestContext: {
        accountId: "000000000000",
        apiId: "api",
        domainName: "127.0.0.1",
        domainPrefix: "127",
        http: {
          method: "POST",
          path: "/orders/42",
          protocol: "HTTP/1.1",
          sourceIp: "127.0.0.1",
          userAgent: "curl/8",
        },
        requestId: "req-1",
        routeKey: "POST /orders/{id}",
        stage: "$default",
        time: "05/Mar/2026:09:04:07 +0000",
        timeEpoch: T,
      },
      body: '{"n":1}',
      pathParameters: { id: "42" },
      isBase64Encoded: false,
    });
  });

  it("leaves out cookies, query parameters, body and path parameters when there are none", () => {
    const event = buildEventV2(request({ rawQueryString: "", headers: [], body: Buffer.alloc(0) }), {
      ...ctx,
      pathParameters: {},
    });
    for (const key of ["cookies", "queryStringParameters", "body", "pathParameters"]) {
      expect(event).not.toHaveProperty(key);
    }
    expect(event.isBase64Encoded).toBe(false);
  });
});

describe("buildEventV1", () => {
  it("builds the REST API event: original header case, last values, multi-value maps, stage in the path", () => {
    const event = buildEventV1(request(), { ...ctx, stage: "Prod" }, { httpApi: false });
    expect(event).not.toHaveProperty("version");
    expect(event).toMatchObject({
      resource: "/orders/{id}",
      path: "/orders/42",
      httpMethod: "POST",
      queryStringParameters: { a: "2", b: "x y", c: "✓" },
      multiValueQueryStringParameters: { a: ["1", "2"], b: ["x y"], c: ["✓"] },
      pathParameters: { id: "42" },
      stageVariables: null,
      body: '{"n":1}',
      isBase64Encoded: false,
      requestContext: {
        path: "/Prod/orders/42",
        stage: "Prod",
        resourcePath: "/orders/{id}",
        requestTimeEpoch: T,
        identity: { sourceIp: "127.0.0.1", userAgent: "curl/8" },
      },
    });
    const headers = event.headers as Record<string, string>;
    expect(headers["X-Multi"]).toBe("one");
    expect(headers["x-multi"]).toBe("two");
    expect(headers.Cookie).toBe("s=1; t=2");
    expect((event.multiValueHeaders as Record<string, string[]>)["Host"]).toEqual(["127.0.0.1:3000"]);
  });

  it("marks an HttpApi 1.0 event with its version and nulls what is absent", () => {
    const event = buildEventV1(
      request({ rawQueryString: "", body: Buffer.alloc(0) }),
      { ...ctx, pathParameters: {} },
      { httpApi: true },
    );
    expect(event).toMatchObject({
      version: "1.0",
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      body: null,
      requestContext: { path: "/orders/42", routeKey: "POST /orders/{id}" },
    });
  });
});
