// Group commit: every commit requested before the next setImmediate is written in one SQLite
// transaction, so a burst of N decisions costs one fsync instead of N. Each decision runs in its
// own savepoint (better-sqlite3 turns a nested transaction function into one), so a decision that
// fails (a ConflictError) rolls back alone and rejects only its own promise; the rest resolve once
// the outer COMMIT, and with it the fsync, has returned.
import type { Decision } from "@dormouse/engine";
import type Database from "better-sqlite3";
import type { DueWorkClaim } from "../cluster.js";

interface Pending {
  decision: Decision;
  claim: DueWorkClaim | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommitter {
  private queue: Pending[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly applyOne: Database.Transaction<(decision: Decision, claim?: DueWorkClaim) => void>;
  private readonly applyBatch: Database.Transaction<(batch: Pending[]) => (unknown | undefined)[]>;

  constructor(db: Database.Database, apply: (decision: Decision, claim?: DueWorkClaim) => void) {
    this.applyOne = db.transaction(apply);
    this.applyBatch = db.transaction((batch: Pending[]) =>
      batch.map((item) => {
        try {
          this.applyOne(item.decision, item.claim);
          return undefined;
        } catch (error) {
          return error ?? new Error("commit failed");
        }
      }),
    );
  }

  commit(decision: Decision, claim?: DueWorkClaim): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ decision, claim, resolve, reject });
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Writes everything queued now (also used by close, so nothing requested is dropped). */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;

    let outcomes: (unknown | undefined)[];
    try {
      // IMMEDIATE: take the write lock up front rather than upgrading mid-transaction.
      outcomes = this.applyBatch.immediate(batch);
    } catch (error) {
      // The batch as a whole failed (e.g. disk full at COMMIT): nothing was written.
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const failure = outcomes[i];
      if (failure === undefined) item.resolve();
      else item.reject(failure);
    });
  }
}
