// Group commit: the decisions requested while a transaction is being written wait, and are then
// written together in the next one, so a burst of N decisions costs one COMMIT (one WAL flush)
// instead of N. One batch is in flight at a time; each decision is one round trip
// (dormouse_apply_decision), and a batch of one is a single autocommit statement.
//
// A decision that loses its compare-and-set reports 'conflict' without having written anything, so
// it fails alone inside the batch. Any other failure aborts the whole transaction; the batch is then
// rolled back and every decision in it written again on its own, so that the failure stays with the
// decision that caused it and the others land.
import pg from "pg";
import { ConflictError } from "../store.js";
import { bind, statements } from "./statements.js";
import { checkout } from "./connection.js";

interface Pending {
  arn: string;
  params: unknown[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true } | { ok: false; error: unknown };

/** Large enough to absorb a burst, small enough not to hold row locks for long. */
const MAX_BATCH = 128;

export class GroupCommitter {
  private queue: Pending[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly pool: pg.Pool) {}

  commit(arn: string, params: unknown[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ arn, params, resolve, reject });
      this.running ??= this.run();
    });
  }

  /** Resolves once everything requested so far has been written (or has failed). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    // Let the decisions of this turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length > 0) await this.write(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.running = undefined;
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await checkout(this.pool);
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    let broken: Error | undefined;
    try {
      const outcomes =
        batch.length === 1 ? [await applyAlone(client, batch[0]!)] : await applyTogether(client, batch);
      batch.forEach((item, i) => settle(item, outcomes[i]!));
      broken = outcomes.map(connectionFailure).find((e) => e !== undefined);
    } finally {
      // A connection that failed under us is not given back to the pool for reuse.
      client.release(broken);
    }
  }
}

async function applyTogether(client: pg.PoolClient, batch: Pending[]): Promise<Outcome[]> {
  // Decisions in arn order: two nodes writing overlapping batches lock rows in the same order,
  // which keeps them from deadlocking on each other.
  const order = batch.map((_, i) => i).sort((a, b) => compare(batch[a]!.arn, batch[b]!.arn));
  const outcomes: Outcome[] = new Array<Outcome>(batch.length);
  let committing = false;
  try {
    await client.query("BEGIN");
    for (const i of order) outcomes[i] = outcomeOf(await client.query(apply(batch[i]!)), batch[i]!.arn);
    committing = true;
    await client.query("COMMIT");
    return outcomes;
  } catch (error) {
    // A failed COMMIT (the connection died, the server shut down) leaves nothing to retry safely.
    if (committing) return batch.map(() => ({ ok: false, error }));
    await client.query("ROLLBACK").catch(() => undefined);
    if (connectionFailure({ ok: false, error })) return batch.map(() => ({ ok: false, error }));
    const alone: Outcome[] = [];
    for (const item of batch) alone.push(await applyAlone(client, item));
    return alone;
  }
}

async function applyAlone(client: pg.PoolClient, item: Pending): Promise<Outcome> {
  try {
    return outcomeOf(await client.query(apply(item)), item.arn);
  } catch (error) {
    return { ok: false, error };
  }
}

function apply(item: Pending): pg.QueryConfig {
  return bind(statements.applyDecision, item.params);
}

function outcomeOf(result: pg.QueryResult<{ outcome: string | null }>, arn: string): Outcome {
  const outcome = result.rows[0]?.outcome ?? null;
  if (outcome === null) return { ok: true };
  return { ok: false, error: outcome === "conflict" ? new ConflictError(arn) : new Error(outcome) };
}

/** SQLSTATEs of a transaction that lost to a concurrent one: the decision is retried on fresh state. */
const LOST_TO_CONCURRENCY = new Set(["40P01", "40001"]); // deadlock_detected, serialization_failure

function settle(item: Pending, outcome: Outcome): void {
  if (outcome.ok) return item.resolve();
  const { error } = outcome;
  if (error instanceof pg.DatabaseError && LOST_TO_CONCURRENCY.has(error.code ?? "")) {
    return item.reject(new ConflictError(item.arn));
  }
  item.reject(error);
}

/** An error that is not the server's answer to a statement means the connection is unusable. */
function connectionFailure(outcome: Outcome): Error | undefined {
  if (outcome.ok || outcome.error instanceof pg.DatabaseError || outcome.error instanceof ConflictError) {
    return undefined;
  }
  return outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
