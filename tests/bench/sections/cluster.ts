// 7. The core workloads on each store: SQLite (one node), PostgreSQL with one node, and PostgreSQL
// with three nodes sharing the database (docs/decisions/0004-cluster.md). Every node is a server
// process of its own here (sections 1-4 run SQLite in this process), so the three columns are
// measured the same way. With three nodes the client spreads its calls over them, and a callback
// goes to another node than the one that started the execution and waits for it.
//
// PostgreSQL's own counters (pg_stat_database, pg_stat_wal) around the throughput run say what the
// database does per step; the closing note turns that into where the limit moves with more nodes.
import { SendDurableExecutionCallbackSuccessCommand } from "@aws-sdk/client-lambda";
import type { Event, LambdaClient } from "@aws-sdk/client-lambda";
import { createScratchDatabase } from "@dormouse/store";
import type { ScratchDatabase } from "@dormouse/store";
import pg from "pg";
import { spawnServer, stopAllServers } from "../../support/processes.js";
import type { ServerProcess } from "../../support/processes.js";
import {
  BENCH_TEMPLATE,
  benchClient,
  fmt,
  historyOf,
  invokeAsync,
  invokeSync,
  line,
  median,
  p99,
  pool,
  sleep,
  tempDir,
  untilHistory,
} from "../support.js";

const STEPS = 100;
const THROUGHPUT_STEPS = 3;
const IN_FLIGHT = 50;
const RESULT = new TextEncoder().encode(JSON.stringify("approved"));

export interface ClusterColumn {
  label: string;
  msPerStep: number;
  executionsPerSecond: number;
  callbackMedian: number;
  callbackP99: number;
  waitOvershootMedian: number;
  waitOvershootP99: number;
  /** PostgreSQL only: what the database did per step of the throughput run. */
  database?: DatabaseWork;
}

export interface DatabaseWork {
  transactionsPerStep: number;
  rowsWrittenPerStep: number;
  walBytesPerStep: number;
}

export interface ClusterFigures {
  columns: ClusterColumn[];
  /** Why PostgreSQL was left out, when it was. */
  skipped?: string;
}

interface Nodes {
  clients: LambdaClient[];
  servers: ServerProcess[];
}

export async function benchCluster(size: {
  stepRuns: number;
  executions: number;
  callbacks: number;
  waits: number;
}): Promise<ClusterFigures> {
  console.log(
    "\n7. the core workloads per store, each node a process of its own: SQLite, PostgreSQL with 1 node, " +
      "PostgreSQL with 3 nodes on one database",
  );
  const columns: ClusterColumn[] = [];
  columns.push(await measure("sqlite, 1 node", 1, undefined, size));
  let skipped: string | undefined;
  for (const n of [1, 3]) {
    let database: ScratchDatabase;
    try {
      database = await createScratchDatabase({
        prefix: "dormouse_bench",
        ...(process.env.DORMOUSE_TEST_POSTGRES_URL && { adminUrl: process.env.DORMOUSE_TEST_POSTGRES_URL }),
      });
    } catch (err) {
      skipped = `no PostgreSQL to measure (${(err as Error).message})`;
      console.log(`  ${skipped}`);
      break;
    }
    try {
      columns.push(await measure(`postgres, ${n} node${n === 1 ? "" : "s"}`, n, database.url, size));
    } finally {
      await database.drop();
    }
  }
  print(columns);
  return skipped === undefined ? { columns } : { columns, skipped };
}

async function measure(
  label: string,
  n: number,
  database: string | undefined,
  size: { stepRuns: number; executions: number; callbacks: number; waits: number },
): Promise<ClusterColumn> {
  const nodes = await startNodes(n, database);
  try {
    const { clients } = nodes;
    // Warm-up: every node's workers of every function started, so that no figure includes a
    // process start (a resumed execution runs on the node that took its callback).
    await pool(IN_FLIGHT * 2, IN_FLIGHT, (i) =>
      invokeSync(clients[i % n]!, "bench-steps", { n: THROUGHPUT_STEPS }),
    );
    await callbackLatency(clients, 2 * n, "warm");
    await waitOvershoot(clients, 2 * n);

    // A 100-step execution: the handler's own view of a step (one checkpoint, one commit).
    const perStep: number[] = [];
    for (let i = 0; i < size.stepRuns; i++) {
      const out = await invokeSync(clients[i % n]!, "bench-steps", { n: STEPS });
      perStep.push((JSON.parse(out.payload) as { stepsMs: number }).stepsMs / STEPS);
    }

    // Throughput: small executions, 50 in flight, spread over the nodes.
    const before = database ? await databaseCounters(database) : undefined;
    const t0 = performance.now();
    await pool(size.executions, IN_FLIGHT, (i) =>
      invokeSync(clients[i % n]!, "bench-steps", { n: THROUGHPUT_STEPS }),
    );
    const elapsed = performance.now() - t0;
    const after = database ? await databaseCounters(database) : undefined;

    const callbacks = await callbackLatency(clients, size.callbacks, "cb");
    const waits = await waitOvershoot(clients, size.waits);
    const column: ClusterColumn = {
      label,
      msPerStep: median(perStep),
      executionsPerSecond: (size.executions / elapsed) * 1000,
      callbackMedian: median(callbacks),
      callbackP99: p99(callbacks),
      waitOvershootMedian: median(waits),
      waitOvershootP99: p99(waits),
    };
    if (before && after) {
      const steps = size.executions * THROUGHPUT_STEPS;
      column.database = {
        transactionsPerStep: (after.transactions - before.transactions) / steps,
        rowsWrittenPerStep: (after.rowsWritten - before.rowsWritten) / steps,
        walBytesPerStep: (after.walBytes - before.walBytes) / steps,
      };
    }
    return column;
  } finally {
    for (const client of nodes.clients) client.destroy();
    await stopAllServers();
  }
}

async function startNodes(n: number, database: string | undefined): Promise<Nodes> {
  const servers = await Promise.all(
    Array.from({ length: n }, () =>
      spawnServer({ dataDir: tempDir(), template: BENCH_TEMPLATE, logLevel: "error", database }),
    ),
  );
  return { servers, clients: servers.map((s) => benchClient(s.url)) };
}

/**
 * Callback → the end of the execution, as seen by a synchronous Invoke waiting on the node that
 * started it; with several nodes the callback goes to the next node.
 */
async function callbackLatency(clients: LambdaClient[], total: number, prefix: string): Promise<number[]> {
  const latencies: number[] = [];
  const run = `${prefix}-${Date.now().toString(36)}`;
  for (let i = 0; i < total; i++) {
    const started = clients[i % clients.length]!;
    const answered = clients[(i + 1) % clients.length]!;
    const name = `${run}-${i}`;
    const arn = await invokeAsync(started, "bench-callback", {}, name);
    const ended = invokeSync(started, "bench-callback", {}, name).then(() => performance.now());
    ended.catch(() => undefined); // awaited below; a failure must not go unhandled
    const callbackId = await untilHistory(started, arn, parkedCallbackId);
    const t0 = performance.now();
    await answered.send(
      new SendDurableExecutionCallbackSuccessCommand({ CallbackId: callbackId, Result: RESULT }),
    );
    latencies.push((await ended) - t0);
  }
  return latencies;
}

/** The callback id once the execution created it and its invocation returned PENDING. */
function parkedCallbackId(events: Event[]): string | undefined {
  const started = events.find((e) => e.EventType === "CallbackStarted");
  const parked = events.some(
    (e) => e.EventType === "InvocationCompleted" && (e.EventId ?? 0) > (started?.EventId ?? Infinity),
  );
  return parked ? started?.CallbackStartedDetails?.CallbackId : undefined;
}

/** How late 1 s waits complete (WaitSucceeded − ScheduledEndTimestamp), 20 ms apart. */
async function waitOvershoot(clients: LambdaClient[], total: number): Promise<number[]> {
  const arns = await Promise.all(
    Array.from({ length: total }, async (_, i) => {
      await sleep(i * 20);
      return (await invokeSync(clients[i % clients.length]!, "bench-waiter", { seconds: 1 })).arn;
    }),
  );
  const overshoots: number[] = [];
  for (const arn of arns) {
    const events = await historyOf(clients[0]!, arn);
    const end = events.find((e) => e.EventType === "WaitStarted")?.WaitStartedDetails?.ScheduledEndTimestamp;
    const done = events.find((e) => e.EventType === "WaitSucceeded")?.EventTimestamp;
    overshoots.push((done?.getTime() ?? NaN) - (end?.getTime() ?? NaN));
  }
  return overshoots;
}

interface Counters {
  transactions: number;
  rowsWritten: number;
  walBytes: number;
}

/** This database's commits and written rows, and the cluster's WAL (the bench is alone on it). */
async function databaseCounters(url: string): Promise<Counters> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Counters are sent to the statistics system at the end of each transaction, with a delay.
    await client.query("SELECT pg_stat_force_next_flush()");
    await sleep(600);
    const db = await client.query<{ x: string; w: string }>(
      `SELECT xact_commit AS x, tup_inserted + tup_updated + tup_deleted AS w
         FROM pg_stat_database WHERE datname = current_database()`,
    );
    const wal = await client.query<{ b: string }>("SELECT wal_bytes AS b FROM pg_stat_wal");
    return {
      transactions: Number(db.rows[0]!.x),
      rowsWritten: Number(db.rows[0]!.w),
      walBytes: Number(wal.rows[0]!.b),
    };
  } finally {
    await client.end();
  }
}

function print(columns: ClusterColumn[]): void {
  const head = columns.map((c) => c.label.padStart(18));
  line("", ...head);
  const row = (label: string, value: (c: ClusterColumn) => string) =>
    line(label, ...columns.map((c) => value(c).padStart(18)));
  row("ms per step (100 steps, in handler)", (c) => `${fmt(c.msPerStep, 3)} ms`);
  row(`executions/s (× ${THROUGHPUT_STEPS} steps, ${IN_FLIGHT} in flight)`, (c) =>
    fmt(c.executionsPerSecond, 0),
  );
  row("callback → completion, median", (c) => `${fmt(c.callbackMedian, 2)} ms`);
  row("callback → completion, p99", (c) => `${fmt(c.callbackP99, 2)} ms`);
  row("1 s wait overshoot (timer), median", (c) => `${fmt(c.waitOvershootMedian, 1)} ms`);
  row("1 s wait overshoot (timer), p99", (c) => `${fmt(c.waitOvershootP99, 1)} ms`);
  row("database transactions per step (reads too)", (c) =>
    c.database ? fmt(c.database.transactionsPerStep, 2) : "-",
  );
  row("database rows written per step", (c) => (c.database ? fmt(c.database.rowsWrittenPerStep, 1) : "-"));
  row("WAL bytes per step", (c) => (c.database ? fmt(c.database.walBytesPerStep, 0) : "-"));
  console.log(`  (with 3 nodes a callback goes to another node than the one waiting for the execution)`);
}

/** The closing note: what the database does per step, and where the limit moves with more nodes. */
export function scalingNote(f: ClusterFigures): string[] {
  const pg1 = f.columns.find((c) => c.label === "postgres, 1 node");
  const pg3 = f.columns.find((c) => c.label === "postgres, 3 nodes");
  if (!pg1?.database || !pg3) return [];
  const w = pg3.database ?? pg1.database;
  return [
    "Scaling past this machine (PostgreSQL):",
    "  A step is one dormouse_apply_decision call (a compare-and-set on the execution row, the",
    "  operation upserted, its events inserted), committed together with the other decisions of the",
    "  same moment (one WAL flush per batch). Starting and ending an execution and each invocation add",
    "  a few more (the `invoke` and `invocation-timeout` rows are written and deleted); nodes add a",
    "  heartbeat every TTL/6, one NOTIFY per node per tick and a claim query per timer they fire.",
    `  Measured over the throughput run (3-step executions, all of that included), 3 nodes: ${fmt(w.transactionsPerStep, 2)}`,
    `  transactions (reads included), ${fmt(w.rowsWrittenPerStep, 1)} rows written and ${fmt(w.walBytesPerStep, 0)} WAL bytes per step.`,
    "  A node's own CPU (HTTP, JSON, the engine) and its workers are the limit on one node; nodes",
    "  share no memory and decide through the database, so adding nodes on other machines adds that",
    "  capacity until the database's write path (rows and WAL flushes per second, one flush per group",
    "  commit per node) is the limit. On this 2-core machine three nodes, their workers and PostgreSQL",
    "  share the same cores, so the 3-node column shows the cost of coordination, not added capacity.",
  ];
}
