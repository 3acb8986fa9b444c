// Fires due work from the store: one timer armed for the earliest due instant, re-armed when a
// commit (or, in a cluster, another node's notice) schedules something earlier. Due work lives in
// the store, so timers survive restarts.
//
// Where the rows come from is the source's business: alone on its store a node reads what is due
// (readDueWork); in a cluster it claims rows, each for one node (claim-due-work.ts), so a timer
// fires once cluster-wide. A claimed row is this loop's until its handler's decision removes it:
// if it is scheduled again while being handled it runs again afterwards, and a failed one is retried
// here, since no other node (nor this one's next claim) will hand it out while this node lives.
import type { DueWork } from "@dormouse/engine";
import type { Store } from "@dormouse/store";
import type { Logger } from "./ports.js";

/** Rows handed to the loop per look at the store. */
export const BATCH = 200;
const RETRY_FAILED_MS = 1_000;
/** A look at the store that failed (the database is unreachable) is retried after this, doubling. */
const RETRY_SOURCE_MS = 250;
const RETRY_SOURCE_MAX_MS = 10_000;

export interface TakenWork {
  /** To handle now. */
  due: DueWork[];
  /** The earliest due instant after now, if known. */
  next?: number | undefined;
  /** More is due than was handed out. */
  more: boolean;
}

export interface DueWorkSource {
  /** Longest sleep between two looks at the store (a fallback for what no commit or notice said). */
  readonly maxSleepMs: number;
  /** Whether handed-out rows are claimed for this node (then the loop keeps them until done). */
  readonly claims: boolean;
  take(now: number): Promise<TakenWork>;
}

/** A node alone on its store: every row due is its own. */
export function readDueWork(store: Store, maxSleepMs = 30_000): DueWorkSource {
  return {
    maxSleepMs,
    claims: false,
    async take(now) {
      // One look ahead: what is due now, and the first instant after now. Asking the store for its
      // earliest row instead would find a row that is due but still being handled (its decision
      // removes it) and put the loop to sleep for maxSleepMs past every other row.
      const ahead = await store.dueWork(now + maxSleepMs, BATCH);
      const due = ahead.filter((w) => w.dueAt <= now);
      return { due, next: ahead.find((w) => w.dueAt > now)?.dueAt, more: due.length === BATCH };
    },
  };
}

export class DueWorkLoop {
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Infinity;
  private running = false;
  private again = false;
  /** The last batch was all in flight: the next finished handler wakes the loop. */
  private saturated = false;
  private stopped = true;
  private sourceFailures = 0;
  /** Keys being handled right now (their rows stay until the handler's decision removes them). */
  private readonly inflight = new Set<string>();
  /** Claimed rows scheduled again while being handled: handled again when the handler is done. */
  private readonly rerun = new Map<string, DueWork>();
  /** Keys whose handler failed, with when to try again. */
  private readonly backoff = new Map<string, { at: number; work: DueWork }>();

  constructor(
    private readonly source: DueWorkSource,
    private readonly handle: (work: DueWork) => Promise<void>,
    private readonly log: Logger,
    private readonly clock: () => number,
  ) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Started and not stopped: rows handed to it are handled. */
  get active(): boolean {
    return !this.stopped;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Called after every commit for each row it scheduled. `claimed`: the commit claimed the row for
   * this node (in a cluster, a row due now that nobody claimed is left to whichever node has room).
   */
  scheduled(work: DueWork, claimed = !this.source.claims): void {
    if (this.stopped) return;
    if (work.dueAt <= this.clock()) {
      if (claimed) this.fire(work);
    } else if (work.dueAt < this.armedAt) this.arm(work.dueAt);
  }

  /** Another node scheduled work due at `dueAt` that no node has claimed. */
  notified(dueAt: number): void {
    if (this.stopped) return;
    if (dueAt <= this.clock()) this.wake();
    else if (dueAt < this.armedAt) this.arm(dueAt);
  }

  /** Looks at the store now (e.g. a worker slot became free, or notices may have been lost). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.drain()
      .catch((err) => this.log.error({ err }, "due work loop failed"))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedAt = at;
    const delay = Math.max(0, Math.min(at - this.clock(), this.source.maxSleepMs));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.armedAt = Infinity;
      this.wake();
    }, delay);
    this.timer.unref?.();
  }

  /** Handles everything due now, then arms the timer for the next due instant. */
  private async drain(): Promise<void> {
    const now = this.clock();
    if (this.source.claims) {
      // Nobody else hands out rows this node holds: retry its failed ones itself.
      for (const { at, work } of [...this.backoff.values()]) if (at <= now) this.fire(work);
    }
    let taken: TakenWork;
    try {
      taken = await this.source.take(now);
      if (this.sourceFailures > 0) this.log.warn({}, "reading due work works again");
      this.sourceFailures = 0;
    } catch (err) {
      const delay = Math.min(RETRY_SOURCE_MAX_MS, RETRY_SOURCE_MS * 2 ** this.sourceFailures++);
      if (this.sourceFailures === 1) this.log.warn({ err }, "could not read due work; retrying with backoff");
      if (!this.stopped) this.arm(Math.min(this.armedAt, now + delay));
      return;
    }
    let started = 0;
    for (const work of taken.due) if (this.fire(work)) started++;
    if (taken.more) {
      // More is due. If none of it was new (all still in flight, e.g. waiting for a worker slot),
      // look again when something finishes instead of spinning on the same rows.
      if (started > 0) this.again = true;
      else this.saturated = true;
      return;
    }
    const next = taken.next ?? now + this.source.maxSleepMs;
    const at = Math.min(next, ...[...this.backoff.values()].map((b) => b.at));
    // A commit may have armed an earlier instant while we were reading; keep the earlier one.
    if (!this.stopped && at < this.armedAt) this.arm(at);
  }

  /** Starts handling a row; false when it is already in flight or backing off. */
  private fire(work: DueWork): boolean {
    const key = `${work.arn}\u0000${work.kind}\u0000${work.operationId}`;
    if (this.inflight.has(key)) {
      if (this.source.claims) this.rerun.set(key, work);
      return false;
    }
    const retryAt = this.backoff.get(key)?.at;
    if (retryAt !== undefined && retryAt > this.clock()) return false;
    this.inflight.add(key);
    void this.handle(work)
      .then(() => this.backoff.delete(key))
      .catch((err) => {
        // Once per row until it succeeds (an unreachable database fails every row every second).
        if (!this.backoff.has(key)) this.log.error({ err, work }, "due work failed; will retry");
        const at = this.clock() + RETRY_FAILED_MS;
        this.backoff.set(key, { at, work });
        if (at < this.armedAt && !this.stopped) this.arm(at);
      })
      .finally(() => {
        this.inflight.delete(key);
        const again = this.rerun.get(key);
        if (again && !this.stopped) {
          this.rerun.delete(key);
          this.backoff.delete(key);
          this.fire(again);
        }
        if (this.saturated) {
          this.saturated = false;
          this.wake();
        }
      });
    return true;
  }
}
