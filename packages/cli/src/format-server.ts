// What `dormouse dev` prints on start: where the API and data are, which functions run, and how to
// talk to it. The `Lambda API: <url>` line is also what scripts and tests parse for the port.
import { formatTable } from "./format.js";

export interface ServerSummary {
  url: string;
  /** Every version of every function (`$LATEST` and published ones). */
  functions: { name: string; version: string; durable: boolean }[];
  aliases?: { functionName: string; name: string; version: string }[];
  /** The SQLite file; older servers only told us the directory. */
  databaseFile?: string;
  /** The store in use (servers before PostgreSQL support only sent `databaseFile`). */
  database?: { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };
  /** This node's id; named beside a PostgreSQL database, which other nodes may share. */
  nodeId?: string;
  /** Things in the template Dormouse ignores or adjusted, worth a look. */
  warnings?: string[];
  /** The HTTP gateway and what it serves (absent when no function has an HTTP trigger). */
  gatewayUrl?: string | undefined;
  httpTriggers?: readonly HttpTriggerSummary[];
}

export type HttpTriggerSummary =
  | { kind: "HttpApi" | "Api"; method: string; path: string; functionName: string }
  | { kind: "FunctionUrl"; functionName: string };

export const DEFAULT_ENDPOINT = "http://127.0.0.1:9014";

export function formatDevBanner(server: ServerSummary, dataDir: string): string {
  const rows = functionRows(server);
  const functions = rows.length === 0 ? ["(none)"] : formatTable(["", "", ""], rows).split("\n").slice(1);
  const lines = [
    "Dormouse dev server",
    "",
    `  Lambda API: ${server.url}`,
    `  Console:    ${server.url}/`,
    `  Data:       ${dataLocation(server, dataDir)}`,
    ...functions.map((line, i) => (i === 0 ? `  Functions:  ${line}` : `              ${line}`)),
    ...httpLines(server).map((line, i) => (i === 0 ? `  HTTP:       ${line}` : `              ${line}`)),
  ];
  if (server.warnings !== undefined && server.warnings.length > 0) {
    lines.push("", "Warnings:", ...server.warnings.map((w) => `  ${w}`));
  }

  const page = (server.httpTriggers ?? []).find(
    (t) => t.kind !== "FunctionUrl" && t.method !== "POST" && t.path === "/",
  );
  const example = server.functions.find((f) => f.durable) ?? server.functions[0];
  if (page !== undefined && server.gatewayUrl !== undefined) {
    // An application with a web page: the page is where a person starts.
    lines.push("", `Open ${server.gatewayUrl}/ in a browser.`);
  } else if (example !== undefined) {
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

/** `GET  http://127.0.0.1:3000/orders/{id}  → orders-api`, routes in template order, URLs last. */
function httpLines(server: ServerSummary): string[] {
  const base = server.gatewayUrl;
  const triggers = server.httpTriggers ?? [];
  if (base === undefined || triggers.length === 0) return [];
  const rows = triggers.map((t) => {
    if (t.kind === "FunctionUrl")
      return ["ANY", `${base}/_url/${t.functionName}/`, `→ ${t.functionName} (function URL)`];
    if (t.path === "$default") return ["ANY", `${base}/*`, `→ ${t.functionName} ($default)`];
    return [t.method, `${base}${t.path}`, `→ ${t.functionName}`];
  });
  const order = (row: string[]) =>
    row[2]!.endsWith("(function URL)") ? 2 : row[2]!.endsWith("($default)") ? 1 : 0;
  rows.sort((a, b) => order(a) - order(b));
  return formatTable(["", "", ""], rows).split("\n").slice(1);
}

/** One row per function: name, kind, and `$LATEST, version N, alias → N …`. */
function functionRows(server: ServerSummary): string[][] {
  const names = [...new Set(server.functions.map((f) => f.name))];
  return names.map((name) => {
    const own = server.functions.filter((f) => f.name === name);
    const newest = own
      .map((f) => f.version)
      .filter((v) => v !== "$LATEST")
      .sort((a, b) => Number(a) - Number(b))
      .at(-1);
    const aliases = (server.aliases ?? [])
      .filter((a) => a.functionName === name)
      .map((a) => `${a.name} → ${a.version}`);
    const versions = ["$LATEST", ...(newest ? [`version ${newest}`] : []), ...aliases].join(", ");
    return [name, own[0]!.durable ? "durable" : "plain", versions];
  });
}

export function formatStartLine(server: ServerSummary, dataDir: string): string {
  const count = new Set(server.functions.map((f) => f.name)).size;
  const http = server.gatewayUrl === undefined ? "" : `; HTTP: ${server.gatewayUrl}`;
  return `Lambda API: ${server.url} (${count} function${count === 1 ? "" : "s"}, data in ${dataLocation(server, dataDir, true)})${http}`;
}

/**
 * The SQLite file, or the PostgreSQL URL (the server already took its password out); `start` also
 * names the node, one of those that may share the database.
 */
function dataLocation(server: ServerSummary, dataDir: string, withNode = false): string {
  if (server.database?.kind === "postgres") {
    const node = withNode && server.nodeId ? `, node ${server.nodeId}` : "";
    return `${server.database.url} (PostgreSQL${node})`;
  }
  return server.database?.file ?? server.databaseFile ?? dataDir;
}

/** What `dormouse dev` prints after a reload; empty when nothing changed. */
export interface ReloadSummary {
  ok: boolean;
  error?: string;
  published?: {
    name: string;
    changed: boolean;
    publishedVersion?: string;
    alias?: { name: string; version: string };
  }[];
  rejected?: { name: string; error: { ErrorType?: string; ErrorMessage?: string } }[];
  /** Functions the template no longer declares, now deleted. */
  removed?: string[];
  /** From the change on disk to the outcome. */
  ms?: number;
}

export function formatReload(result: ReloadSummary): string {
  if (!result.ok) return `✗ reload failed; the previous functions keep serving:\n  ${result.error ?? ""}`;
  const lines: string[] = [];
  for (const p of result.published ?? []) {
    if (!p.changed && p.publishedVersion === undefined) continue;
    const parts = [p.publishedVersion ? `published version ${p.publishedVersion}` : "updated $LATEST"];
    if (p.alias) parts.push(`${p.alias.name} → ${p.alias.version}`);
    lines.push(
      `↻ ${p.name}: ${parts.join(", ")}${result.ms === undefined ? "" : ` (${result.ms} ms after the change)`}`,
    );
  }
  for (const name of result.removed ?? []) {
    lines.push(`− ${name}: removed (no new executions; running ones finish on their version)`);
  }
  for (const r of result.rejected ?? []) {
    lines.push(
      `✗ ${r.name}: the change does not load; the previous version keeps serving`,
      ...`${r.error.ErrorType ?? "Error"}: ${r.error.ErrorMessage ?? ""}`
        .split("\n")
        .map((line) => `  ${line}`),
    );
  }
  return lines.join("\n");
}
