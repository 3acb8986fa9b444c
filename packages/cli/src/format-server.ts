// What `dormouse dev` prints on start: where the API and data are, which functions run, and how to
// talk to it. The `Lambda API: <url>` line is also what scripts and tests parse for the port.
import { formatTable } from "./format.js";

export interface ServerSummary {
  url: string;
  functions: { name: string; version: string; durable: boolean }[];
  /** The SQLite file; older servers only told us the directory. */
  databaseFile?: string;
  /** Things in the template Dormouse ignores or adjusted, worth a look. */
  warnings?: string[];
}

export const DEFAULT_ENDPOINT = "http://127.0.0.1:9014";

export function formatDevBanner(server: ServerSummary, dataDir: string): string {
  const functions =
    server.functions.length === 0
      ? ["(none)"]
      : formatTable(
          ["", "", ""],
          server.functions.map((f) => [f.name, f.durable ? "durable" : "plain", f.version]),
        )
          .split("\n")
          .slice(1);
  const lines = [
    "Dormouse dev server",
    "",
    `  Lambda API: ${server.url}`,
    `  Data:       ${server.databaseFile ?? dataDir}`,
    ...functions.map((line, i) => (i === 0 ? `  Functions:  ${line}` : `              ${line}`)),
  ];
  if (server.warnings !== undefined && server.warnings.length > 0) {
    lines.push("", "Warnings:", ...server.warnings.map((w) => `  ${w}`));
  }

  const example = server.functions.find((f) => f.durable) ?? server.functions[0];
  if (example !== undefined) {
    // Only mention the endpoint when the CLI would not find the server by default.
    const endpoint = server.url === DEFAULT_ENDPOINT ? "" : ` --endpoint ${server.url}`;
    lines.push(
      "",
      "Try:",
      `  dormouse invoke ${example.name} --payload '{}'${endpoint}`,
      `  dormouse executions list ${example.name}${endpoint}`,
    );
  }
  lines.push(
    "",
    "AWS SDK and CLI (region us-east-1, any credentials):",
    `  export AWS_ENDPOINT_URL_LAMBDA=${server.url}`,
    "",
    "Press Ctrl+C to stop.",
  );
  return lines.join("\n");
}

export function formatStartLine(server: ServerSummary, dataDir: string): string {
  const count = server.functions.length;
  return `Lambda API: ${server.url} (${count} function${count === 1 ? "" : "s"}, data in ${server.databaseFile ?? dataDir})`;
}
