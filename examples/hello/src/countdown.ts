// countdown: a step per number with a two-second durable wait in between. While it waits the
// function is not running at all; the server invokes it again when the wait is over and the
// finished steps replay from their checkpoints (their console.log lines do not print twice).
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

interface CountdownEvent {
  from?: number;
}

export const handler = withDurableExecution(async (event: CountdownEvent, ctx) => {
  const from = Math.min(Math.max(Math.trunc(event.from ?? 3), 1), 10);

  for (let n = from; n > 0; n--) {
    await ctx.step(`tick-${n}`, async () => {
      console.log(`${n}…`);
      return n;
    });
    if (n > 1) await ctx.wait(`pause-${n}`, { seconds: 2 });
  }

  return ctx.step("liftoff", async () => ({ message: "Liftoff!", at: new Date().toISOString() }));
});
