// Small helpers shared by the bench sections: statistics, formatting, an AWS client with a
// keep-alive agent wide enough for the concurrency we use, temp dirs, and CPU time of processes.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { GetDurableExecutionHistoryCommand, InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import type { Event } from "@aws-sdk/client-lambda";
import { startServer } from "@dormouse/server";
import type { RunningServer } from "@dormouse/server";

export const BENCH_TEMPLATE = path.resolve(import.meta.dirname, "functions/template.yaml");

// ---- statistics -------------------------------------------------------------------------------

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: number[]): number => percentile(values, 50);
export const p99 = (values: number[]): number => percentile(values, 99);

export function fmt(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return "n/a";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "2.1x slower" / "1.4x faster" for a lower-is-better figure, dormouse vs local runner. */
export function ratio(dormouse: number, local: number, higherIsBetter = false): string {
  if (!Number.isFinite(dormouse) || !Number.isFinite(local) || dormouse <= 0 || local <= 0) return "n/a";
  const r = dormouse / local;
  const better = higherIsBetter ? r >= 1 : r <= 1;
  const factor = r >= 1 ? r : 1 / r;
  return `${fmt(factor, 1)}x ${better ? "better" : "worse"}`;
}

export function line(label: string, ...cols: string[]): void {
  console.log(`  ${label.padEnd(44)} ${cols.join("  ")}`);
}

// ---- processes ----------------------------------------------------------------------------------

/** user+system CPU time of a process in ms, from /proc (Linux); undefined elsewhere or when gone. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** Sums CPU time over the given processes, so a section can report what its workers used. */
export function cpuOf(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), 0);
}

export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export const loadAverage = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

/** 4 KB write + fdatasync, `n` times, in `dir`: the durable-commit floor of this filesystem now. */
export function fsyncProbe(dir: string, n = 50): string {
  const file = path.join(dir, "fsync-probe");
  const fd = fs.openSync(file, "w");
  const block = Buffer.alloc(4096, 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      fs.writeSync(fd, block, 0, block.length, (i % 16) * block.length);
      fs.fdatasyncSync(fd);
      times.push(performance.now() - t0);
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
  return `4 KB write + fdatasync: median ${fmt(median(times), 3)} ms, p99 ${fmt(p99(times), 3)} ms`;
}

export function machine(dataDir: string): string[] {
  const cpus = os.cpus();
  let fsLine = "unknown";
  try {
    const out = execFileSync("df", ["-T", dataDir], { encoding: "utf8" }).trim().split("\n");
    const f = (out[1] ?? "").split(/\s+/);
    fsLine = `${f[1] ?? "?"} (${f[0] ?? "?"}, mounted on ${f[6] ?? "?"})`;
  } catch {
    // df missing (e.g. Windows): leave "unknown"
  }
  return [
    `machine      ${cpus.length} cores, ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB, ${os.platform()} ${os.release()}`,
    `node         ${process.version}`,
    `sqlite file  under ${os.tmpdir()}: ${fsLine}; WAL, synchronous=FULL`,
    `fsync probe  ${fsyncProbe(dataDir)}`,
    `load average ${loadAverage()} (other work on the machine skews every figure)`,
  ];
}

// ---- temp dirs and servers ----------------------------------------------------------------------

const tempDirs = new Set<string>();

export function tempDir(prefix = "dormouse-bench-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

export function benchClient(endpoint: string): LambdaClient {
  return new LambdaClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
    maxAttempts: 1,
    // Keep-alive, and room for every request we keep in flight (sync invokes wait for the end).
    requestHandler: { httpAgent: new http.Agent({ keepAlive: true, maxSockets: 512 }) },
  });
}

export interface BenchServer {
  server: RunningServer;
  client: LambdaClient;
  dataDir: string;
  close(): Promise<void>;
}

/** A server in this process on a fresh data dir, with the bench functions. */
export async function startBenchServer(): Promise<BenchServer> {
  const dataDir = tempDir();
  const server = await startServer({
    mode: "dev",
    template: BENCH_TEMPLATE,
    port: 0,
    host: "127.0.0.1",
    dataDir,
    logLevel: "silent",
  });
  const client = benchClient(server.url);
  return {
    server,
    client,
    dataDir,
    async close() {
      client.destroy();
      await server.close();
    },
  };
}

export function workerPids(server: RunningServer): number[] {
  return server.runtime.stats().functions.flatMap((f) => f.pids);
}

// ---- AWS client calls ----------------------------------------------------------------------------

const decoder = new TextDecoder();

export interface InvokeResult {
  arn: string;
  payload: string;
  functionError: string | undefined;
}

/** A synchronous Invoke: resolves when the execution is terminal. */
export async function invokeSync(
  client: LambdaClient,
  fn: string,
  payload: unknown,
  name?: string,
): Promise<InvokeResult> {
  const out = await client.send(
    new InvokeCommand({ FunctionName: fn, Payload: JSON.stringify(payload), DurableExecutionName: name }),
  );
  const result: InvokeResult = {
    arn: out.DurableExecutionArn ?? "",
    payload: out.Payload ? decoder.decode(out.Payload) : "",
    functionError: out.FunctionError,
  };
  if (result.functionError) throw new Error(`${fn} failed: ${result.payload}`);
  return result;
}

/** An Event invoke: resolves once the execution is accepted, with its ARN. */
export async function invokeAsync(
  client: LambdaClient,
  fn: string,
  payload: unknown,
  name?: string,
): Promise<string> {
  const out = await client.send(
    new InvokeCommand({
      FunctionName: fn,
      InvocationType: "Event",
      Payload: JSON.stringify(payload),
      DurableExecutionName: name,
    }),
  );
  return out.DurableExecutionArn ?? "";
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

/** Polls the history until `check` finds what it needs. */
export async function untilHistory<T>(
  client: LambdaClient,
  arn: string,
  check: (events: Event[]) => T | undefined,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = check(await historyOf(client, arn));
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`history of ${arn} never showed what the bench waits for`);
    await sleep(5);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight. */
export async function pool<T>(n: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      while (next < n) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}
