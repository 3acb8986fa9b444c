// AWS's LocalDurableTestRunner as the comparison point: the same handler modules run in this
// process against its in-memory checkpoint server (a worker thread), real timers (skipTime off).
//
// `run()` resolves ~100 ms after the execution ends (the runner lets its checkpoint poll loop run
// out on a fixed timer), so latencies are taken where the handler's invocation returns instead:
// `probe()` wraps a handler and reports each invocation's end and status.
import type { DurableLambdaHandler } from "@aws/durable-execution-sdk-js";
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";

let ready = false;

export async function setupLocalRunner(): Promise<void> {
  if (ready) return;
  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: false });
  ready = true;
}

export async function teardownLocalRunner(): Promise<void> {
  if (!ready) return;
  ready = false;
  await LocalDurableTestRunner.teardownTestEnvironment();
}

export type InvocationStatus = "SUCCEEDED" | "FAILED" | "PENDING";

export interface InvocationEnd {
  status: InvocationStatus;
  /** performance.now() when the handler's invocation returned */
  at: number;
  /** Date.now() at the same moment (to compare with history timestamps) */
  wall: number;
  result: unknown;
}

export interface Probe {
  handler: DurableLambdaHandler;
  /** Resolves at the next invocation that ends with `status` (subscribe before causing it). */
  next(status: InvocationStatus): Promise<InvocationEnd>;
}

export function probe(inner: DurableLambdaHandler): Probe {
  const listeners: { status: InvocationStatus; resolve: (e: InvocationEnd) => void }[] = [];
  const handler: DurableLambdaHandler = async (event, context) => {
    const out = await inner(event, context);
    const end: InvocationEnd = {
      status: out.Status as InvocationStatus,
      at: performance.now(),
      wall: Date.now(),
      result: "Result" in out && typeof out.Result === "string" ? JSON.parse(out.Result) : undefined,
    };
    for (const l of listeners.splice(0)) {
      if (l.status === end.status) l.resolve(end);
      else listeners.push(l);
    }
    return out;
  };
  return {
    handler,
    next: (status) => new Promise((resolve) => listeners.push({ status, resolve })),
  };
}

export function localRunner(handler: DurableLambdaHandler): LocalDurableTestRunner {
  return new LocalDurableTestRunner({ handlerFunction: handler });
}
