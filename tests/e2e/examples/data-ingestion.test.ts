// examples/data-ingestion end to end: files ingested through the AWS SDK and the `dormouse` CLI, a
// file that fails validation, a warehouse that never answers (WarehouseFailureRate=1: five
// attempts with backoff 1.5, then the execution fails), one that always does (0: no retry), and the
// example as shipped (0.5), run until an execution needed a retry and still succeeded.
import fs from "node:fs";
import path from "node:path";
import type { Event, LambdaClient } from "@aws-sdk/client-lambda";
import type { ConsoleFunctionsResponse } from "@dormouse/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dormouse, startDev } from "../../support/dormouse-cli.js";
import type { DevProcess } from "../../support/dormouse-cli.js";
import { eventsOf, finished, onlyEvent, startAsync } from "../../support/e2e.js";
import { expectGoldenHistory } from "../../support/golden-history.js";
import { startTestServer, tempDir } from "../../support/harness.js";
import type { TestServer } from "../../support/harness.js";

const EXAMPLE = path.resolve(import.meta.dirname, "../../../examples/data-ingestion");
const TEMPLATE = path.join(EXAMPLE, "template.yaml");
const golden = (scenario: string) => path.join(EXAMPLE, "histories", `${scenario}.json`);

interface IngestResult {
  filePath: string;
  recordCount: number;
  batchId: string;
  warehouse: { table: string; rowsLoaded: number; loadId: string; attempt: number };
}

/** The load step's failed attempts, as the history records them. */
function loadAttempts(events: Event[]) {
  return eventsOf(events, "StepFailed", "load-to-warehouse").map((e) => ({
    attempt: e.StepFailedDetails!.RetryDetails!.CurrentAttempt,
    nextIn: e.StepFailedDetails!.RetryDetails!.NextAttemptDelaySeconds,
    error: e.StepFailedDetails!.Error!.Payload!.ErrorType,
  }));
}

async function ingest(client: LambdaClient, filePath: string) {
  const arn = await startAsync(client, "data-ingestion", { filePath });
  return { arn, ...(await finished(client, arn, 60_000)) };
}

describe("data-ingestion with a warehouse that never answers (WarehouseFailureRate=1)", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ template: TEMPLATE, parameterOverrides: { WarehouseFailureRate: "1" } });
  });
  afterAll(() => t?.close());

  it("tries the load five times, waiting 1.5 times longer each time, then fails the execution", async () => {
    const { execution, events } = await ingest(t.client, "incoming/sales-2025.csv");
    expect(execution.Status).toBe("FAILED");
    expect(execution.Error).toMatchObject({ ErrorType: "StepError" });
    expect(execution.Error!.ErrorMessage).toMatch(
      /^warehouse unavailable: could not load batch-[0-9a-f]{8}$/,
    );
    // Delays 1 × 1.5^n rounded to whole seconds: 1, 1.5 → 2, 2.25 → 2, 3.375 → 3; none after the last.
    expect(loadAttempts(events)).toEqual([
      { attempt: 1, nextIn: 1, error: "WarehouseUnavailableError" },
      { attempt: 2, nextIn: 2, error: "WarehouseUnavailableError" },
      { attempt: 3, nextIn: 2, error: "WarehouseUnavailableError" },
      { attempt: 4, nextIn: 3, error: "WarehouseUnavailableError" },
      { attempt: 5, nextIn: undefined, error: "WarehouseUnavailableError" },
    ]);
    // Each retry is a new invocation that replays validate and enrich from their checkpoints.
    expect(eventsOf(events, "StepSucceeded", "enrich")).toHaveLength(1);
    expect(eventsOf(events, "InvocationCompleted")).toHaveLength(5);
    expectGoldenHistory(events, golden("warehouse-down"));
  });

  it("fails a file that is not a CSV at validation, saying which file and why", async () => {
    const { execution, events } = await ingest(t.client, "incoming/notes.txt");
    expect(execution.Status).toBe("FAILED");
    expect(execution.Error).toEqual({
      ErrorType: "StepError",
      ErrorMessage: 'cannot ingest "incoming/notes.txt": only .csv files are accepted',
    });
    const failed = onlyEvent(events, "StepFailed", "validate");
    expect(failed.StepFailedDetails!.Error!.Payload).toMatchObject({
      ErrorType: "InvalidFileError",
      ErrorMessage: 'cannot ingest "incoming/notes.txt": only .csv files are accepted',
    });
    expect(failed.StepFailedDetails!.RetryDetails).toEqual({ CurrentAttempt: 1 });
    expect(onlyEvent(events, "ExecutionFailed").ExecutionFailedDetails!.Error!.Payload!.ErrorMessage).toBe(
      execution.Error!.ErrorMessage,
    );
    expect(eventsOf(events, "StepStarted", "enrich")).toEqual([]);
    expectGoldenHistory(events, golden("not-a-csv"));
  });

  it("shows the function in the console with its failed executions", async () => {
    const res = await fetch(`${t.url}/console-api/functions`);
    const { functions } = (await res.json()) as ConsoleFunctionsResponse;
    const fn = functions.find((f) => f.name === "data-ingestion");
    expect(fn).toMatchObject({ durable: true, counts: { FAILED: 2 } });
  });
});

describe("data-ingestion as shipped (the warehouse fails half the time)", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ template: TEMPLATE });
  });
  afterAll(() => t?.close());

  it("retries a failed load and succeeds (executions run until one needed a retry)", async () => {
    // P(an execution needs a retry and then succeeds) = 1/2 × (1 − 1/16) ≈ 0.47; 4 rounds of 6
    // leave a chance of about 1 in 4 million that none does.
    let retried: { events: Event[]; result: IngestResult } | undefined;
    for (let round = 0; round < 4 && !retried; round++) {
      const runs = await Promise.all(
        Array.from({ length: 6 }, (_, i) => ingest(t.client, `incoming/batch-${round}-${i}.csv`)),
      );
      for (const { execution, events } of runs) {
        const failures = loadAttempts(events);
        if (execution.Status === "FAILED") {
          // All five attempts failed (1 in 32): the history must say so.
          expect(failures.map((f) => f.attempt)).toEqual([1, 2, 3, 4, 5]);
          continue;
        }
        expect(execution.Status).toBe("SUCCEEDED");
        const result = JSON.parse(execution.Result!) as IngestResult;
        // The successful attempt is the one after the recorded failures.
        expect(result.warehouse.attempt).toBe(failures.length + 1);
        const succeeded = onlyEvent(events, "StepSucceeded", "load-to-warehouse");
        expect(succeeded.StepSucceededDetails!.RetryDetails!.CurrentAttempt).toBe(failures.length + 1);
        if (failures.length > 0) retried = { events, result };
      }
    }
    expect(retried, "no execution needed a retry in 24 runs").toBeDefined();
    const { events, result } = retried!;
    const failures = loadAttempts(events);
    expect(failures.map((f) => f.nextIn)).toEqual([1, 2, 2, 3].slice(0, failures.length));
    expect(result.warehouse.rowsLoaded).toBe(result.recordCount);
    expect(result.recordCount).toBe(
      JSON.parse(onlyEvent(events, "StepSucceeded", "enrich").StepSucceededDetails!.Result!.Payload!)
        .recordCount,
    );
  });
});

describe("data-ingestion through the dormouse CLI (WarehouseFailureRate=0)", () => {
  let dev: DevProcess;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = tempDir("dormouse-ingest-cli-");
    dev = await startDev([
      "--template",
      "examples/data-ingestion/template.yaml",
      "--port",
      "0",
      "--data",
      dataDir,
      "--parameter-overrides",
      "WarehouseFailureRate=0",
    ]);
  });
  afterAll(async () => {
    try {
      if (dev) expect(await dev.stop()).toBe(0);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("ingests a CSV file in one attempt and prints the result", async () => {
    const env = { DORMOUSE_ENDPOINT: dev.url };
    const run = await dormouse(
      ["invoke", "data-ingestion", "--payload", '{"filePath":"incoming/sales.csv"}'],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const arn = /^execution:\s+(\S+)$/m.exec(run.stdout)![1]!;
    const result = JSON.parse(/^result:\s+(.+)$/m.exec(run.stdout)![1]!) as IngestResult;
    expect(result).toMatchObject({
      filePath: "incoming/sales.csv",
      warehouse: { table: "analytics.ingested_records", attempt: 1 },
    });
    expect(result.recordCount).toBeGreaterThanOrEqual(100);
    expect(result.recordCount).toBeLessThanOrEqual(10_000);
    await dev.waitForOutput(new RegExp(`loaded ${result.recordCount} records on attempt 1`));

    const history = await dormouse(["executions", "history", arn, "--json"], env);
    expect(history.code, history.stderr).toBe(0);
    const events = (JSON.parse(history.stdout) as { Events: Event[] }).Events;
    expect(loadAttempts(events)).toEqual([]);
    expectGoldenHistory(events, golden("loaded-first-time"));
  });

  it("refuses a file that is not a CSV with the reason, exit code 1", async () => {
    const run = await dormouse(["invoke", "data-ingestion", "--payload", '{"filePath":"report.xlsx"}'], {
      DORMOUSE_ENDPOINT: dev.url,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^error:\s+StepError: cannot ingest "report.xlsx": only \.csv files are accepted$/m,
    );
  });
});
