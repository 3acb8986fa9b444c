import { withDurableExecution } from "@aws/durable-execution-sdk-js";

/**
 * `n` sequential steps (default 100). Returns how long the steps took inside the handler, which is
 * the SDK's view of the per-step cost (one checkpoint round trip each), free of invoke overhead.
 */
export const handler = withDurableExecution(async (event: { n?: number }, ctx) => {
  const n = event.n ?? 100;
  const t0 = performance.now();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await ctx.step(`s${i}`, async () => i);
  return { n, sum, stepsMs: performance.now() - t0 };
});
