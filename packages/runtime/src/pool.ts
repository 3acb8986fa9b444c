// The workers and the queue of one function version (one definition of it). An invocation takes
// an idle (warm) worker if there is one, else waits while a new worker starts (cold start), up
// to `maxWorkers`; beyond that it queues. Each invocation has a deadline timer from the moment it
// is accepted, so time spent queued or cold-starting counts, as it does on Lambda.
import type { ErrorObject } from "@dormouse/protocol";
import type { InvokeOutcome, LogLine } from "./types.js";
import { Worker, type WorkerJob, type WorkerSpec } from "./worker.js";

export type WorkerEvent =
  | { type: "worker-started"; functionName: string; version: string; pid: number | undefined }
  | { type: "worker-ready"; functionName: string; version: string; pid: number | undefined }
  | { type: "worker-exited"; functionName: string; version: string; pid: number | undefined; reason: string };

export interface PoolOptions {
  functionName: string;
  version: string;
  contentKey: string;
  /** Where the code runs from (the runtime keeps it while workers use it). */
  codeDir: string;
  maxWorkers: number;
  idleTimeoutMs: number;
  /** Called per spawn: each worker gets its own log stream name. */
  makeSpec(): WorkerSpec;
  onLog(line: LogLine): void;
  onWorkerEvent(e: WorkerEvent): void;
  /** A retired pool has no workers and no queue left. */
  onDrained(pool: Pool): void;
}

export interface PoolStats {
  functionName: string;
  version: string;
  contentKey: string;
  retired: boolean;
  workers: number;
  starting: number;
  busy: number;
  idle: number;
  queued: number;
  coldStarts: number;
  invocations: number;
  pids: number[];
}

interface Pending {
  job: WorkerJob;
  acceptedAt: number;
  timer: NodeJS.Timeout;
  worker?: Worker;
  settled: boolean;
  resolve(o: InvokeOutcome): void;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export class Pool {
  private readonly workers = new Set<Worker>();
  private readonly queue: Pending[] = [];
  private readonly idleTimers = new Map<Worker, NodeJS.Timeout>();
  private coldStarts = 0;
  private invocations = 0;
  private retired = false;
  private closed = false;

  constructor(private readonly opts: PoolOptions) {}

  get functionName(): string {
    return this.opts.functionName;
  }

  get codeDir(): string {
    return this.opts.codeDir;
  }

  invoke(job: WorkerJob): Promise<InvokeOutcome> {
    this.invocations++;
    return new Promise((resolve) => {
      const acceptedAt = Date.now();
      const wait = Math.min(MAX_TIMER_MS, Math.max(0, job.deadline - acceptedAt));
      const p: Pending = {
        job,
        acceptedAt,
        settled: false,
        resolve,
        timer: setTimeout(() => this.timeout(p), wait),
      };
      this.queue.push(p);
      this.pump();
    });
  }

  /** Serve what is queued, then let every worker go: the definition or the code changed. */
  retire(): void {
    this.retired = true;
    for (const w of this.workers) if (w.state === "idle") w.kill("retired");
    this.checkDrained();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.retired = true;
    for (const p of this.queue.splice(0)) {
      this.settle(p, exitError("Runtime closed before the invocation started"));
    }
    await Promise.all([...this.workers].map((w) => w.dispose("runtime closed")));
    for (const t of this.idleTimers.values()) clearTimeout(t);
    this.idleTimers.clear();
  }

  stats(): PoolStats {
    const count = (s: Worker["state"]) => [...this.workers].filter((w) => w.state === s).length;
    return {
      functionName: this.opts.functionName,
      version: this.opts.version,
      contentKey: this.opts.contentKey,
      retired: this.retired,
      workers: this.workers.size,
      starting: count("starting"),
      busy: count("busy"),
      idle: count("idle"),
      queued: this.queue.length,
      coldStarts: this.coldStarts,
      invocations: this.invocations,
      pids: [...this.workers].flatMap((w) => (w.pid === undefined ? [] : [w.pid])),
    };
  }

  private pump(): void {
    if (this.closed) return;
    for (const w of this.workers) {
      const p = w.state === "idle" ? this.queue.shift() : undefined;
      if (p) this.dispatch(w, p);
    }
    // Workers being killed do not count against the limit: they hold no invocation any more.
    const live = [...this.workers].filter((w) => w.state !== "stopping" && w.state !== "exited");
    let missing = this.queue.length - live.filter((w) => w.state === "starting").length;
    for (let n = live.length; missing > 0 && n < this.opts.maxWorkers; n++, missing--) this.spawn();
  }

  private spawn(): void {
    const { functionName, version } = this.opts;
    let w: Worker;
    try {
      w = new Worker(this.opts.makeSpec(), {
        onReady: (w) => {
          this.opts.onWorkerEvent({ type: "worker-ready", functionName, version, pid: w.pid });
          this.release(w);
        },
        onInitFailure: (_w, error) => {
          // The invocation that waited longest pays for the failed cold start, as on Lambda.
          const p = this.queue.shift();
          if (p) this.settle(p, { kind: "error", error });
        },
        onExit: (w) => {
          this.workers.delete(w);
          clearTimeout(this.idleTimers.get(w));
          this.idleTimers.delete(w);
          this.opts.onWorkerEvent({
            type: "worker-exited",
            functionName,
            version,
            pid: w.pid,
            reason: w.exitReason,
          });
          this.pump();
          this.checkDrained();
        },
        onLog: this.opts.onLog,
      });
    } catch (err) {
      const p = this.queue.shift();
      if (p) this.settle(p, exitError(`could not start a worker: ${(err as Error).message}`));
      return;
    }
    this.coldStarts++;
    this.workers.add(w);
    this.opts.onWorkerEvent({ type: "worker-started", functionName, version, pid: w.pid });
  }

  private dispatch(w: Worker, p: Pending): void {
    clearTimeout(this.idleTimers.get(w));
    this.idleTimers.delete(w);
    p.worker = w;
    void w.run(p.job).then((outcome) => {
      this.settle(p, outcome);
      if (w.state === "idle") this.release(w);
    });
  }

  /** A worker is free: give it the next queued invocation, or keep it warm until it idles out. */
  private release(w: Worker): void {
    this.pump();
    if (w.state !== "idle") return;
    if (this.retired) return w.kill("retired");
    const t = setTimeout(() => w.kill("idle"), this.opts.idleTimeoutMs);
    t.unref();
    this.idleTimers.set(w, t);
  }

  private timeout(p: Pending): void {
    if (p.settled) return;
    const seconds = (Math.max(0, p.job.deadline - p.acceptedAt) / 1000).toFixed(2);
    this.settle(p, {
      kind: "error",
      error: { ErrorType: "Sandbox.Timedout", ErrorMessage: `Task timed out after ${seconds} seconds` },
    });
    // A handler past its deadline may be stuck in a loop: only killing the process stops it.
    if (p.worker) p.worker.kill("timed out");
    else if (this.queue.includes(p)) this.queue.splice(this.queue.indexOf(p), 1);
  }

  private settle(p: Pending, outcome: InvokeOutcome): void {
    if (p.settled) return;
    p.settled = true;
    clearTimeout(p.timer);
    p.resolve(outcome);
  }

  private checkDrained(): void {
    if (this.retired && !this.closed && this.workers.size === 0 && this.queue.length === 0) {
      this.opts.onDrained(this);
    }
  }
}

function exitError(message: string): InvokeOutcome {
  const error: ErrorObject = { ErrorType: "Runtime.ExitError", ErrorMessage: message };
  return { kind: "error", error };
}
