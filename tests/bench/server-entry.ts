// A Dormouse server in its own process for the memory section, so the figures are the server's
// own: `node --import tsx --expose-gc server-entry.ts <template> <data dir>`, forked with an IPC
// channel. It answers `stats` with its memory (after a full GC), its workers, and counts read from
// its SQLite file through a second, read-only connection. It exits when the channel closes.
import fs from "node:fs";
import Database from "better-sqlite3";
import { startServer } from "@dormouse/server";

/** `stats`: everything, after a full GC (slow on a big heap); `counts`: only the store counts. */
export type EntryRequest = { type: "stats" | "counts"; id: number };

export interface ServerStats {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  workers: number;
  busyWorkers: number;
  /** resident memory of all worker processes together */
  workersRss: number;
  /** executions RUNNING */
  running: number;
  /** executions holding an invocation lease (an invocation is running or about to) */
  leased: number;
  /** executions waiting for an invocation to start */
  invokeDue: number;
  /** pending WAIT timers due more than an hour from now */
  waitTimers: number;
  cpuMs: number;
}

export type StoreCounts = Pick<ServerStats, "leased" | "invokeDue" | "waitTimers">;

export type EntryMessage =
  | { type: "ready"; url: string }
  | { type: "stats"; id: number; stats: ServerStats }
  | { type: "counts"; id: number; counts: StoreCounts };

const [template, dataDir] = process.argv.slice(2);
if (!template || !dataDir || !process.send) {
  process.stderr.write("usage: fork server-entry.ts <template> <data dir> (with an IPC channel)\n");
  process.exit(2);
}

const server = await startServer({
  mode: "dev",
  template,
  dataDir,
  port: 0,
  host: "127.0.0.1",
  logLevel: "warn",
});
const db = new Database(server.databaseFile, { readonly: true, fileMustExist: true });
// Polled while executions are being parked, so only index ranges: the due_at index covers kind.
const counts = db.prepare<[{ now: number }], StoreCounts>(
  `SELECT
     (SELECT count(*) FROM executions WHERE has_lease = 1) AS leased,
     (SELECT count(*) FROM due_work WHERE due_at <= @now AND kind = 'invoke') AS invokeDue,
     (SELECT count(*) FROM due_work WHERE due_at > @now + 3600000 AND kind = 'wait') AS waitTimers`,
);
const countRunning = db
  .prepare<[], number>("SELECT count(*) FROM executions WHERE status = 'RUNNING'")
  .pluck();
const gc = (globalThis as { gc?: () => void }).gc;

function stats(): ServerStats {
  gc?.();
  gc?.();
  const mem = process.memoryUsage();
  const runtime = server.runtime.stats();
  const cpu = process.cpuUsage();
  return {
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    heapTotal: mem.heapTotal,
    external: mem.external,
    workers: runtime.workers,
    busyWorkers: runtime.busy + runtime.starting,
    workersRss: runtime.functions.flatMap((f) => f.pids).reduce((sum, pid) => sum + residentBytes(pid), 0),
    ...counts.get({ now: Date.now() })!,
    running: countRunning.get()!,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

/** VmRSS of a process from /proc (Linux); 0 elsewhere or when it is gone. */
function residentBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

const send = (msg: EntryMessage) => process.send!(msg);

process.on("message", (msg: EntryRequest) => {
  if (msg.type === "stats") send({ type: "stats", id: msg.id, stats: stats() });
  else if (msg.type === "counts")
    send({ type: "counts", id: msg.id, counts: counts.get({ now: Date.now() })! });
});

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  db.close();
  void server.close().finally(() => process.exit(0));
}
process.on("disconnect", stop);
process.once("SIGTERM", stop);

send({ type: "ready", url: server.url });
