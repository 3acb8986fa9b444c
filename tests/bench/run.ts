// `npm run bench [-- --quick] [--profile] [--only=cold,steps,throughput,callbacks,waits,memory]`
//
// Prints Dormouse's figures beside AWS's LocalDurableTestRunner (same handlers, in-process fake
// service, real timers) and the targets of the performance model (shared DESIGN.md). It never
// asserts: the figures depend on the machine and on whatever else runs on it.
import path from "node:path";
import { teardownLocalRunner } from "./local-runner.js";
import { benchCallbacks } from "./sections/callbacks.js";
import { benchColdStart } from "./sections/cold-start.js";
import { benchMemory, killServerProcesses } from "./sections/memory.js";
import { benchSteps } from "./sections/steps.js";
import { benchThroughput } from "./sections/throughput.js";
import { benchWaits } from "./sections/waits.js";
import type { BenchServer } from "./support.js";
import { fmt, loadAverage, machine, ratio, removeTempDirs, startBenchServer, tempDir } from "./support.js";

// The AWS SDK warns on Node < 22 whenever a client is made; read when clients are constructed.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const SECTIONS = ["cold", "steps", "throughput", "callbacks", "waits", "memory"] as const;
type Section = (typeof SECTIONS)[number];

function parseArgs(argv: string[]): { quick: boolean; profile: boolean; only: Set<Section> } {
  let quick = false;
  let profile = false;
  let only = new Set<Section>(SECTIONS);
  for (const arg of argv) {
    if (arg === "--quick") quick = true;
    else if (arg === "--profile") profile = true;
    else if (arg.startsWith("--only=")) {
      const names = arg.slice("--only=".length).split(",");
      const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
      if (unknown.length > 0)
        throw new Error(`unknown section(s) ${unknown.join(", ")}; known: ${SECTIONS.join(", ")}`);
      only = new Set(names as Section[]);
    } else throw new Error(`unknown option ${arg} (use --quick, --profile, --only=${SECTIONS.join(",")})`);
  }
  return { quick, profile, only };
}

const { quick, profile, only } = parseArgs(process.argv.slice(2));
const size = quick
  ? { stepRuns: 3, executions: 200, callbacks: 30, waits: 20, coldStarts: 1, waiting: 1_000 }
  : { stepRuns: 7, executions: 500, callbacks: 100, waits: 50, coldStarts: 3, waiting: 10_000 };

// --profile writes server CPU profiles of sections 1 and 2 here (kept after the run).
const profileDir = profile ? path.resolve(import.meta.dirname, "../../tmp/bench-profiles") : undefined;
// Interrupted: stop the server process and remove the temp dirs (workers of an in-process server
// leave by themselves when this process, their IPC peer, is gone).
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killServerProcesses();
    removeTempDirs();
    process.exit(130);
  });
}

const started = performance.now();
console.log(`Dormouse bench${quick ? " (--quick)" : ""}`);
for (const l of machine(tempDir())) console.log(`  ${l}`);

let bench: BenchServer | undefined;
let exitCode = 0;
const rows: string[][] = [];
try {
  const cold = only.has("cold") ? await benchColdStart(size.coldStarts) : undefined;
  const needServer = ["steps", "throughput", "callbacks", "waits"].some((s) => only.has(s as Section));
  if (needServer) bench = await startBenchServer();
  const steps = only.has("steps") ? await benchSteps(bench!, size.stepRuns, profileDir) : undefined;
  const tput = only.has("throughput")
    ? await benchThroughput(bench!, size.executions, profileDir)
    : undefined;
  const callbacks = only.has("callbacks") ? await benchCallbacks(bench!, size.callbacks) : undefined;
  const waits = only.has("waits") ? await benchWaits(bench!, size.waits) : undefined;
  await bench?.close();
  bench = undefined;
  await teardownLocalRunner();
  const memory = only.has("memory") ? await benchMemory(size.waiting) : undefined;

  const yes = (ok: boolean) => (ok ? "yes" : "no");
  if (steps) {
    const d = steps.dormouse.inHandlerPerStep;
    const l = steps.local.inHandlerPerStep;
    rows.push([
      "ms per step (100 steps, in handler)",
      `${fmt(d, 3)} ms`,
      `${fmt(l, 3)} ms`,
      ratio(d, l),
      "≤ 0.6 ms (fsync-durable)",
      yes(d <= 0.6),
    ]);
  }
  if (tput) {
    const d = tput.dormouse.perSecond;
    const l = tput.local.perSecond;
    rows.push([
      `executions/s (${tput.total} × 3 steps, 50 in flight)`,
      fmt(d, 0),
      fmt(l, 0),
      ratio(d, l, true),
      "≥ 1,000",
      yes(d >= 1000),
    ]);
  }
  if (callbacks) {
    const d = callbacks.dormouse.median;
    const l = callbacks.local.median;
    rows.push([
      "callback → completion, median",
      `${fmt(d, 2)} ms`,
      `${fmt(l, 2)} ms`,
      ratio(d, l),
      "≤ 2 ms",
      yes(d <= 2),
    ]);
    const dp = callbacks.dormouse.p99;
    const lp = callbacks.local.p99;
    rows.push(["callback → completion, p99", `${fmt(dp, 2)} ms`, `${fmt(lp, 2)} ms`, ratio(dp, lp), "", ""]);
  }
  if (waits) {
    const d = waits.dormouse.timerMedian;
    const l = waits.local.timerMedian;
    rows.push([
      "1 s wait overshoot (timer), median",
      `${fmt(d, 1)} ms`,
      `${fmt(l, 1)} ms`,
      ratio(d, l),
      "≤ 2 ms",
      yes(d <= 2),
    ]);
    const de = waits.dormouse.endToEndMedian;
    const le = waits.local.endToEndMedian;
    rows.push([
      "1 s wait overshoot (end to end), median",
      `${fmt(de, 1)} ms`,
      `${fmt(le, 1)} ms`,
      ratio(de, le),
      "",
      "",
    ]);
  }
  if (cold) {
    rows.push([
      "cold start (startServer → 1st invoke)",
      `${fmt(cold.median, 0)} ms`,
      `(${fmt(cold.local, 0)} ms)`,
      "",
      "≤ 300 ms",
      yes(cold.median <= 300),
    ]);
  }
  if (memory) {
    const busy = memory.after.busyWorkers;
    rows.push([
      `per waiting execution (${memory.waiting.toLocaleString("en-US")} parked)`,
      `${fmt(memory.rssPerExecution / 1024, 2)} KB RSS, ${fmt(memory.heapPerExecution / 1024, 2)} KB heap, ${busy} busy workers`,
      "",
      "",
      "no process, ≤ 1 KB heap",
      yes(busy === 0 && memory.heapPerExecution <= 1024),
    ]);
  }
} catch (err) {
  exitCode = 1;
  console.error("\nbench failed:", err);
} finally {
  await bench?.close().catch(() => undefined);
  await teardownLocalRunner().catch(() => undefined);
  killServerProcesses();
  removeTempDirs();
}

if (rows.length > 0) {
  const header = ["figure", "dormouse", "local runner", "ratio", "target", "met"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const render = (r: string[]) => `  ${r.map((c, i) => c.padEnd(widths[i]!)).join("  ")}`.trimEnd();
  console.log(`\nSummary (load average now ${loadAverage()}; ratio = dormouse vs local runner)`);
  console.log(render(header));
  console.log(`  ${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const r of rows) console.log(render(r));
}
console.log(`\ntotal bench time ${fmt((performance.now() - started) / 1000, 1)} s`);
process.exit(exitCode);
