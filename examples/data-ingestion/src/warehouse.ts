// A stand-in for a data warehouse that is often unavailable: each load fails with the chance
// given by WAREHOUSE_FAILURE_RATE (0 to 1; 0.5 unless set).
import { randomUUID } from "node:crypto";

export class WarehouseUnavailableError extends Error {
  override readonly name = "WarehouseUnavailableError";
}

export async function loadIntoWarehouse(
  batchId: string,
  recordCount: number,
): Promise<{ table: string; rowsLoaded: number; loadId: string; loadedAt: string }> {
  if (Math.random() < failureRate()) {
    throw new WarehouseUnavailableError(`warehouse unavailable: could not load ${batchId}`);
  }
  return {
    table: "analytics.ingested_records",
    rowsLoaded: recordCount,
    loadId: `load-${randomUUID().slice(0, 8)}`,
    loadedAt: new Date().toISOString(),
  };
}

function failureRate(): number {
  const rate = Number(process.env.WAREHOUSE_FAILURE_RATE ?? 0.5);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new Error(
      `WAREHOUSE_FAILURE_RATE must be a number from 0 to 1, got "${process.env.WAREHOUSE_FAILURE_RATE}"`,
    );
  }
  return rate;
}
