// `npm run bench [-- --quick] [--profile] [--only=cold,steps,throughput,callbacks,waits,memory,cluster]`
//
// Prints Dormouse's figures beside AWS's LocalDurableTestRunner (same handlers, in-process fake
// service, real timers) and the targets of the performance model (shared DESIGN.md). It never
// asserts: the figures depend on the machine and on whatever else runs on it.
import path from "node:path";
import { teardownLocalRunner } from "./local-runner.js";
import { benchCallbacks } from "./sections/callbacks.js";
import { benchCluster, scalingNote } from "./sections/cluster.js";
import type { ClusterFigures } from "./sections/cluster.js";
import { benchColdStart } from "./sections/cold-start.js";
import { benchMemory, killServerProcesses } from "./sections/memory.js";
import { benchSteps } from "./sections/steps.js";
import { benchThroughput } from "./sections/throughput.js";
import { benchWaits } from "./sections/waits.js";
import type { BenchServer } from "./support.js";
import { printSummary, summaryRows } from "./summary.js";
import {
  fmt,
  fsyncProbe,
  loadAverage,
  machine,
  removeTempDirs,
  startBenchServer,
  tempDir,
} from "./support.js";

// The AWS SDK warns on Node < 22 whenever a client is made; read when clients are constructed.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const SECTIONS = ["cold", "steps", "throughput", "callbacks", "waits", "memory", "cluster"] as const;
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
/** Section 7 runs every workload three times (SQLite, PostgreSQL with 1 and with 3 nodes). */
const clusterSize = quick
  ? { stepRuns: 3, executions: 200, callbacks: 10, waits: 10 }
  : { stepRuns: 5, executions: 500, callbacks: 30, waits: 20 };

// --profile writes server CPU profiles of sections 1 and 2 here (kept after the run).
const profileDir = profile ? path.resolve(import.meta.dirname, "../../tmp/bench-profiles") : undefined;
// Interrupted, or exiting some other way: stop the server process and remove the temp dirs
// (workers of an in-process server leave by themselves when this process, their IPC peer, is gone).
process.once("exit", () => {
  killServerProcesses();
  removeTempDirs();
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => process.exit(130));
}

const started = performance.now();
console.log(`Dormouse bench${quick ? " (--quick)" : ""}`);
for (const l of machine(tempDir())) console.log(`  ${l}`);

let bench: BenchServer | undefined;
let exitCode = 0;
const rows: string[][] = [];
let endProbe = "";
let cluster: ClusterFigures | undefined;
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
  cluster = only.has("cluster") ? await benchCluster(clusterSize) : undefined;

  rows.push(...summaryRows({ steps, tput, callbacks, waits, cold, memory }));
  endProbe = fsyncProbe(tempDir());
} catch (err) {
  exitCode = 1;
  console.error("\nbench failed:", err);
} finally {
  await bench?.close().catch(() => undefined);
  await teardownLocalRunner().catch(() => undefined);
  killServerProcesses();
  removeTempDirs();
}

if (rows.length > 0) printSummary(rows, `load average now ${loadAverage()}; ${endProbe}`);
if (cluster) {
  console.log("");
  for (const l of scalingNote(cluster)) console.log(`  ${l}`);
}
console.log(`\ntotal bench time ${fmt((performance.now() - started) / 1000, 1)} s`);
process.exit(exitCode);
