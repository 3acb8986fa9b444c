// The server's handle on one worker process (one Lambda "execution environment").
//
//   state     | enters when                          | leaves to
//   ----------+--------------------------------------+-------------------------------------------
//   starting  | spawned                              | idle (ready), stopping (init failed/timeout)
//   idle      | ready, or an invocation finished     | busy (run), stopping (reaped, retired)
//   busy      | run()                                | idle (result + output drained), stopping
//   stopping  | we sent SIGKILL                      | exited
//   exited    | the process is gone (any cause)      | —
//
// Any exit that we did not ask for while busy is a crash: the running invocation gets
// Runtime.ExitError and the worker is never reused.
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { ErrorObject } from "@dormouse/protocol";
import { parseWorkerMessage, type ServerMessage } from "./messages.js";
import { OutputSplitter } from "./output-splitter.js";
import type { InvokeOutcome, InvokeRequest, LogLine } from "./types.js";

export type WorkerState = "starting" | "idle" | "busy" | "stopping" | "exited";

export interface WorkerSpec {
  functionName: string;
  version: string;
  entry: string;
  args: string[];
  execArgv: string[];
  cwd: string;
  env: Record<string, string>;
  initTimeoutMs: number;
}

export interface WorkerHooks {
  onReady(w: Worker): void;
  /** The worker never became ready; the pool charges this to a waiting invocation. */
  onInitFailure(w: Worker, error: ErrorObject): void;
  /** Called once, after any running invocation has been settled. */
  onExit(w: Worker): void;
  onLog(line: LogLine): void;
}

export type WorkerJob = InvokeRequest & { invokedFunctionArn: string };

interface Running {
  job: WorkerJob;
  outcome?: InvokeOutcome;
  drained: Set<"stdout" | "stderr">;
  resolve(o: InvokeOutcome): void;
}

/** How long to wait for a crashed worker's last output (it often explains the crash). */
const CRASH_OUTPUT_GRACE_MS = 1000;

export class Worker {
  state: WorkerState = "starting";
  readonly pid: number | undefined;
  /** Resolves when the process is gone and its pipes are closed. */
  readonly closed: Promise<void>;
  private readonly child: ChildProcess;
  private readonly marker = `\u001edormouse-sync-${randomBytes(8).toString("hex")}\u001e`;
  private running: Running | undefined;
  /** Tags output that arrives after a crash with the invocation that was running. */
  private crashed: WorkerJob | undefined;
  private fatal: ErrorObject | undefined;
  private killReason: string | undefined;
  private readonly stderrTail: string[] = [];
  private initTimer: NodeJS.Timeout | undefined;
  private readonly exited: Promise<void>;
  private readonly markExited: () => void;
  private finished = false;

  constructor(
    private readonly spec: WorkerSpec,
    private readonly hooks: WorkerHooks,
  ) {
    this.child = fork(spec.entry, [...spec.args, this.marker], {
      cwd: spec.cwd,
      env: spec.env,
      execArgv: spec.execArgv,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "json",
    });
    this.pid = this.child.pid;
    let markExited!: () => void;
    let markClosed!: () => void;
    this.exited = new Promise((resolve) => (markExited = resolve));
    this.closed = new Promise((resolve) => (markClosed = resolve));
    this.markExited = markExited;
    this.child.once("close", () => markClosed());
    this.pipe("stdout");
    this.pipe("stderr");
    this.child.on("message", (raw) => this.onMessage(raw));
    this.child.on("exit", (code, signal) => this.onProcessExit(code, signal));
    this.child.on("error", (err) => {
      // Spawn failures (bad cwd, …) arrive here and no "exit" follows.
      if (this.child.pid === undefined) {
        this.killReason = `could not start: ${err.message}`;
        this.child.stdout?.destroy();
        this.child.stderr?.destroy();
        this.onProcessExit(null, null);
        markClosed();
      }
    });
    this.initTimer = setTimeout(() => {
      if (this.state !== "starting") return;
      const s = (spec.initTimeoutMs / 1000).toFixed(2);
      this.failInit({ ErrorType: "Sandbox.Timedout", ErrorMessage: `Init timed out after ${s} seconds` });
    }, spec.initTimeoutMs);
  }

  /** Runs one invocation; resolves with its outcome, or Runtime.ExitError if the process dies. */
  run(job: WorkerJob): Promise<InvokeOutcome> {
    if (this.state !== "idle") throw new Error(`worker is ${this.state}, not idle`);
    this.state = "busy";
    return new Promise((resolve) => {
      this.running = { job, drained: new Set(), resolve };
      const msg: ServerMessage = {
        type: "invoke",
        requestId: job.requestId,
        payload: job.payload,
        deadline: job.deadline,
        functionName: this.spec.functionName,
        functionVersion: this.spec.version,
        invokedFunctionArn: job.invokedFunctionArn,
        ...(job.tenantId !== undefined ? { tenantId: job.tenantId } : {}),
      };
      // A failed send means the process is going away; the exit path settles the invocation.
      this.child.send(msg, () => {});
    });
  }

  /** Why the process ended: the reason we killed it for, or "crashed". */
  get exitReason(): string {
    return this.killReason ?? "crashed";
  }

  /** Stops the process for good (timeout, reaping, shutdown). Idempotent. */
  kill(reason: string): void {
    if (this.state === "exited") return;
    if (this.state !== "stopping") this.killReason = reason;
    this.state = "stopping";
    this.child.kill("SIGKILL");
  }

  /** Kills the process and waits until nothing of it is left (no process, no open pipe). */
  async dispose(reason: string): Promise<void> {
    this.kill(reason);
    await this.exited;
    // A grandchild that inherited our pipes would hold them open; we do not wait for it.
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    await this.closed;
  }

  private pipe(stream: "stdout" | "stderr"): void {
    const readable = this.child[stream];
    if (!readable) return;
    readable.setEncoding("utf8");
    const splitter = new OutputSplitter(
      this.marker,
      (line) => this.log(stream, line),
      () => {
        this.running?.drained.add(stream);
        this.maybeFinish();
      },
    );
    readable.on("data", (chunk: string) => splitter.push(chunk));
    readable.on("end", () => splitter.end());
  }

  private log(stream: "stdout" | "stderr", line: string): void {
    if (stream === "stderr") {
      this.stderrTail.push(line);
      if (this.stderrTail.length > 20) this.stderrTail.shift();
    }
    const job = this.running?.job ?? (this.state === "exited" ? this.crashed : undefined);
    this.hooks.onLog({
      functionName: this.spec.functionName,
      version: this.spec.version,
      ...(job ? { requestId: job.requestId } : {}),
      ...(job?.executionArn !== undefined ? { executionArn: job.executionArn } : {}),
      stream,
      line,
      at: Date.now(),
    });
  }

  private onMessage(raw: unknown): void {
    const msg = parseWorkerMessage(raw);
    if (!msg) return; // user code calling process.send itself
    switch (msg.type) {
      case "ready":
        if (this.state !== "starting") return;
        clearTimeout(this.initTimer);
        this.state = "idle";
        this.hooks.onReady(this);
        return;
      case "init-error":
        if (this.state === "starting") this.failInit(msg.error);
        return;
      case "result":
      case "error": {
        const r = this.running;
        if (!r || r.job.requestId !== msg.requestId || r.outcome) return;
        r.outcome =
          msg.type === "result"
            ? { kind: "returned", payload: msg.payload }
            : { kind: "error", error: msg.error };
        this.maybeFinish();
        return;
      }
      case "fatal":
        this.fatal = msg.error;
        return;
      default:
        msg satisfies never;
    }
  }

  private failInit(error: ErrorObject): void {
    clearTimeout(this.initTimer);
    this.kill("init failed");
    this.hooks.onInitFailure(this, error);
  }

  /** An invocation is over when its answer arrived and both pipes passed its sync marker. */
  private maybeFinish(): void {
    const r = this.running;
    if (!r?.outcome || r.drained.size < 2 || this.state !== "busy") return;
    this.running = undefined;
    this.state = "idle";
    r.resolve(r.outcome);
  }

  private onProcessExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.state === "exited") return;
    this.markExited();
    clearTimeout(this.initTimer);
    const wasStarting = this.state === "starting";
    const running = this.running;
    this.running = undefined;
    this.crashed = running?.job;
    this.state = "exited";
    const finish = () => {
      if (this.finished) return;
      this.finished = true;
      const error = this.exitError(code, signal);
      if (wasStarting) this.hooks.onInitFailure(this, error);
      running?.resolve({ kind: "error", error });
      this.hooks.onExit(this);
    };
    if (!running && !wasStarting) return finish();
    // The output explaining a crash (an OOM report, a stack trace) may still be in the pipes.
    const grace = setTimeout(finish, CRASH_OUTPUT_GRACE_MS);
    void this.closed.then(() => {
      clearTimeout(grace);
      finish();
    });
  }

  private exitError(code: number | null, signal: NodeJS.Signals | null): ErrorObject {
    const how = signal ? `signal ${signal}` : code !== null ? `code ${code}` : "an unknown status";
    const why =
      this.killReason ??
      (this.fatal ? `${this.fatal.ErrorType}: ${this.fatal.ErrorMessage}` : undefined) ??
      this.stderrTail.find((l) => /out of memory|FATAL ERROR/i.test(l));
    const error: ErrorObject = {
      ErrorType: "Runtime.ExitError",
      ErrorMessage: `Runtime exited with ${how}${why ? ` (${why})` : ""}`,
    };
    if (!this.killReason && this.fatal?.StackTrace) error.StackTrace = this.fatal.StackTrace;
    return error;
  }
}
