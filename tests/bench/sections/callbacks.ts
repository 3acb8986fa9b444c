// 3. Callback → completion: how long after SendDurableExecutionCallbackSuccess the execution is
// terminal. Executions are parked first (their invocation has returned PENDING), then callbacks
// are sent one at a time, so each figure is a latency, not a share of a burst.
//
// Dormouse: the clock runs from sending the callback to the return of a sync Invoke that was
// already waiting on the execution (Event invoke with a name, then a sync Invoke with the same
// name, which returns that execution once it ends). The history also gives the server's own view:
// ExecutionSucceeded − CallbackSucceeded. Local runner: from sendCallbackSuccess to the handler's
// final return.
import { SendDurableExecutionCallbackSuccessCommand } from "@aws-sdk/client-lambda";
import type { Event } from "@aws-sdk/client-lambda";
import { handler as callbackHandler } from "../functions/src/callback.js";
import { localRunner, probe, setupLocalRunner } from "../local-runner.js";
import type { BenchServer } from "../support.js";
import {
  fmt,
  historyOf,
  invokeAsync,
  invokeSync,
  line,
  median,
  p99,
  ratio,
  untilHistory,
} from "../support.js";
import { WaitingOperationStatus } from "@aws/durable-execution-sdk-js-testing";

const BATCH = 10;
const RESULT = new TextEncoder().encode(JSON.stringify("approved"));

export interface CallbackSide {
  median: number;
  p99: number;
  ackMedian: number;
  serverMedian?: number;
}

export interface CallbackFigures {
  total: number;
  dormouse: CallbackSide;
  local: CallbackSide;
}

/** The callback id once the execution has created it and its invocation has returned PENDING. */
function parkedCallbackId(events: Event[]): string | undefined {
  const started = events.find((e) => e.EventType === "CallbackStarted");
  const parked = events.some(
    (e) => e.EventType === "InvocationCompleted" && (e.EventId ?? 0) > (started?.EventId ?? Infinity),
  );
  return parked ? started?.CallbackStartedDetails?.CallbackId : undefined;
}

export async function benchCallbacks(bench: BenchServer, total: number): Promise<CallbackFigures> {
  console.log(
    `\n3. callback → completion, ${total} executions (parked in batches of ${BATCH}, sent one by one)`,
  );
  const { client } = bench;

  // ---- Dormouse ----
  const cold0 = bench.server.runtime.stats().coldStarts;
  const dLatency: number[] = [];
  const dAck: number[] = [];
  const arns: string[] = [];
  for (let b = 0; b * BATCH < total; b++) {
    const names = Array.from({ length: Math.min(BATCH, total - b * BATCH) }, (_, i) => `cb-${b}-${i}`);
    const batchArns = await Promise.all(names.map((name) => invokeAsync(client, "bench-callback", {}, name)));
    arns.push(...batchArns);
    const ended = names.map((name) =>
      invokeSync(client, "bench-callback", {}, name).then(() => performance.now()),
    );
    for (const e of ended) e.catch(() => undefined); // awaited below; a failure must not go unhandled
    const ids = await Promise.all(batchArns.map((arn) => untilHistory(client, arn, parkedCallbackId)));
    for (let i = 0; i < ids.length; i++) {
      const t0 = performance.now();
      await client.send(
        new SendDurableExecutionCallbackSuccessCommand({ CallbackId: ids[i], Result: RESULT }),
      );
      dAck.push(performance.now() - t0);
      dLatency.push((await ended[i]!) - t0);
    }
  }
  const coldStarts = bench.server.runtime.stats().coldStarts - cold0;
  const dServer: number[] = [];
  for (const arn of arns) {
    const events = await historyOf(client, arn);
    const at = (type: string) => events.find((e) => e.EventType === type)?.EventTimestamp?.getTime() ?? NaN;
    dServer.push(at("ExecutionSucceeded") - at("CallbackSucceeded"));
  }
  const dormouse: CallbackSide = {
    median: median(dLatency),
    p99: p99(dLatency),
    ackMedian: median(dAck),
    serverMedian: median(dServer),
  };

  // ---- LocalDurableTestRunner ----
  await setupLocalRunner();
  const lLatency: number[] = [];
  const lAck: number[] = [];
  for (let b = 0; b * BATCH < total; b++) {
    const n = Math.min(BATCH, total - b * BATCH);
    const runs = Array.from({ length: n }, () => {
      const p = probe(callbackHandler);
      const parked = p.next("PENDING");
      const done = p.next("SUCCEEDED");
      const runner = localRunner(p.handler);
      const result = runner.run({ payload: {} });
      return { parked, done, result, op: runner.getOperation("approval") };
    });
    for (const r of runs) {
      await r.parked;
      await r.op.waitForData(WaitingOperationStatus.STARTED);
    }
    for (const r of runs) {
      const t0 = performance.now();
      await r.op.sendCallbackSuccess(JSON.stringify("approved"));
      lAck.push(performance.now() - t0);
      lLatency.push((await r.done).at - t0);
    }
    await Promise.all(runs.map((r) => r.result));
  }
  const local: CallbackSide = { median: median(lLatency), p99: p99(lLatency), ackMedian: median(lAck) };

  line("", "dormouse".padStart(12), "local runner".padStart(12), "  ratio");
  const row = (label: string, d: number, l: number) =>
    line(label, `${fmt(d, 2)} ms`.padStart(12), `${fmt(l, 2)} ms`.padStart(12), `  ${ratio(d, l)}`);
  row("callback → terminal, median", dormouse.median, local.median);
  row("callback → terminal, p99", dormouse.p99, local.p99);
  row("callback request acknowledged, median", dormouse.ackMedian, local.ackMedian);
  line(
    "inside the server (history), median",
    `${fmt(dormouse.serverMedian ?? NaN, 2)} ms`.padStart(12),
    "(ExecutionSucceeded − CallbackSucceeded: re-invoke, replay, finish)",
  );
  console.log(`  (worker cold starts during the Dormouse part, parking included: ${coldStarts})`);
  return { total, dormouse, local };
}
