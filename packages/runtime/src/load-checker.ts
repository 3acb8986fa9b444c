// Checks that handlers load before changed code is published (issue #3: a broken save must not
// replace working code, and a good one must be live within a second). Each check runs in a fresh
// process (ES modules cannot be unloaded), but `keepWarm()` keeps one started ahead of need with
// tsx and the packages recent checks imported already loaded: a check then costs the handler's
// own modules (tens of ms) instead of a process start, tsx and the SDK (~0.8 s on a laptop).
//
//   CheckProcess  | enters when                  | leaves to
//   --------------+------------------------------+------------------------------------------
//   starting      | spawned (loads warm modules) | ready, exited
//   ready         | "ready"                      | checking (run), exited
//   checking      | run()                        | exited (after "done", a crash or a timeout)
//   exited        | the process is gone          | —
import { fork, type ChildProcess } from "node:child_process";
import type { ErrorObject } from "@dormouse/protocol";
import { parseCheckerMessage, type CheckTarget } from "./check-messages.js";

export interface LoadCheckerOptions {
  /** check-main's path. */
  entry: string;
  execArgv: string[];
  /** The environment the process starts with (each check sets the function's own). */
  env: Record<string, string>;
  /** How long one handler may take to load. */
  initTimeoutMs: number;
}

/** Packages loaded ahead at most; a handler importing more still loads the rest on demand. */
const MAX_WARM_MODULES = 32;

export class LoadChecker {
  private spare: CheckProcess | undefined;
  private warmUrls: string[] = [];
  private keepSpare = false;
  private readonly live = new Set<CheckProcess>();
  private closed = false;

  constructor(private readonly opts: LoadCheckerOptions) {}

  /** The modules the next spare loads ahead (learnt from the last check). */
  get warmModules(): readonly string[] {
    return this.warmUrls;
  }

  /** True when a spare is started (or starting) for the next check. */
  get spareStarted(): boolean {
    return this.spare !== undefined && !this.spare.exited;
  }

  /** From now on, keep a check process started ahead of the next check. */
  keepWarm(): void {
    this.keepSpare = true;
    this.refill();
  }

  /**
   * One verdict per target, in order: undefined when its handler loads, else the init error. A
   * module loads once per process, so a file checked twice (two functions of one handler, with
   * different environments) is checked again in another process.
   */
  async check(targets: CheckTarget[]): Promise<(ErrorObject | undefined)[]> {
    const verdicts: (ErrorObject | undefined)[] = [];
    let rest = targets;
    while (rest.length > 0) {
      const files = new Set<string>();
      const batch = rest.filter((t) => !files.has(t.handlerFile) && files.add(t.handlerFile));
      const checked = await this.checkBatch(batch);
      rest = rest.filter((t) => !batch.includes(t));
      for (const [i, t] of batch.entries()) verdicts[targets.indexOf(t)] = checked[i];
    }
    return verdicts;
  }

  private async checkBatch(targets: CheckTarget[]): Promise<(ErrorObject | undefined)[]> {
    const verdicts: (ErrorObject | undefined)[] = [];
    let rest = targets;
    try {
      while (rest.length > 0) {
        if (this.closed) throw new Error("Runtime is closed");
        const run = await this.take().run(rest, this.opts.initTimeoutMs);
        if (!run.started) {
          // The process died before it was asked anything (while loading the warm modules?):
          // not the targets' fault. Load nothing in advance from now on.
          if (this.warmUrls.length === 0)
            throw new Error(`cannot start a check process: ${run.crash.ErrorMessage}`);
          this.warmUrls = [];
          continue;
        }
        verdicts.push(...run.verdicts);
        if (run.imported.length > 0) this.warmUrls = run.imported.slice(0, MAX_WARM_MODULES);
        // The process died loading one target: that is its verdict; the rest get a new process.
        if (run.verdicts.length < rest.length) verdicts.push(run.crash);
        rest = rest.slice(run.verdicts.length + 1);
      }
    } finally {
      this.refill();
    }
    return verdicts;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.spare = undefined;
    await Promise.all([...this.live].map((p) => p.dispose()));
    // An exited child's handle is released in the loop's close phase: two hops are sure to pass it.
    for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  private take(): CheckProcess {
    const spare = this.spare;
    this.spare = undefined;
    return spare && !spare.exited ? spare : this.spawn();
  }

  private refill(): void {
    if (this.keepSpare && !this.closed && (!this.spare || this.spare.exited)) this.spare = this.spawn();
  }

  private spawn(): CheckProcess {
    const p = new CheckProcess(this.opts, this.warmUrls, () => this.live.delete(p));
    this.live.add(p);
    return p;
  }
}

interface Run {
  /** False when the process was gone before it got the targets. */
  started: boolean;
  /** Verdicts of the targets checked, from the first. */
  verdicts: (ErrorObject | undefined)[];
  /** Why the process ended before the next target had a verdict. */
  crash: ErrorObject;
  imported: string[];
}

class CheckProcess {
  exited = false;
  private readonly child: ChildProcess;
  private readonly ready: Promise<void>;
  private readonly gone: Promise<void>;
  private readonly stderrTail: string[] = [];
  private fatal: ErrorObject | undefined;
  private timedOut: number | undefined;
  private onMessage: ((msg: unknown) => void) | undefined;

  constructor(opts: LoadCheckerOptions, warm: string[], onGone: () => void) {
    this.child = fork(opts.entry, [JSON.stringify(warm)], {
      cwd: process.cwd(),
      env: opts.env,
      execArgv: opts.execArgv,
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      serialization: "json",
    });
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (chunk: string) => {
      this.stderrTail.push(...chunk.split("\n").filter((l) => l.trim() !== ""));
      this.stderrTail.splice(0, Math.max(0, this.stderrTail.length - 20));
    });
    let markReady!: () => void;
    this.ready = new Promise((resolve) => (markReady = resolve));
    this.gone = new Promise((resolve) => {
      this.child.once("close", () => {
        this.exited = true;
        markReady();
        onGone();
        resolve();
      });
      // Spawn failures (a bad cwd, …) arrive as "error", and no "close" may follow.
      this.child.once("error", () => {
        if (this.child.pid !== undefined) return;
        this.exited = true;
        markReady();
        onGone();
        resolve();
      });
    });
    this.child.on("message", (raw) => {
      const msg = parseCheckerMessage(raw);
      if (msg?.type === "ready") markReady();
      else if (msg?.type === "fatal") this.fatal = msg.error;
      else if (msg) this.onMessage?.(msg);
    });
  }

  async run(targets: CheckTarget[], timeoutMs: number): Promise<Run> {
    await this.ready;
    const verdicts: (ErrorObject | undefined)[] = [];
    let imported: string[] = [];
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        this.timedOut = timeoutMs;
        this.child.kill("SIGKILL");
      }, timeoutMs);
    };
    this.onMessage = (raw) => {
      const msg = raw as ReturnType<typeof parseCheckerMessage>;
      if (msg?.type === "checked" && msg.index === verdicts.length) {
        verdicts.push(msg.error);
        arm();
      } else if (msg?.type === "done") imported = msg.imported;
    };
    const started = !this.exited;
    if (started) {
      arm();
      this.child.send({ type: "check", targets }, () => {});
    }
    await this.gone;
    clearTimeout(timer);
    return { started, verdicts, imported, crash: this.crashError() };
  }

  async dispose(): Promise<void> {
    this.child.kill("SIGKILL");
    await this.gone;
  }

  private crashError(): ErrorObject {
    if (this.timedOut !== undefined) {
      const s = (this.timedOut / 1000).toFixed(2);
      return { ErrorType: "Sandbox.Timedout", ErrorMessage: `Init timed out after ${s} seconds` };
    }
    if (this.fatal) return this.fatal;
    const { exitCode, signalCode } = this.child;
    const how = signalCode ? `signal ${signalCode}` : `code ${String(exitCode)}`;
    const why = this.stderrTail.at(-1);
    return {
      ErrorType: "Runtime.ExitError",
      ErrorMessage: `Runtime exited with ${how} while loading the handler${why ? ` (${why})` : ""}`,
    };
  }
}
