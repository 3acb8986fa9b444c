// Shared pieces of the cluster suites: nodes as real server processes on one fresh PostgreSQL
// database, the ledger the fixtures write (tests/fixtures/cluster/src/ledger.ts), and history reads.
import fs from "node:fs";
import path from "node:path";
import { GetDurableExecutionHistoryCommand, InvokeCommand } from "@aws-sdk/client-lambda";
import type { Event, LambdaClient } from "@aws-sdk/client-lambda";
import { createScratchDatabase } from "@dormouse/store";
import type { ScratchDatabase } from "@dormouse/store";
import { lambdaClient, tempDir } from "../support/harness.js";
import { spawnServer } from "../support/processes.js";
import type { ServerProcess } from "../support/processes.js";

export const CLUSTER_TEMPLATE = path.resolve(import.meta.dirname, "../fixtures/cluster/template.yaml");
/** Short, so that a node's death is noticed within seconds (the default is 10 s). */
export const LEASE_TTL_SECONDS = 5;

export interface ClusterNode {
  server: ServerProcess;
  client: LambdaClient;
  dataDir: string;
}

export async function scratchDatabase(): Promise<ScratchDatabase> {
  return createScratchDatabase({
    prefix: "dormouse_cluster",
    ...(process.env.DORMOUSE_TEST_POSTGRES_URL && { adminUrl: process.env.DORMOUSE_TEST_POSTGRES_URL }),
  });
}

/** `n` nodes started at the same moment on `database` (each with a data directory of its own). */
export async function startNodes(
  n: number,
  database: string,
  opts: { template?: string } = {},
): Promise<ClusterNode[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const dataDir = tempDir("dormouse-cluster-node-");
      const server = await spawnServer({
        dataDir,
        database,
        template: opts.template ?? CLUSTER_TEMPLATE,
        leaseTtlSeconds: LEASE_TTL_SECONDS,
      });
      return { server, client: lambdaClient(server.url), dataDir };
    }),
  );
}

export function closeNodes(nodes: ClusterNode[]): void {
  for (const node of nodes) {
    node.client.destroy();
    fs.rmSync(node.dataDir, { recursive: true, force: true });
  }
}

export async function startAsync(client: LambdaClient, fn: string, input: unknown): Promise<string> {
  const out = await client.send(
    new InvokeCommand({ FunctionName: fn, InvocationType: "Event", Payload: JSON.stringify(input) }),
  );
  if (!out.DurableExecutionArn) throw new Error(`Invoke ${fn} returned no DurableExecutionArn`);
  return out.DurableExecutionArn;
}

export async function historyOf(client: LambdaClient, arn: string): Promise<Event[]> {
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

/** One line of the ledger: a step body of execution `id` ran in process `pid`. */
export interface LedgerRun {
  id: string;
  step: string;
  pid: number;
}

export function readLedger(dir: string): LedgerRun[] {
  const file = path.join(dir, "ledger.txt");
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [id, step, pid] = line.split(" ");
      return { id: id!, step: step!, pid: Number(pid) };
    });
}

/** The pid in a ledgered step's recorded result ("<value>@<pid>", as JSON in the history). */
export function recordedPid(e: Event): number | undefined {
  const payload = e.StepSucceededDetails?.Result?.Payload;
  if (payload === undefined) return undefined;
  const text = JSON.parse(payload) as string;
  return Number(text.slice(text.lastIndexOf("@") + 1));
}

export function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/** The messages of a server-sent-event stream, one per `next()`; undefined once it ends. */
export function sseMessages(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next(): Promise<{ event: string; data: string } | undefined> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end !== -1) {
          const lines = buffer.slice(0, end).split("\n");
          buffer = buffer.slice(end + 2);
          const data = lines
            .find((l) => l.startsWith("data:"))
            ?.slice(5)
            .trimStart();
          if (data === undefined) continue;
          const event =
            lines
              .find((l) => l.startsWith("event:"))
              ?.slice(6)
              .trimStart() ?? "message";
          return { event, data };
        }
        const chunk = await reader.read();
        if (chunk.done) return undefined;
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
  };
}
