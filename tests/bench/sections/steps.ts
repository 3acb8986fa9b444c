// 1. A 100-step sequential execution: what one step costs. Each step is one SDK checkpoint round
// trip (START and SUCCEED go out in one batch) and, on Dormouse, one durable commit.
//
// Three views per side: end to end (start → terminal, divided by 100), the slope between a
// 100-step and a 1-step execution (the per-execution overhead cancels out), and the time the
// steps took inside the handler (performance.now() around the loop: the SDK's own view).
import { handler as stepsHandler } from "../functions/src/steps.js";
import { localRunner, probe, setupLocalRunner } from "../local-runner.js";
import { CpuProfiler } from "../profile.js";
import type { BenchServer } from "../support.js";
import { cpuOf, fmt, invokeSync, line, median, ratio, selfCpuMs, workerPids } from "../support.js";

const N = 100;

export interface StepSide {
  coldMs: number;
  endToEndPerStep: number;
  slopePerStep: number;
  inHandlerPerStep: number;
  /** CPU per step of the process holding the service (Dormouse server / this process for the runner) */
  serviceCpuPerStep: number;
  /** CPU per step of the process running the handler (Dormouse worker), when separate */
  handlerCpuPerStep?: number;
}

export interface StepFigures {
  dormouse: StepSide;
  local: StepSide;
}

interface Sample {
  endToEnd: number;
  stepsMs: number;
}

export async function benchSteps(
  bench: BenchServer,
  runs: number,
  profileDir?: string,
): Promise<StepFigures> {
  console.log(
    `\n1. ${N}-step sequential execution (${runs} warm runs each, medians; first run reported apart)`,
  );

  // ---- Dormouse: sync Invoke through the AWS client, handler in a worker process ----
  const dormouseRun = async (n: number): Promise<Sample> => {
    const t0 = performance.now();
    const out = await invokeSync(bench.client, "bench-steps", { n });
    const endToEnd = performance.now() - t0;
    return { endToEnd, stepsMs: (JSON.parse(out.payload) as { stepsMs: number }).stepsMs };
  };
  const dCold = await dormouseRun(N);
  const pids = workerPids(bench.server);
  const cpu0 = { self: selfCpuMs(), workers: cpuOf(pids) };
  const profiler = profileDir ? new CpuProfiler() : undefined;
  await profiler?.start();
  const dWarm: Sample[] = [];
  for (let i = 0; i < runs; i++) dWarm.push(await dormouseRun(N));
  const dCpu = { self: selfCpuMs() - cpu0.self, workers: cpuOf(pids) - cpu0.workers };
  await profiler?.stop("steps", runs * N, "step", profileDir!);
  const dOne: Sample[] = [];
  for (let i = 0; i < runs; i++) dOne.push(await dormouseRun(1));

  // ---- LocalDurableTestRunner: same handler in this process ----
  await setupLocalRunner();
  const localRun = async (n: number): Promise<Sample> => {
    const p = probe(stepsHandler);
    const done = p.next("SUCCEEDED");
    const t0 = performance.now();
    const running = localRunner(p.handler).run({ payload: { n } });
    const end = await done;
    await running;
    return { endToEnd: end.at - t0, stepsMs: (end.result as { stepsMs: number }).stepsMs };
  };
  const lCold = await localRun(N);
  const lCpu0 = selfCpuMs();
  const lWarm: Sample[] = [];
  for (let i = 0; i < runs; i++) lWarm.push(await localRun(N));
  const lCpu = selfCpuMs() - lCpu0;
  const lOne: Sample[] = [];
  for (let i = 0; i < runs; i++) lOne.push(await localRun(1));

  const side = (cold: Sample, warm: Sample[], one: Sample[]): Omit<StepSide, "serviceCpuPerStep"> => {
    const e2e = median(warm.map((s) => s.endToEnd));
    return {
      coldMs: cold.endToEnd,
      endToEndPerStep: e2e / N,
      slopePerStep: (e2e - median(one.map((s) => s.endToEnd))) / (N - 1),
      inHandlerPerStep: median(warm.map((s) => s.stepsMs)) / N,
    };
  };
  const dormouse: StepSide = {
    ...side(dCold, dWarm, dOne),
    serviceCpuPerStep: dCpu.self / (runs * N),
    handlerCpuPerStep: dCpu.workers / (runs * N),
  };
  const local: StepSide = { ...side(lCold, lWarm, lOne), serviceCpuPerStep: lCpu / (runs * N) };

  line("", "dormouse".padStart(12), "local runner".padStart(12), "  ratio");
  const row = (label: string, d: number, l: number, unit: string) =>
    line(label, `${fmt(d, 3)} ${unit}`.padStart(12), `${fmt(l, 3)} ${unit}`.padStart(12), `  ${ratio(d, l)}`);
  row("first (cold) 100-step execution", dormouse.coldMs, local.coldMs, "ms");
  row("per step, in the handler", dormouse.inHandlerPerStep, local.inHandlerPerStep, "ms");
  row("per step, end to end (whole execution / 100)", dormouse.endToEndPerStep, local.endToEndPerStep, "ms");
  row("per step, slope (100-step − 1-step) / 99", dormouse.slopePerStep, local.slopePerStep, "ms");
  line(
    "CPU per step",
    `server+client ${fmt(dormouse.serviceCpuPerStep, 3)} ms + worker ${fmt(dormouse.handlerCpuPerStep ?? NaN, 3)} ms`,
    `| local runner (handler + fake service) ${fmt(local.serviceCpuPerStep, 3)} ms`,
  );
  console.log(
    "  (the local runner's run() resolves ~100 ms after the end; its times are taken when the handler returns)",
  );
  return { dormouse, local };
}
