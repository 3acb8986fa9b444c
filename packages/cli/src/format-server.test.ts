import { describe, expect, it } from "vitest";
import { formatDevBanner, formatStartLine } from "./format-server.js";

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

describe("formatStartLine", () => {
  it("is one line with the API URL first", () => {
    expect(formatStartLine({ url: "http://0.0.0.0:9014", functions }, "/srv/data")).toBe(
      "Lambda API: http://0.0.0.0:9014 (2 functions, data in /srv/data)",
    );
  });
});
