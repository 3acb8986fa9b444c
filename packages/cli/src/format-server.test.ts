import { describe, expect, it } from "vitest";
import { formatDevBanner, formatReload, formatStartLine } from "./format-server.js";

const functions = [
  { name: "greeter", version: "$LATEST", durable: true },
  { name: "plain-fn", version: "$LATEST", durable: false },
];

describe("formatDevBanner", () => {
  it("shows the API, data, functions, a first command and the AWS SDK setting", () => {
    const banner = formatDevBanner(
      { url: "http://127.0.0.1:9014", functions, databaseFile: "/w/.dormouse/dormouse.db" },
      "/w/.dormouse",
    );
    expect(banner).toBe(
      [
        "Dormouse dev server",
        "",
        "  Lambda API: http://127.0.0.1:9014",
        "  Console:    http://127.0.0.1:9014/",
        "  Data:       /w/.dormouse/dormouse.db",
        "  Functions:  greeter   durable  $LATEST",
        "              plain-fn  plain    $LATEST",
        "",
        "Try:",
        "  dormouse invoke greeter --payload '{}'",
        "  dormouse executions list greeter",
        "",
        "AWS SDK and CLI (region us-east-1, any credentials):",
        "  export AWS_ENDPOINT_URL_LAMBDA=http://127.0.0.1:9014",
        "",
        "Press Ctrl+C to stop.",
      ].join("\n"),
    );
  });

  it("adds --endpoint to the examples when the server is not on the default address", () => {
    const banner = formatDevBanner({ url: "http://127.0.0.1:40001", functions }, "/w/.dormouse");
    expect(banner).toContain("  Lambda API: http://127.0.0.1:40001\n");
    expect(banner).toContain("  Data:       /w/.dormouse\n");
    expect(banner).toContain("dormouse invoke greeter --payload '{}' --endpoint http://127.0.0.1:40001");
  });

  it("lists template warnings and copes with no functions", () => {
    const banner = formatDevBanner(
      { url: "http://h:1", functions: [], warnings: ["Ignoring resource Table"] },
      "/d",
    );
    expect(banner).toContain("  Functions:  (none)\n");
    expect(banner).toContain("Warnings:\n  Ignoring resource Table");
    expect(banner).not.toContain("Try:");
  });
});

describe("HTTP routes in the banner", () => {
  it("lists each route with its full URL and function, $default and function URLs last", () => {
    const banner = formatDevBanner(
      {
        url: "http://127.0.0.1:9014",
        functions,
        gatewayUrl: "http://127.0.0.1:3000",
        httpTriggers: [
          { kind: "FunctionUrl", functionName: "plain-fn" },
          { kind: "HttpApi", method: "ANY", path: "$default", functionName: "plain-fn" },
          { kind: "HttpApi", method: "GET", path: "/orders/{id}", functionName: "greeter" },
          { kind: "Api", method: "POST", path: "/orders", functionName: "greeter" },
        ],
      },
      "/w/.dormouse",
    );
    expect(banner).toContain(
      [
        "  HTTP:       GET   http://127.0.0.1:3000/orders/{id}     → greeter",
        "              POST  http://127.0.0.1:3000/orders          → greeter",
        "              ANY   http://127.0.0.1:3000/*               → plain-fn ($default)",
        "              ANY   http://127.0.0.1:3000/_url/plain-fn/  → plain-fn (function URL)",
      ].join("\n"),
    );
    expect(formatStartLine({ url: "http://h:1", functions, gatewayUrl: "http://h:3000" }, "/d")).toBe(
      "Lambda API: http://h:1 (2 functions, data in /d); HTTP: http://h:3000",
    );
  });

  it("points at the web page instead of a CLI example when GET / is served", () => {
    const withPage = (method: string, path: string) =>
      formatDevBanner(
        {
          url: "http://127.0.0.1:9014",
          functions,
          gatewayUrl: "http://127.0.0.1:3000",
          httpTriggers: [{ kind: "HttpApi", method, path, functionName: "plain-fn" }],
        },
        "/d",
      );
    const page = withPage("GET", "/");
    expect(page).toContain("Open http://127.0.0.1:3000/ in a browser.");
    expect(page).not.toContain("dormouse invoke");
    expect(withPage("GET", "/orders")).toContain("dormouse invoke");
    expect(withPage("POST", "/")).not.toContain("in a browser");
  });

  it("has no HTTP section without a gateway", () => {
    expect(formatDevBanner({ url: "http://h:1", functions }, "/d")).not.toContain("HTTP:");
  });
});

describe("versions in the banner and reloads", () => {
  it("shows the newest version and the aliases of each function once", () => {
    const banner = formatDevBanner(
      {
        url: "http://127.0.0.1:9014",
        functions: [
          ...functions,
          { name: "greeter", version: "1", durable: true },
          { name: "greeter", version: "2", durable: true },
        ],
        aliases: [{ functionName: "greeter", name: "live", version: "2" }],
      },
      "/w",
    );
    expect(banner).toContain("  Functions:  greeter   durable  $LATEST, version 2, live → 2\n");
    expect(banner).toContain("              plain-fn  plain    $LATEST\n");
  });

  it("prints what a reload published and why a change was refused, with file and line", () => {
    expect(
      formatReload({
        ok: true,
        published: [
          { name: "greeter", changed: true, publishedVersion: "3", alias: { name: "live", version: "3" } },
          { name: "plain-fn", changed: false },
        ],
        rejected: [
          {
            name: "other",
            error: {
              ErrorType: "Runtime.UserCodeSyntaxError",
              ErrorMessage: "Cannot load /p/app.mjs\n/p/app.mjs:2",
            },
          },
        ],
      }),
    ).toBe(
      [
        "↻ greeter: published version 3, live → 3",
        "✗ other: the change does not load; the previous version keeps serving",
        "  Runtime.UserCodeSyntaxError: Cannot load /p/app.mjs",
        "  /p/app.mjs:2",
      ].join("\n"),
    );
    expect(formatReload({ ok: true, published: [{ name: "x", changed: false }], rejected: [] })).toBe("");
    expect(
      formatReload({
        ok: true,
        ms: 142,
        published: [{ name: "greeter", changed: true }],
        removed: ["old-fn"],
      }),
    ).toBe(
      [
        "↻ greeter: updated $LATEST (142 ms after the change)",
        "− old-fn: removed (no new executions; running ones finish on their version)",
      ].join("\n"),
    );
    expect(formatReload({ ok: false, error: "template.yaml: bad" })).toContain("template.yaml: bad");
  });
});

describe("formatStartLine", () => {
  it("is one line with the API URL first", () => {
    expect(formatStartLine({ url: "http://0.0.0.0:9014", functions }, "/srv/data")).toBe(
      "Lambda API: http://0.0.0.0:9014 (2 functions, data in /srv/data)",
    );
  });

  it("names the PostgreSQL database when the server uses one", () => {
    const database = { kind: "postgres" as const, url: "postgres://dormouse:***@db:5432/prod" };
    const server = { url: "http://0.0.0.0:9014", functions, databaseFile: "/srv/data/dormouse.db", database };
    expect(formatStartLine(server, "/srv/data")).toBe(
      "Lambda API: http://0.0.0.0:9014 (2 functions, data in postgres://dormouse:***@db:5432/prod (PostgreSQL))",
    );
    expect(formatDevBanner(server, "/srv/data")).toContain(
      "  Data:       postgres://dormouse:***@db:5432/prod (PostgreSQL)\n",
    );
    // A node of a cluster says which one it is.
    expect(formatStartLine({ ...server, nodeId: "web-1-4242-a1b2c3" }, "/srv/data")).toBe(
      "Lambda API: http://0.0.0.0:9014 (2 functions, data in postgres://dormouse:***@db:5432/prod " +
        "(PostgreSQL, node web-1-4242-a1b2c3))",
    );
  });
});
