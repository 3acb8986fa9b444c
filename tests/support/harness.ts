// Shared pieces of the cross-process suites: a real server on a fresh SQLite file with the fixture
// functions, an official AWS client pointed at it, and waits that poll the API for a condition.
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

export interface TestServer {
  server: RunningServer;
  client: LambdaClient;
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestServer(
  opts: { template?: string; dataDir?: string; logLevel?: string } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDir();
  const server = await startServer({
    mode: "dev",
    template: opts.template ?? FIXTURE_TEMPLATE,
    port: 0,
    host: "127.0.0.1",
    dataDir,
    logLevel: opts.logLevel ?? "silent",
  });
  const client = lambdaClient(server.url);
  return {
    server,
    client,
    url: server.url,
    dataDir,
    async close() {
      client.destroy();
      await server.close();
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
