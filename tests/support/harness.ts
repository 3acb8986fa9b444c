// Shared pieces of the cross-process suites: a real server on a fresh SQLite file (or PostgreSQL
// database, see TEST_STORE) with the fixture functions, an official AWS client pointed at it, and
// waits that poll the API for a condition.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  GetDurableExecutionCommand,
  GetDurableExecutionHistoryCommand,
  LambdaClient,
} from "@aws-sdk/client-lambda";
import type { Event, GetDurableExecutionCommandOutput } from "@aws-sdk/client-lambda";
import { startServer } from "@dormouse/server";
import type { RunningServer } from "@dormouse/server";
import { createScratchDatabase } from "@dormouse/store";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export const FIXTURE_TEMPLATE = path.resolve(import.meta.dirname, "../fixtures/app/template.yaml");

export function tempDir(prefix = "dormouse-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function lambdaClient(endpoint: string): LambdaClient {
  return new LambdaClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
}

/**
 * The store the suites run on: SQLite files by default; `DORMOUSE_TEST_STORE=postgres` gives each
 * server a fresh database on the machine's PostgreSQL (DORMOUSE_TEST_POSTGRES_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres), dropped when the server closes.
 */
export const TEST_STORE = testStore(process.env.DORMOUSE_TEST_STORE);

function testStore(value: string | undefined): "sqlite" | "postgres" {
  if (value === undefined || value === "" || value === "sqlite") return "sqlite";
  if (value === "postgres") return value;
  throw new Error(`DORMOUSE_TEST_STORE must be sqlite or postgres, not ${JSON.stringify(value)}`);
}

export interface TestDatabase {
  /** The `database` option of startServer: a PostgreSQL URL, or undefined for SQLite. */
  url: string | undefined;
  /** Drops the PostgreSQL database (nothing for SQLite, whose file lives in the data directory). */
  drop(): Promise<void>;
}

/** A database for one test server (or for several runs of one, across restarts) on TEST_STORE. */
export async function testDatabase(): Promise<TestDatabase> {
  if (TEST_STORE === "sqlite") return { url: undefined, drop: async () => undefined };
  const scratch = await createScratchDatabase({
    prefix: "dormouse_e2e",
    ...(process.env.DORMOUSE_TEST_POSTGRES_URL && { adminUrl: process.env.DORMOUSE_TEST_POSTGRES_URL }),
  });
  return { url: scratch.url, drop: () => scratch.drop() };
}

export interface TestServer {
  server: RunningServer;
  client: LambdaClient;
  url: string;
  /** The HTTP gateway (template HttpApi/Api routes, function URLs); undefined without triggers. */
  readonly gatewayUrl?: string | undefined;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestServer(
  opts: {
    template?: string;
    dataDir?: string;
    logLevel?: string;
    parameterOverrides?: Record<string, string>;
  } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDir();
  const database = await testDatabase();
  let server: RunningServer;
  try {
    server = await startServer({
      mode: "dev",
      template: opts.template ?? FIXTURE_TEMPLATE,
      port: 0,
      httpPort: 0,
      host: "127.0.0.1",
      dataDir,
      database: database.url,
      logLevel: opts.logLevel ?? "silent",
      parameterOverrides: opts.parameterOverrides,
    });
  } catch (err) {
    await database.drop();
    throw err;
  }
  const client = lambdaClient(server.url);
  return {
    server,
    client,
    url: server.url,
    get gatewayUrl() {
      return server.gatewayUrl;
    },
    dataDir,
    async close() {
      client.destroy();
      try {
        await server.close();
      } finally {
        await database.drop();
      }
    },
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function history(client: LambdaClient, arn: string): Promise<Event[]> {
  const events: Event[] = [];
  let marker: string | undefined;
  do {
    const page = await client.send(
      new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, Marker: marker, MaxItems: 1000 }),
    );
    events.push(...(page.Events ?? []));
    marker = page.NextMarker;
  } while (marker);
  return events;
}

/** Waits until the history has an event matching `match`, and returns it. */
export function waitForEvent(
  client: LambdaClient,
  arn: string,
  match: (e: Event) => boolean,
  timeoutMs?: number,
): Promise<Event> {
  return eventually(
    `a matching event in ${arn}`,
    async () => (await history(client, arn)).find(match),
    timeoutMs,
  );
}

export function waitForStatus(
  client: LambdaClient,
  arn: string,
  statuses: string[],
  timeoutMs?: number,
): Promise<GetDurableExecutionCommandOutput> {
  return eventually(
    `status ${statuses.join("|")} of ${arn}`,
    async () => {
      const e = await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
      return statuses.includes(e.Status ?? "") ? e : undefined;
    },
    timeoutMs,
  );
}
