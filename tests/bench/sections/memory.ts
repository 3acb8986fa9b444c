// 6. What waiting costs: the server in its own process (server-entry.ts), memory measured inside
// it after a full GC, before and after parking N executions on a one-day wait. An execution is
// parked when its WAIT timer is stored, it holds no invocation lease and no invocation is due.
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { EntryMessage, EntryRequest, ServerStats, StoreCounts } from "../server-entry.js";
import {
  BENCH_TEMPLATE,
  benchClient,
  fmt,
  invokeAsync,
  invokeSync,
  line,
  pool,
  sleep,
  tempDir,
} from "../support.js";

const ENTRY = path.resolve(import.meta.dirname, "../server-entry.ts");
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const READY_TIMEOUT_MS = 60_000;
const PARK_TIMEOUT_MS = 15 * 60_000;
/**
 * At most this many executions between "accepted" and "parked". Without a window, N Event
 * invokes would all take their invocation lease at once and queue in the worker pool, where the
 * function timeout counts from acceptance; a backlog longer than the timeout then times out and
 * retries instead of parking (see the bench notes).
 */
const WINDOW = 128;

export interface MemoryFigures {
  waiting: number;
  before: ServerStats;
  after: ServerStats;
  rssPerExecution: number;
  heapPerExecution: number;
  parkedPerSecond: number;
}

const children = new Set<ChildProcess>();

/** Kills (by pid) any server process this section started and did not stop. */
export function killServerProcesses(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  children.clear();
}

class ServerProcess {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (m: EntryMessage) => void; reject: (e: Error) => void }
  >();
  readonly exited: Promise<void>;

  constructor(readonly child: ChildProcess) {
    this.exited = new Promise((resolve) =>
      child.once("exit", (code, signal) => {
        const error = new Error(`bench server process exited (${signal ?? `code ${code}`})`);
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
        resolve();
      }),
    );
    child.on("message", (msg: EntryMessage) => {
      if (msg.type === "ready") return;
      this.pending.get(msg.id)?.resolve(msg);
      this.pending.delete(msg.id);
    });
  }

  private request(type: EntryRequest["type"]): Promise<EntryMessage> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        return reject(new Error("bench server process is gone"));
      }
      this.pending.set(id, { resolve, reject });
      const req: EntryRequest = { type, id };
      this.child.send(req);
    });
  }

  async stats(): Promise<ServerStats> {
    const msg = await this.request("stats");
    if (msg.type !== "stats") throw new Error(`unexpected ${msg.type}`);
    return msg.stats;
  }

  async counts(): Promise<StoreCounts> {
    const msg = await this.request("counts");
    if (msg.type !== "counts") throw new Error(`unexpected ${msg.type}`);
    return msg.counts;
  }

  async stop(): Promise<void> {
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 15_000);
    await this.exited;
    clearTimeout(timer);
    children.delete(this.child);
  }
}

async function spawnServer(dataDir: string): Promise<{ proc: ServerProcess; url: string }> {
  const child = fork(ENTRY, [BENCH_TEMPLATE, dataDir], {
    execArgv: ["--import", TSX, "--expose-gc"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  });
  children.add(child);
  const proc = new ServerProcess(child);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("bench server process not ready")), READY_TIMEOUT_MS);
    child.on("message", (msg: EntryMessage) => {
      if (msg.type !== "ready") return;
      clearTimeout(timer);
      resolve(msg.url);
    });
    void proc.exited.then(() => reject(new Error("bench server process exited before it was ready")));
  });
  return { proc, url };
}

const kb = (bytes: number) => `${fmt(bytes / 1024, 2)} KB`;
const mb = (bytes: number) => `${fmt(bytes / 2 ** 20, 1)} MB`;

export async function benchMemory(waiting: number): Promise<MemoryFigures> {
  console.log(
    `\n6. ${waiting.toLocaleString("en-US")} executions parked on a one-day wait (server in its own process)`,
  );
  const { proc, url } = await spawnServer(tempDir());
  const client = benchClient(url);
  try {
    // Warm-up: the workers of both functions started and the JIT warm, so `before` is steady.
    await pool(100, 50, () => invokeSync(client, "bench-steps", { n: 1 }));
    await pool(50, 50, () => invokeSync(client, "bench-waiter", { seconds: 1 }));
    const before = await proc.stats();

    const t0 = performance.now();
    let started = 0;
    let lastReport = t0;
    for (;;) {
      const now = await proc.counts();
      const parked = now.waitTimers - before.waitTimers;
      if (parked >= waiting && now.leased === 0 && now.invokeDue === 0) break;
      const elapsed = performance.now() - t0;
      if (elapsed > PARK_TIMEOUT_MS) throw new Error(`only ${parked} of ${waiting} executions parked`);
      if (performance.now() - lastReport > 15_000) {
        lastReport = performance.now();
        console.log(`    … ${parked.toLocaleString("en-US")} parked after ${fmt(elapsed / 1000, 0)} s`);
      }
      const room = Math.min(WINDOW - (started - parked), waiting - started);
      if (room > 0) {
        const first = started;
        started += room;
        await Promise.all(
          Array.from({ length: room }, (_, i) =>
            invokeAsync(client, "bench-waiter", { seconds: 86_400 }, `park-${first + i}`),
          ),
        );
      } else await sleep(50);
    }
    const parkedMs = performance.now() - t0;
    await sleep(200); // a moment for anything still settling (a worker finishing its output)
    const after = await proc.stats();

    const figures: MemoryFigures = {
      waiting,
      before,
      after,
      rssPerExecution: (after.rss - before.rss) / waiting,
      heapPerExecution: (after.heapUsed - before.heapUsed) / waiting,
      parkedPerSecond: (waiting / parkedMs) * 1000,
    };
    line("", "before".padStart(10), "after".padStart(10), "per waiting execution");
    line("server RSS", mb(before.rss).padStart(10), mb(after.rss).padStart(10), kb(figures.rssPerExecution));
    line(
      "server heap used (after full GC)",
      mb(before.heapUsed).padStart(10),
      mb(after.heapUsed).padStart(10),
      kb(figures.heapPerExecution),
    );
    line("executions RUNNING (all of them parked)", after.running.toLocaleString("en-US"));
    line(
      "worker processes alive / busy while they wait",
      `${after.workers} alive (${mb(after.workersRss)} RSS together), ${after.busyWorkers} busy`,
    );
    console.log(
      "    (the alive workers are the warm pools of the two functions, idle until their idle timeout)",
    );
    line(
      "parking throughput (start, wait, suspend)",
      `${fmt(figures.parkedPerSecond, 0)} executions/s (${WINDOW} in flight; all parked after ${fmt(parkedMs / 1000, 1)} s)`,
    );
    return figures;
  } finally {
    client.destroy();
    await proc.stop();
  }
}
