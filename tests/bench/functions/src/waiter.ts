import { withDurableExecution } from "@aws/durable-execution-sdk-js";

/** One wait of `event.seconds` (default 1), then returns. A long wait parks an execution. */
export const handler = withDurableExecution(async (event: { seconds?: number }, ctx) => {
  await ctx.wait("pause", { seconds: event.seconds ?? 1 });
  return { waited: event.seconds ?? 1 };
});
