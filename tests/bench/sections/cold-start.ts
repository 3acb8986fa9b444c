// 5. Cold start: from the startServer call (fresh data dir, modules already imported) to the
// return of the first sync Invoke of a 1-step function, which includes spawning the first worker
// process (Node + tsx + the handler and the SDK). Repeated on fresh servers; the first attempt in
// this process is reported too, since it also pays for lazy module initialisation.
//
// Beside it, for scale: LocalDurableTestRunner.setupTestEnvironment() plus its first 1-step run
// (to the handler's return). It runs the handler in this process, so it has no process to start.
import { startServer } from "@dormouse/server";
import { handler as stepsHandler } from "../functions/src/steps.js";
import { localRunner, probe, setupLocalRunner } from "../local-runner.js";
import { BENCH_TEMPLATE, benchClient, fmt, invokeSync, line, median, tempDir } from "../support.js";

export interface ColdStartFigures {
  first: number;
  median: number;
  startServer: number;
  firstInvoke: number;
  local: number;
}

export async function benchColdStart(attempts: number): Promise<ColdStartFigures> {
  console.log(`\n5. cold start: startServer → first 1-step sync Invoke returned (${attempts} fresh servers)`);
  const totals: number[] = [];
  const starts: number[] = [];
  const invokes: number[] = [];
  for (let i = 0; i < attempts; i++) {
    const dataDir = tempDir();
    const t0 = performance.now();
    const server = await startServer({
      mode: "dev",
      template: BENCH_TEMPLATE,
      port: 0,
      host: "127.0.0.1",
      dataDir,
      logLevel: "silent",
    });
    const t1 = performance.now();
    const client = benchClient(server.url);
    try {
      await invokeSync(client, "bench-steps", { n: 1 });
      const t2 = performance.now();
      totals.push(t2 - t0);
      starts.push(t1 - t0);
      invokes.push(t2 - t1);
    } finally {
      client.destroy();
      await server.close();
    }
  }

  const l0 = performance.now();
  await setupLocalRunner();
  const p = probe(stepsHandler);
  const done = p.next("SUCCEEDED");
  const run = localRunner(p.handler).run({ payload: { n: 1 } });
  const local = (await done).at - l0;
  await run;

  // The breakdown is that of the attempt whose total is the median.
  const mid = totals.indexOf(median(totals));
  const figures: ColdStartFigures = {
    first: totals[0] ?? NaN,
    median: totals[mid] ?? NaN,
    startServer: starts[mid] ?? NaN,
    firstInvoke: invokes[mid] ?? NaN,
    local,
  };
  line("dormouse, first in this process", `${fmt(figures.first, 0)} ms`);
  line(
    "dormouse, median",
    `${fmt(figures.median, 0)} ms  = startServer ${fmt(figures.startServer, 0)} ms + first invoke ${fmt(figures.firstInvoke, 0)} ms (worker spawn, tsx, SDK load, 1 step)`,
  );
  line("local runner setup + first run (no process to start)", `${fmt(local, 0)} ms`);
  return figures;
}
