// data-ingestion: given a file path, validate it (only .csv files are accepted), enrich it (how
// many records it holds is decided inside the step, so replays see the same number) and load it
// into a warehouse that fails WAREHOUSE_FAILURE_RATE of the time (half, by default). The load is
// retried: 5 attempts in all, waiting 1 s, then 1.5 times longer before each next one. Every failed
// attempt is a StepFailed event in the execution's history, with the delay before the next.
import { randomUUID } from "node:crypto";
import {
  JitterStrategy,
  createRetryStrategy,
  retryPresets,
  withDurableExecution,
} from "@aws/durable-execution-sdk-js";
import { loadIntoWarehouse } from "./warehouse.js";

interface IngestEvent {
  filePath?: unknown;
}

class InvalidFileError extends Error {
  override readonly name = "InvalidFileError";
}

const loadRetryStrategy = createRetryStrategy({
  maxAttempts: 5,
  initialDelay: { seconds: 1 },
  backoffRate: 1.5,
  // No jitter, so the delays are the same every time: 1 s, 2 s, 2 s, 3 s (rounded to seconds).
  jitter: JitterStrategy.NONE,
});

export const handler = withDurableExecution(async (event: IngestEvent, ctx) => {
  // A bad file stays bad: no retries, the execution fails with the reason.
  const file = await ctx.step("validate", async () => validate(event.filePath), {
    retryStrategy: retryPresets.noRetry,
  });

  const enriched = await ctx.step("enrich", async () => ({
    ...file,
    recordCount: 100 + Math.floor(Math.random() * 9_901),
    batchId: `batch-${randomUUID().slice(0, 8)}`,
    enrichedAt: new Date().toISOString(),
  }));

  const load = await ctx.step(
    "load-to-warehouse",
    async (step) => {
      const receipt = await loadIntoWarehouse(enriched.batchId, enriched.recordCount);
      console.log(`loaded ${enriched.recordCount} records on attempt ${step.attempt}`);
      return { ...receipt, attempt: step.attempt };
    },
    { retryStrategy: loadRetryStrategy },
  );

  return {
    filePath: enriched.filePath,
    recordCount: enriched.recordCount,
    batchId: enriched.batchId,
    warehouse: load,
  };
});

function validate(filePath: unknown): { filePath: string; fileName: string } {
  if (typeof filePath !== "string" || filePath.trim() === "") {
    throw new InvalidFileError(
      `expected {"filePath": "<path to a .csv file>"}, got ${JSON.stringify(filePath)}`,
    );
  }
  const fileName = filePath.split("/").pop() ?? filePath;
  if (!fileName.toLowerCase().endsWith(".csv")) {
    throw new InvalidFileError(`cannot ingest "${filePath}": only .csv files are accepted`);
  }
  return { filePath, fileName };
}
