// examples/feature-tour end to end: the tour started and its callback answered through the AWS SDK,
// and again through the `dormouse` CLI the way its README says; the history must show every kind
// of durable operation (step, callback, wait, parallel, map, condition, chained invoke, child
// context) and the result what each of them produced.
import fs from "node:fs";
import path from "node:path";
import { SendDurableExecutionCallbackSuccessCommand } from "@aws-sdk/client-lambda";
import type { Event } from "@aws-sdk/client-lambda";
import type { ConsoleExecutionResponse, ConsoleFunctionsResponse } from "@dormouse/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dormouse, startDev } from "../../support/dormouse-cli.js";
import type { DevProcess } from "../../support/dormouse-cli.js";
import { callbackIdOf, eventsOf, finished, onlyEvent, startAsync } from "../../support/e2e.js";
import { expectGoldenHistory } from "../../support/golden-history.js";
import { startTestServer, tempDir, waitForEvent } from "../../support/harness.js";
import type { TestServer } from "../../support/harness.js";

const EXAMPLE = path.resolve(import.meta.dirname, "../../../examples/feature-tour");
const TEMPLATE = path.join(EXAMPLE, "template.yaml");

interface TourResult {
  tourId: string;
  goAhead: { by: string; note?: string };
  tasks: unknown[];
  items: unknown[];
  readiness: { checks: number; ready: boolean };
  greeting: { message: string; from: string };
  wrapUp: { report: { tourId: string; operations: string[] }; archived: { key: string } };
}

/** What every finished tour must show in its history, however it was driven. */
function expectEveryOperation(events: Event[]): void {
  const subTypes = new Set(events.map((e) => e.SubType).filter(Boolean));
  for (const subType of [
    "Step",
    "WaitForCallback",
    "Callback",
    "Wait",
    "Parallel",
    "ParallelBranch",
    "Map",
    "MapIteration",
    "WaitForCondition",
    "ChainedInvoke",
    "RunInChildContext",
  ]) {
    expect(subTypes, `an operation of subtype ${subType}`).toContain(subType);
  }
  const types = new Set(events.map((e) => e.EventType));
  for (const type of [
    "StepSucceeded",
    "CallbackSucceeded",
    "WaitSucceeded",
    "ContextSucceeded",
    "ChainedInvokeSucceeded",
    "ExecutionSucceeded",
  ]) {
    expect(types, `a ${type} event`).toContain(type);
  }
  expect(onlyEvent(events, "CallbackStarted").CallbackStartedDetails!.Timeout).toBe(3600);
  expect(onlyEvent(events, "WaitStarted", "pause").WaitStartedDetails!.Duration).toBe(5);
  // The readiness check ran three times, three seconds apart.
  const polls = eventsOf(events, "StepSucceeded", "wait-until-ready").map(
    (e) => e.StepSucceededDetails!.RetryDetails!,
  );
  expect(polls).toEqual([
    { CurrentAttempt: 1, NextAttemptDelaySeconds: 3 },
    { CurrentAttempt: 2, NextAttemptDelaySeconds: 3 },
    { CurrentAttempt: 3 },
  ]);
  expect(onlyEvent(events, "ChainedInvokeStarted", "say-hello").ChainedInvokeStartedDetails).toMatchObject({
    FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:hello-world",
  });
  expect(eventsOf(events, "StepSucceeded", "process-item")).toHaveLength(3);
  for (const name of ["write-report", "archive-report"]) {
    const step = onlyEvent(events, "StepSucceeded", name);
    expect(step.ParentId, `${name} runs inside wrap-up`).toBe(
      onlyEvent(events, "ContextStarted", "wrap-up").Id,
    );
  }
}

function expectTourResult(result: TourResult, name: string, by: string): void {
  expect(result.goAhead).toEqual({ by });
  expect(result.tasks).toEqual([
    { task: "stock", inStock: 3 },
    { task: "price", total: 13.5 },
    { task: "shipping", days: 2 },
  ]);
  expect(result.items).toEqual([
    { item: "compass", label: "COMPASS" },
    { item: "lantern", label: "LANTERN" },
    { item: "tea", label: "TEA" },
  ]);
  expect(result.readiness).toEqual({ checks: 3, ready: true });
  expect(result.greeting).toEqual({ message: `Hello, ${name}!`, from: "hello-world" });
  expect(result.wrapUp.report.tourId).toBe(result.tourId);
  expect(result.wrapUp.archived.key).toBe(`reports/${result.tourId}.json`);
}

describe("feature-tour through the AWS SDK", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ template: TEMPLATE });
  });
  afterAll(() => t?.close());

  it("runs every durable operation once the callback is answered", async () => {
    const arn = await startAsync(t.client, "feature-tour", { name: "Ada" });
    const callbackId = await callbackIdOf(t.client, arn);
    // Answer once the submitter (the step inside waitForCallback) has finished, as a person who
    // read its printed callback id would: then the history's order does not depend on timing.
    const goAhead = await waitForEvent(
      t.client,
      arn,
      (e) => e.EventType === "ContextStarted" && e.Name === "go-ahead",
    );
    await waitForEvent(t.client, arn, (e) => e.EventType === "StepSucceeded" && e.ParentId === goAhead.Id);
    await t.client.send(
      new SendDurableExecutionCallbackSuccessCommand({
        CallbackId: callbackId,
        Result: new TextEncoder().encode(JSON.stringify({ by: "sdk" })),
      }),
    );

    const { execution, events } = await finished(t.client, arn, 60_000);
    expect(execution.Status).toBe("SUCCEEDED");
    expectTourResult(JSON.parse(execution.Result!) as TourResult, "Ada", "sdk");
    expectEveryOperation(events);
    expectGoldenHistory(events, path.join(EXAMPLE, "histories", "tour.json"));

    // The console shows both functions and the tour's operation tree.
    const fns = (await (await fetch(`${t.url}/console-api/functions`)).json()) as ConsoleFunctionsResponse;
    expect(fns.functions.find((f) => f.name === "feature-tour")).toMatchObject({ durable: true });
    expect(fns.functions.find((f) => f.name === "hello-world")).toMatchObject({ durable: false });
    const detail = (await (
      await fetch(`${t.url}/console-api/executions/${encodeURIComponent(arn)}`)
    ).json()) as ConsoleExecutionResponse;
    expect(detail.execution.status).toBe("SUCCEEDED");
    expect(new Set(detail.operations.map((op) => op.Type))).toEqual(
      new Set(["EXECUTION", "STEP", "CALLBACK", "WAIT", "CONTEXT", "CHAINED_INVOKE"]),
    );
  });
});

describe("feature-tour through the dormouse CLI", () => {
  let dev: DevProcess;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = tempDir("dormouse-tour-cli-");
    dev = await startDev([
      "--template",
      "examples/feature-tour/template.yaml",
      "--port",
      "0",
      "--data",
      dataDir,
    ]);
  });
  afterAll(async () => {
    try {
      if (dev) expect(await dev.stop()).toBe(0);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("starts the tour, sends the go-ahead the server printed, and gets the result", async () => {
    const env = { DORMOUSE_ENDPOINT: dev.url };
    const start = ["invoke", "feature-tour", "--payload", '{"name":"Grace"}', "--name", "cli-tour"];
    const started = await dormouse([...start, "--async"], env);
    expect(started.code, started.stderr).toBe(0);
    const arn = started.stdout.trim();

    const [, callbackId] = await dev.waitForOutput(/dormouse callback succeed (\S+) --result/);
    const sent = await dormouse(["callback", "succeed", callbackId!, "--result", '{"by":"cli"}'], env);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout.trim()).toBe("callback completed: succeeded");

    // Invoking again with the same name and payload waits for the tour to finish.
    const done = await dormouse(start, env);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain(`execution: ${arn}`);
    expectTourResult(JSON.parse(/^result:\s+(.+)$/m.exec(done.stdout)![1]!) as TourResult, "Grace", "cli");
    await dev.waitForOutput(/readiness check 3: ready/);

    const history = await dormouse(["executions", "history", arn, "--json"], env);
    expect(history.code, history.stderr).toBe(0);
    expectEveryOperation((JSON.parse(history.stdout) as { Events: Event[] }).Events);
  });
});
