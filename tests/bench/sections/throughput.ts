// 2. Many small executions at once: executions of 3 steps, 50 in flight, completion counted by
// waiting on each (a sync Invoke per execution on Dormouse; the handler's final return on the
// local runner, whose run() then idles ~100 ms more and is awaited outside the measurement).
import { handler as stepsHandler } from "../functions/src/steps.js";
import { localRunner, probe, setupLocalRunner } from "../local-runner.js";
import { CpuProfiler } from "../profile.js";
import type { BenchServer } from "../support.js";
import { cpuOf, fmt, invokeSync, line, median, p99, pool, ratio, selfCpuMs, workerPids } from "../support.js";

const STEPS = 3;
const IN_FLIGHT = 50;

export interface ThroughputSide {
  perSecond: number;
  latencyMedian: number;
  latencyP99: number;
  serviceCpuPerExecution: number;
  handlerCpuPerExecution?: number;
  workers?: number;
  coldStarts?: number;
}

export interface ThroughputFigures {
  total: number;
  dormouse: ThroughputSide;
  local: ThroughputSide;
}

export async function benchThroughput(
  bench: BenchServer,
  total: number,
  profileDir?: string,
): Promise<ThroughputFigures> {
  console.log(`\n2. ${total} executions of ${STEPS} steps, ${IN_FLIGHT} in flight`);

  // ---- Dormouse ----
  const dormouseOne = async () => {
    const t0 = performance.now();
    await invokeSync(bench.client, "bench-steps", { n: STEPS });
    return performance.now() - t0;
  };
  await pool(IN_FLIGHT * 2, IN_FLIGHT, dormouseOne); // warm-up: start every worker the pool will use
  const pids = workerPids(bench.server);
  const cpu0 = { self: selfCpuMs(), workers: cpuOf(pids) };
  const cold0 = bench.server.runtime.stats().coldStarts;
  const profiler = profileDir ? new CpuProfiler() : undefined;
  await profiler?.start();
  const t0 = performance.now();
  const dLatencies = await pool(total, IN_FLIGHT, dormouseOne);
  const dElapsed = performance.now() - t0;
  await profiler?.stop("throughput", total, "execution", profileDir!);
  const dormouse: ThroughputSide = {
    perSecond: (total / dElapsed) * 1000,
    latencyMedian: median(dLatencies),
    latencyP99: p99(dLatencies),
    serviceCpuPerExecution: (selfCpuMs() - cpu0.self) / total,
    handlerCpuPerExecution: (cpuOf(pids) - cpu0.workers) / total,
    workers: bench.server.runtime.stats().workers,
    coldStarts: bench.server.runtime.stats().coldStarts - cold0,
  };

  // ---- LocalDurableTestRunner ----
  await setupLocalRunner();
  const tails: Promise<unknown>[] = [];
  const localOne = async () => {
    const p = probe(stepsHandler);
    const done = p.next("SUCCEEDED");
    const start = performance.now();
    tails.push(localRunner(p.handler).run({ payload: { n: STEPS } }));
    const end = await done;
    return end.at - start;
  };
  await pool(IN_FLIGHT * 2, IN_FLIGHT, localOne);
  await Promise.all(tails.splice(0));
  const lCpu0 = selfCpuMs();
  const l0 = performance.now();
  const lLatencies = await pool(total, IN_FLIGHT, localOne);
  const lElapsed = performance.now() - l0;
  const lCpu = selfCpuMs() - lCpu0;
  await Promise.all(tails.splice(0));
  const local: ThroughputSide = {
    perSecond: (total / lElapsed) * 1000,
    latencyMedian: median(lLatencies),
    latencyP99: p99(lLatencies),
    serviceCpuPerExecution: lCpu / total,
  };

  line("", "dormouse".padStart(12), "local runner".padStart(12), "  ratio");
  line(
    "executions/s",
    fmt(dormouse.perSecond, 0).padStart(12),
    fmt(local.perSecond, 0).padStart(12),
    `  ${ratio(dormouse.perSecond, local.perSecond, true)}`,
  );
  const row = (label: string, d: number, l: number) =>
    line(label, `${fmt(d, 1)} ms`.padStart(12), `${fmt(l, 1)} ms`.padStart(12), `  ${ratio(d, l)}`);
  row("latency per execution, median", dormouse.latencyMedian, local.latencyMedian);
  row("latency per execution, p99", dormouse.latencyP99, local.latencyP99);
  line(
    "CPU per execution",
    `server+client ${fmt(dormouse.serviceCpuPerExecution, 2)} ms + workers ${fmt(dormouse.handlerCpuPerExecution ?? NaN, 2)} ms (${dormouse.workers} workers, ${dormouse.coldStarts} cold starts)`,
    `| local runner ${fmt(local.serviceCpuPerExecution, 2)} ms`,
  );
  return { total, dormouse, local };
}
