// `--profile`: a CPU profile of this process (server + bench client; the local runner is not
// running then) around a measured phase, summarised by phase of the request path. Each sample is
// charged to the innermost frame that belongs to a known phase, so JSON.parse inside zod counts
// as validation and the native COMMIT inside the group commit counts as "sqlite COMMIT (fsync)".
// V8 samples wall-clock time of the main thread: a blocking fsync shows up, time spent off-CPU
// waiting for the event loop does not (that is "(idle)").
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";
import { fmt, line } from "./support.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const PHASES: [string, (fn: string, url: string, parentFn: string) => boolean][] = [
  ["(the profiler itself)", (_f, url) => url.startsWith("node:inspector")],
  [
    "sqlite COMMIT (fsync)",
    (fn, url, parent) => url === "" && fn === "run" && parent === "sqliteTransaction",
  ],
  // Native writes to sockets and pipes: on a busy machine mostly the wake-up of the reader.
  [
    "socket / pipe write syscalls",
    (fn, url) => url === "" && /^(writev|writeBuffer|writeUtf8String|writeLatin1String)$/.test(fn),
  ],
  ["worker IPC (child_process send)", (_f, url) => url.startsWith("node:internal/child_process")],
  ["sqlite statements (applyDecision)", (_f, url) => url.includes("/store/src/sqlite/apply-decision")],
  ["sqlite reads / other store", (_f, url) => url.includes("/store/src/") || url.includes("better-sqlite3")],
  ["engine (checkpoint, invocation)", (_f, url) => url.includes("/packages/engine/")],
  ["orchestrator / scheduler", (_f, url) => url.includes("/packages/scheduler/")],
  [
    "validation (zod, api/validation)",
    (_f, url) => url.includes("/zod/") || url.includes("/api/src/validation"),
  ],
  ["api routes + wire", (_f, url) => url.includes("/packages/api/")],
  ["runtime (pool, worker IPC)", (_f, url) => url.includes("/packages/runtime/")],
  ["server (function catalog)", (_f, url) => url.includes("/packages/server/")],
  ["fastify + router", (_f, url) => url.includes("/fastify/") || url.includes("/find-my-way/")],
  ["node http / net / streams", (_f, url) => /^node:(_http|http|net|internal\/streams|stream)/.test(url)],
  ["bench client (AWS SDK)", (_f, url) => /@aws-sdk|@smithy|tests\/bench/.test(url)],
  ["node internals (other)", (_f, url) => url.startsWith("node:")],
];

export class CpuProfiler {
  private readonly session = new Session();

  async start(): Promise<void> {
    this.session.connect();
    await this.session.post("Profiler.enable");
    await this.session.post("Profiler.setSamplingInterval", { interval: 250 });
    await this.session.post("Profiler.start");
  }

  /** Stops, writes the raw profile next to the bench (for DevTools), prints the phase table. */
  async stop(name: string, units: number, unitName: string, dir: string): Promise<void> {
    const { profile } = (await this.session.post("Profiler.stop")) as { profile: Profile };
    this.session.disconnect();
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(profile));
    printPhases(profile, units, unitName, file);
  }
}

function printPhases(profile: Profile, units: number, unitName: string, file: string): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    all += dt;
    let phase: string | undefined;
    const leaf = byId.get(id)!;
    if (leaf.callFrame.functionName === "(idle)") phase = "(idle)";
    else if (leaf.callFrame.functionName === "(garbage collector)") phase = "garbage collector";
    for (let cur: number | undefined = id; phase === undefined && cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur)!;
      const parentFn = byId.get(parent.get(cur) ?? -1)?.callFrame.functionName ?? "";
      phase = PHASES.find(([, match]) =>
        match(node.callFrame.functionName, node.callFrame.url, parentFn),
      )?.[0];
    }
    phase ??= "other (native, program)";
    totals.set(phase, (totals.get(phase) ?? 0) + dt);
  });
  console.log(`  profile of this process (server + bench client), per ${unitName}; raw: ${file}`);
  for (const [phase, us] of [...totals].sort((a, b) => b[1] - a[1])) {
    if (us / all < 0.005) continue;
    line(
      `  ${phase}`,
      `${fmt(us / 1000 / units, 3)} ms`.padStart(10),
      `${fmt((100 * us) / all, 1)}%`.padStart(6),
    );
  }
}
