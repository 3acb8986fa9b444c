import { withDurableExecution } from "@aws/durable-execution-sdk-js";

/** Creates a callback and returns what it delivers (the bench reads the id from the history). */
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const [result] = await ctx.createCallback<string>("approval");
  return { result: await result };
});
