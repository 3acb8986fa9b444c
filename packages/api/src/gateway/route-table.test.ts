import { describe, expect, it } from "vitest";
import { findRouteConflict, normaliseMethod, parseRoutePath, RouteTable } from "./route-table.js";
import type { HttpTrigger, RouteTrigger } from "./triggers.js";

function route(method: string, path: string, functionName = "fn", resource = "Fn"): RouteTrigger {
  return {
    kind: "HttpApi",
    functionName,
    resource,
    event: `${method}${path}`,
    method,
    path,
    payloadFormat: "2.0",
  };
}

describe("parseRoutePath", () => {
  it("reads literals, parameters and a trailing greedy parameter", () => {
    expect(parseRoutePath("/")).toEqual({ segments: [] });
    expect(parseRoutePath("/orders/{id}/items/{proxy+}")).toEqual({
      segments: [
        { kind: "literal", text: "orders" },
        { kind: "param", name: "id" },
        { kind: "literal", text: "items" },
        { kind: "greedy", name: "proxy" },
      ],
    });
  });

  it.each([
    ["orders", "must start with /"],
    ["/a//b", "empty segment"],
    ["/{proxy+}/x", "only at the end"],
    ["/{id}/{id}", "twice"],
    ["/a b", "invalid segment"],
    ["/{id", "invalid segment"],
  ])("rejects %s", (path, message) => {
    expect(parseRoutePath(path)).toContain(message);
  });
});

describe("normaliseMethod", () => {
  it("accepts any case, * and ANY; refuses the unknown", () => {
    expect(normaliseMethod("get")).toBe("GET");
    expect(normaliseMethod("*")).toBe("ANY");
    expect(normaliseMethod("any")).toBe("ANY");
    expect(normaliseMethod("FETCH")).toBeUndefined();
  });
});

describe("RouteTable.match", () => {
  const table = new RouteTable([
    route("ANY", "/{proxy+}", "catch-all"),
    route("GET", "/orders", "list"),
    route("ANY", "/orders/{id}", "any-order"),
    route("GET", "/orders/{id}", "get-order"),
    route("GET", "/orders/new", "new-order"),
    route("GET", "/orders/{id}/{rest+}", "order-rest"),
    route("GET", "/", "root"),
  ]);
  const target = (method: string, path: string) => table.match(method, path)?.trigger.functionName;

  it("prefers literals over parameters over greedy, and an exact method over ANY", () => {
    expect(target("GET", "/orders/new")).toBe("new-order");
    expect(target("GET", "/orders/7")).toBe("get-order");
    expect(target("DELETE", "/orders/7")).toBe("any-order");
    expect(target("GET", "/orders/7/lines/2")).toBe("order-rest");
    expect(target("POST", "/orders/7/lines/2")).toBe("catch-all");
    expect(target("GET", "/orders")).toBe("list");
    expect(target("GET", "/")).toBe("root");
    expect(target("POST", "/")).toBeUndefined(); // greedy needs at least one segment
  });

  it("decodes path parameters after splitting, so %2F stays inside one", () => {
    expect(table.match("GET", "/orders/a%2Fb")?.pathParameters).toEqual({ id: "a/b" });
    expect(table.match("GET", "/orders/1/x/y%20z")?.pathParameters).toEqual({ id: "1", rest: "x/y z" });
  });

  it("falls back to $default when nothing else matches", () => {
    const withDefault = new RouteTable([route("GET", "/a"), route("ANY", "$default", "fallback")]);
    expect(withDefault.match("GET", "/a")?.trigger.functionName).toBe("fn");
    expect(withDefault.match("PUT", "/zzz")?.trigger.functionName).toBe("fallback");
    expect(new RouteTable([route("GET", "/a")]).match("GET", "/b")).toBeUndefined();
  });
});

describe("RouteTable.matchUrl", () => {
  const url: HttpTrigger = { kind: "FunctionUrl", functionName: "My_Fn", resource: "MyFn", authType: "NONE" };
  const table = new RouteTable([url]);

  it("finds a function URL by /_url/<name> prefix and strips it", () => {
    expect(table.matchUrl("127.0.0.1:3000", "/_url/My_Fn/a/b")).toEqual({ trigger: url, rawPath: "/a/b" });
    expect(table.matchUrl("127.0.0.1:3000", "/_url/My_Fn")).toEqual({ trigger: url, rawPath: "/" });
    expect(table.matchUrl("127.0.0.1:3000", "/_url/Other/a")).toBeUndefined();
    expect(table.matchUrl("127.0.0.1:3000", "/_url/My_Fnx/a")).toBeUndefined();
  });

  it("finds a function URL by host <name>.lambda-url.…, case-insensitively", () => {
    expect(table.matchUrl("my_fn.lambda-url.localhost:3000", "/x")).toEqual({ trigger: url, rawPath: "/x" });
    expect(table.matchUrl("other.lambda-url.localhost", "/x")).toBeUndefined();
  });
});

describe("findRouteConflict", () => {
  it("finds two routes with the same method and path shape", () => {
    const a = route("GET", "/orders/{id}", "a", "A");
    const b = route("GET", "/orders/{orderId}", "b", "B");
    expect(findRouteConflict([a, route("POST", "/orders/{id}"), b])).toEqual([a, b]);
    expect(findRouteConflict([a, route("ANY", "/orders/{id}"), route("GET", "/orders/new")])).toBeUndefined();
  });

  it("finds a second $default and a second URL of one function", () => {
    expect(findRouteConflict([route("ANY", "$default"), route("ANY", "$default", "b")])).toHaveLength(2);
    const url: HttpTrigger = { kind: "FunctionUrl", functionName: "f", resource: "F", authType: "NONE" };
    expect(findRouteConflict([url, { ...url, resource: "FUrl" }])).toHaveLength(2);
  });
});
