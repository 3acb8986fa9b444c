// feature-tour: one workflow that uses every durable operation of the SDK, in order:
//
//   step               start-tour          records the tour (id, time, items) once
//   waitForCallback    go-ahead            waits up to an hour for someone to send the callback
//   wait               pause               five seconds, during which nothing runs
//   parallel           three-tasks         three branches, a step each, at the same time
//   map                process-items       a step per item of the tour
//   waitForCondition   wait-until-ready    polls a readiness check every three seconds
//   invoke             say-hello           calls the hello-world function (HELLO_WORLD_FUNCTION_ARN)
//   runInChildContext  wrap-up             groups two steps under one operation
//
// Each finished operation is checkpointed: when the function resumes after the callback, the wait
// or a poll, the operations before it return their recorded results instead of running again.
import { randomUUID } from "node:crypto";
import { defaultSerdes, withDurableExecution } from "@aws/durable-execution-sdk-js";

interface TourEvent {
  name?: string;
  items?: string[];
}

interface GoAhead {
  by?: string;
  note?: string;
}

interface Readiness {
  checks: number;
  ready: boolean;
}

export const handler = withDurableExecution(async (event: TourEvent, ctx) => {
  const tour = await ctx.step("start-tour", async () => ({
    tourId: `tour-${randomUUID().slice(0, 8)}`,
    startedAt: new Date().toISOString(),
    name: typeof event.name === "string" && event.name !== "" ? event.name : "tourist",
    items:
      Array.isArray(event.items) && event.items.length > 0
        ? event.items.map(String)
        : ["compass", "lantern", "tea"],
  }));

  const goAhead = await ctx.waitForCallback<GoAhead | undefined>(
    "go-ahead",
    async (callbackId) => {
      console.log(`Tour ${tour.tourId} waits (up to an hour) for a go-ahead. Send it with:`);
      console.log(`  dormouse callback succeed ${callbackId} --result '{"by":"you"}'`);
    },
    { timeout: { hours: 1 }, serdes: defaultSerdes },
  );

  await ctx.wait("pause", { seconds: 5 });

  const tasks = await ctx.parallel("three-tasks", [
    {
      name: "check-stock",
      func: (branch) =>
        branch.step("count-stock", async () => ({ task: "stock", inStock: tour.items.length })),
    },
    {
      name: "quote-price",
      func: (branch) => branch.step("price", async () => ({ task: "price", total: tour.items.length * 4.5 })),
    },
    {
      name: "estimate-shipping",
      func: (branch) => branch.step("shipping", async () => ({ task: "shipping", days: 2 })),
    },
  ]);

  const items = await ctx.map(
    "process-items",
    tour.items,
    (itemCtx, name) => itemCtx.step("process-item", async () => ({ item: name, label: name.toUpperCase() })),
    { itemNamer: (name) => name },
  );

  const readiness = await ctx.waitForCondition<Readiness>(
    "wait-until-ready",
    async (state) => checkReadiness(state),
    {
      initialState: { checks: 0, ready: false },
      waitStrategy: (state) =>
        state.ready ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 3 } },
    },
  );

  const greeting = await ctx.invoke<{ name: string }, { message: string; from: string }>(
    "say-hello",
    helloWorldArn(),
    { name: tour.name },
  );

  const wrapUp = await ctx.runInChildContext("wrap-up", async (child) => {
    const report = await child.step("write-report", async () => ({
      tourId: tour.tourId,
      operations: [
        "step",
        "waitForCallback",
        "wait",
        "parallel",
        "map",
        "waitForCondition",
        "invoke",
        "runInChildContext",
      ],
    }));
    const archived = await child.step("archive-report", async () => ({
      archivedAt: new Date().toISOString(),
      key: `reports/${report.tourId}.json`,
    }));
    return { report, archived };
  });

  return {
    tourId: tour.tourId,
    goAhead: { by: goAhead?.by ?? "someone", note: goAhead?.note },
    tasks: tasks.getResults(),
    items: items.getResults(),
    readiness,
    greeting,
    wrapUp,
  };
});

/** A stand-in for a service that is warming up: it reports ready on its third check. */
async function checkReadiness(state: Readiness): Promise<Readiness> {
  const checks = state.checks + 1;
  console.log(`readiness check ${checks}: ${checks >= 3 ? "ready" : "not ready yet"}`);
  return { checks, ready: checks >= 3 };
}

function helloWorldArn(): string {
  const arn = process.env.HELLO_WORLD_FUNCTION_ARN;
  if (!arn)
    throw new Error("HELLO_WORLD_FUNCTION_ARN is not set: the template gives it !GetAtt HelloWorld.Arn");
  return arn;
}
