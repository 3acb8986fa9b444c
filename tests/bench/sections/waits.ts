// 4. Overshoot of a 1 s wait. Executions start 20 ms apart so that their timers fire one by one.
// "timer" = WaitSucceeded.EventTimestamp − WaitStarted.ScheduledEndTimestamp (from the history:
// how late the service completed the wait). "end to end" = the moment the caller sees the
// execution end (sync Invoke returns on Dormouse; the handler's final return on the local runner)
// − ScheduledEndTimestamp: that adds the re-invocation and the replay.
import type { Event } from "@aws-sdk/client-lambda";
import { handler as waiterHandler } from "../functions/src/waiter.js";
import { localRunner, probe, setupLocalRunner } from "../local-runner.js";
import type { BenchServer } from "../support.js";
import { fmt, historyOf, invokeSync, line, median, p99, ratio, sleep } from "../support.js";

const STAGGER_MS = 20;

export interface WaitSide {
  timerMedian: number;
  timerP99: number;
  endToEndMedian: number;
  endToEndP99: number;
}

export interface WaitFigures {
  total: number;
  dormouse: WaitSide;
  local: WaitSide;
}

function scheduledEnd(events: Event[]): number {
  const started = events.find((e) => e.EventType === "WaitStarted");
  return started?.WaitStartedDetails?.ScheduledEndTimestamp?.getTime() ?? NaN;
}

function waitSucceededAt(events: Event[]): number {
  return events.find((e) => e.EventType === "WaitSucceeded")?.EventTimestamp?.getTime() ?? NaN;
}

function summarise(timer: number[], endToEnd: number[]): WaitSide {
  return {
    timerMedian: median(timer),
    timerP99: p99(timer),
    endToEndMedian: median(endToEnd),
    endToEndP99: p99(endToEnd),
  };
}

export async function benchWaits(bench: BenchServer, total: number): Promise<WaitFigures> {
  console.log(`\n4. overshoot of a 1 s wait, ${total} executions started ${STAGGER_MS} ms apart`);

  // ---- Dormouse ----
  // Warm-up: a full pool of warm workers, so that no measured execution waits for a process start.
  await Promise.all(
    Array.from({ length: 8 }, () => invokeSync(bench.client, "bench-waiter", { seconds: 1 })),
  );
  const cold0 = bench.server.runtime.stats().coldStarts;
  const dRuns = await Promise.all(
    Array.from({ length: total }, async (_, i) => {
      await sleep(i * STAGGER_MS);
      const out = await invokeSync(bench.client, "bench-waiter", { seconds: 1 });
      return { arn: out.arn, endedAt: Date.now() };
    }),
  );
  const dTimer: number[] = [];
  const dEnd: number[] = [];
  for (const run of dRuns) {
    const events = await historyOf(bench.client, run.arn);
    const end = scheduledEnd(events);
    dTimer.push(waitSucceededAt(events) - end);
    dEnd.push(run.endedAt - end);
  }
  const dormouse = summarise(dTimer, dEnd);
  const coldStarts = bench.server.runtime.stats().coldStarts - cold0;

  // ---- LocalDurableTestRunner ----
  await setupLocalRunner();
  const lRuns = await Promise.all(
    Array.from({ length: total }, async (_, i) => {
      await sleep(i * STAGGER_MS);
      const p = probe(waiterHandler);
      const done = p.next("SUCCEEDED");
      const result = await localRunner(p.handler).run({ payload: { seconds: 1 } });
      return { events: result.getHistoryEvents(), endedAt: (await done).wall };
    }),
  );
  const lTimer: number[] = [];
  const lEnd: number[] = [];
  for (const run of lRuns) {
    const end = scheduledEnd(run.events);
    lTimer.push(waitSucceededAt(run.events) - end);
    lEnd.push(run.endedAt - end);
  }
  const local = summarise(lTimer, lEnd);

  line("", "dormouse".padStart(12), "local runner".padStart(12), "  ratio");
  const row = (label: string, d: number, l: number) =>
    line(label, `${fmt(d, 1)} ms`.padStart(12), `${fmt(l, 1)} ms`.padStart(12), `  ${ratio(d, l)}`);
  row("timer overshoot, median", dormouse.timerMedian, local.timerMedian);
  row("timer overshoot, p99", dormouse.timerP99, local.timerP99);
  row("end to end overshoot, median", dormouse.endToEndMedian, local.endToEndMedian);
  row("end to end overshoot, p99", dormouse.endToEndP99, local.endToEndP99);
  console.log(`  (worker cold starts during the Dormouse measurement: ${coldStarts})`);
  return { total, dormouse, local };
}
