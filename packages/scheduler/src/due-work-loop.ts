// Fires due work from the store: one timer armed for the earliest due instant, re-armed when a
// commit schedules something earlier. Due work lives in the store, so timers survive restarts.
import type { DueWork } from "@dormouse/engine";
import type { Store } from "@dormouse/store";
import type { Logger } from "./ports.js";

const BATCH = 200;
/** Upper bound between two looks at the store, in case another node scheduled something. */
const MAX_SLEEP_MS = 30_000;
const RETRY_FAILED_MS = 1_000;

export class DueWorkLoop {
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Infinity;
  private running = false;
  private again = false;
  /** The last batch was all in flight: the next finished handler wakes the loop. */
  private saturated = false;
  private stopped = true;
  /** Keys being handled right now (their rows stay until the handler's decision removes them). */
  private readonly inflight = new Set<string>();
  /** Keys whose handler failed, with when to try again. */
  private readonly backoff = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly handle: (work: DueWork) => Promise<void>,
    private readonly log: Logger,
    private readonly clock: () => number,
  ) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Called after every commit for each scheduled row. */
  scheduled(work: DueWork): void {
    if (this.stopped) return;
    if (work.dueAt <= this.clock()) this.fire(work);
    else if (work.dueAt < this.armedAt) this.arm(work.dueAt);
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedAt = at;
    const delay = Math.max(0, Math.min(at - this.clock(), MAX_SLEEP_MS));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.armedAt = Infinity;
      this.wake();
    }, delay);
    this.timer.unref?.();
  }

  /** Handles everything due now, then arms the timer for the next due instant. */
  private wake(): void {
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

  private async drain(): Promise<void> {
    const now = this.clock();
    // One look ahead: what is due now, and the first instant after now. Asking the store for its
    // earliest row instead would find a row that is due but still being handled (its decision
    // removes it) and put the loop to sleep for MAX_SLEEP_MS past every other row.
    const ahead = await this.store.dueWork(now + MAX_SLEEP_MS, BATCH);
    const due = ahead.filter((w) => w.dueAt <= now);
    let started = 0;
    for (const work of due) if (this.fire(work)) started++;
    if (due.length === BATCH) {
      // A full batch: more is due. If none of it was new (all still in flight, e.g. waiting for a
      // worker slot), look again when something finishes instead of spinning on the same rows.
      if (started > 0) this.again = true;
      else this.saturated = true;
      return;
    }
    const next = ahead.find((w) => w.dueAt > now)?.dueAt ?? now + MAX_SLEEP_MS;
    const at = Math.min(next, ...this.backoff.values());
    // A commit may have armed an earlier instant while we were reading; keep the earlier one.
    if (!this.stopped && at < this.armedAt) this.arm(at);
  }

  /** Starts handling a row; false when it is already in flight or backing off. */
  private fire(work: DueWork): boolean {
    const key = `${work.arn}\u0000${work.kind}\u0000${work.operationId}`;
    if (this.inflight.has(key)) return false;
    const retryAt = this.backoff.get(key);
    if (retryAt !== undefined && retryAt > this.clock()) return false;
    this.inflight.add(key);
    void this.handle(work)
      .then(() => this.backoff.delete(key))
      .catch((err) => {
        this.log.error({ err, work }, "due work failed; will retry");
        const at = this.clock() + RETRY_FAILED_MS;
        this.backoff.set(key, at);
        if (at < this.armedAt) this.arm(at);
      })
      .finally(() => {
        this.inflight.delete(key);
        if (this.saturated) {
          this.saturated = false;
          this.wake();
        }
      });
    return true;
  }
}
