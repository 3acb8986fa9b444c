// greeter: three steps build a greeting. Each step's result is checkpointed, so if the function
// were interrupted and run again, finished steps would return their recorded values instead of
// running again (the `at` timestamp would not change).
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

interface GreeterEvent {
  name?: string;
  language?: string;
}

const SALUTATIONS: Record<string, string> = { en: "Hello", fr: "Bonjour", de: "Hallo", es: "Hola" };

export const handler = withDurableExecution(async (event: GreeterEvent, ctx) => {
  const name = await ctx.step("normalize-name", async () => {
    const trimmed = (event.name ?? "").trim();
    return trimmed === "" ? "world" : trimmed[0]!.toUpperCase() + trimmed.slice(1);
  });

  const salutation = await ctx.step(
    "pick-salutation",
    async () => SALUTATIONS[event.language ?? "en"] ?? "Hello",
  );

  return ctx.step("compose", async () => ({
    greeting: `${salutation}, ${name}!`,
    at: new Date().toISOString(),
  }));
});
