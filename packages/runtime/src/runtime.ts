// The function runtime: warm worker processes per function version, like Lambda execution
// environments. One pool per (name, version, content key); a definition that changes gets a new
// pool and the old one is retired once it has served what it already accepted.
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { extname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { functionArn } from "@dormouse/protocol";
import type { ErrorObject } from "@dormouse/protocol";
import { LoadChecker } from "./load-checker.js";
import { Pool, type PoolStats, type WorkerEvent } from "./pool.js";
import type { FunctionDefinition, InvokeOutcome, InvokeRequest, LogLine } from "./types.js";
import { inheritedEnvironment, logStreamName, workerEnvironment, workerExecArgv } from "./worker-env.js";
import type { WorkerSpec } from "./worker.js";

export interface RuntimeOptions {
  /** Base URL of the Lambda-compatible API, given to workers as AWS_ENDPOINT_URL_LAMBDA. */
  apiEndpoint: string;
  region?: string;
  accountId?: string;
  onLog?: (line: LogLine) => void;
  onWorkerEvent?: (e: WorkerEvent) => void;
  maxWorkersPerFunction?: number;
  idleTimeoutMs?: number;
  /** How long a worker may take to load its handler module. */
  initTimeoutMs?: number;
  /** Where PATH, HOME and NODE_* come from for workers; nothing else of it is passed on. */
  serverEnv?: NodeJS.ProcessEnv;
}

export interface RuntimeStats {
  functions: PoolStats[];
  workers: number;
  busy: number;
  idle: number;
  starting: number;
  queued: number;
  coldStarts: number;
  invocations: number;
}

interface Config {
  apiEndpoint: string;
  region: string;
  accountId: string;
  onLog: (line: LogLine) => void;
  onWorkerEvent: (e: WorkerEvent) => void;
  maxWorkersPerFunction: number;
  idleTimeoutMs: number;
  initTimeoutMs: number;
  inheritedEnv: Record<string, string>;
}

export class Runtime {
  private readonly config: Readonly<Config>;
  /** Pools that take new invocations, by name, version and content key. */
  private readonly pools = new Map<string, Pool>();
  /** Retired pools still finishing what they accepted; they leave when drained. */
  private readonly retiring = new Set<Pool>();
  private readonly tsxLoader: string;
  private readonly workerEntry: string;
  private readonly checker: LoadChecker;
  private closing: Promise<void> | undefined;

  constructor(options: RuntimeOptions) {
    this.config = parseOptions(options);
    // tsx's loader hooks both import and require, so .ts handlers and CJS/ESM JavaScript load.
    this.tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    // Same extension as this file: .ts when run from source, .js if ever compiled.
    const ext = extname(fileURLToPath(import.meta.url));
    this.workerEntry = fileURLToPath(new URL(`./worker-main${ext}`, import.meta.url));
    this.checker = new LoadChecker({
      entry: fileURLToPath(new URL(`./check-main${ext}`, import.meta.url)),
      execArgv: ["--import", this.tsxLoader],
      env: this.config.inheritedEnv,
      initTimeoutMs: this.config.initTimeoutMs,
    });
  }

  invoke(def: FunctionDefinition, req: InvokeRequest): Promise<InvokeOutcome> {
    if (this.closing) return Promise.reject(new Error("Runtime is closed"));
    const invokedFunctionArn =
      req.invokedFunctionArn ??
      functionArn(
        { partition: "aws", region: this.config.region, account: this.config.accountId },
        def.name,
        def.version,
      );
    return this.poolFor(def).invoke({ ...req, invokedFunctionArn });
  }

  /**
   * Reports whether `def`'s handler loads (the module imports and the export is a function):
   * undefined when it does, else the init error, as Lambda's would be. Used before publishing
   * changed code, so that a broken change never replaces working code.
   */
  async check(def: FunctionDefinition): Promise<ErrorObject | undefined> {
    return (await this.checkAll([def]))[0];
  }

  /** `check` for several definitions, in one process while their handlers load. */
  async checkAll(defs: FunctionDefinition[]): Promise<(ErrorObject | undefined)[]> {
    if (this.closing) throw new Error("Runtime is closed");
    const targets = defs.map((def) => {
      const spec = this.workerSpec(def);
      return { handlerFile: def.handlerFile, handlerExport: def.handlerExport, env: spec.env, cwd: spec.cwd };
    });
    const verdicts = await this.checker.check(targets);
    return Promise.all(
      verdicts.map((error, i) =>
        error?.ErrorType === "Runtime.UserCodeSyntaxError"
          ? locateSyntaxError(defs[i]!.handlerFile, error)
          : error,
      ),
    );
  }

  /**
   * Keeps a load-check process started ahead of need (`dormouse dev`: saves are checked often),
   * with the packages these definitions import already loaded (learnt by checking them once now).
   */
  keepCheckerWarm(defs: FunctionDefinition[] = []): void {
    if (this.closing) return;
    this.checker.keepWarm();
    if (defs.length > 0) void this.checkAll(defs).catch(() => undefined);
  }

  /** True while a worker runs, or an invocation waits to run, code from `codeDir`. */
  usesCodeDir(codeDir: string): boolean {
    return [...this.pools.values(), ...this.retiring].some((p) => {
      if (p.codeDir !== codeDir) return false;
      const s = p.stats();
      return s.workers > 0 || s.queued > 0;
    });
  }

  /** Nothing will run code from `codeDir` again: its pools let their workers go when idle. */
  releaseCodeDir(codeDir: string): void {
    for (const [key, pool] of this.pools) if (pool.codeDir === codeDir) this.retire(key, pool);
  }

  /** Retires the warm workers of one function (or all), so the next invocations load fresh code. */
  recycle(functionName?: string): void {
    for (const [key, pool] of this.pools) {
      if (functionName === undefined || pool.functionName === functionName) this.retire(key, pool);
    }
  }

  stats(): RuntimeStats {
    const functions = [...this.pools.values(), ...this.retiring].map((p) => p.stats());
    const sum = (k: "workers" | "busy" | "idle" | "starting" | "queued" | "coldStarts" | "invocations") =>
      functions.reduce((n, f) => n + f[k], 0);
    return {
      functions,
      workers: sum("workers"),
      busy: sum("busy"),
      idle: sum("idle"),
      starting: sum("starting"),
      queued: sum("queued"),
      coldStarts: sum("coldStarts"),
      invocations: sum("invocations"),
    };
  }

  /** Kills every worker; running invocations end with Runtime.ExitError, queued ones too. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([
        ...[...this.pools.values(), ...this.retiring].map((p) => p.close()),
        this.checker.close(),
      ]);
      this.pools.clear();
      this.retiring.clear();
      // An exited child's process handle is released in the loop's close phase, which comes
      // after the check phase: two setImmediate hops are sure to pass one, so a caller looking
      // for leaked handles right after close() sees none.
      for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
    })();
    return this.closing;
  }

  private poolFor(def: FunctionDefinition): Pool {
    const contentKey = definitionKey(def);
    const key = `${def.name}\0${def.version}\0${contentKey}`;
    const existing = this.pools.get(key);
    if (existing) return existing;
    // A new definition of the same version: the old workers run old code and must go.
    for (const [k, p] of this.pools) {
      if (k.startsWith(`${def.name}\0${def.version}\0`)) this.retire(k, p);
    }
    const pool: Pool = new Pool({
      functionName: def.name,
      version: def.version,
      contentKey,
      codeDir: def.codeDir,
      maxWorkers: this.config.maxWorkersPerFunction,
      idleTimeoutMs: this.config.idleTimeoutMs,
      makeSpec: () => this.workerSpec(def),
      onLog: this.config.onLog,
      onWorkerEvent: this.config.onWorkerEvent,
      onDrained: (p) => this.retiring.delete(p),
    });
    this.pools.set(key, pool);
    return pool;
  }

  private retire(key: string, pool: Pool): void {
    this.pools.delete(key);
    this.retiring.add(pool);
    pool.retire();
  }

  private workerSpec(def: FunctionDefinition): WorkerSpec {
    const stream = logStreamName(def.version, new Date(), randomBytes(16).toString("hex"));
    const env = workerEnvironment(
      def,
      { apiEndpoint: this.config.apiEndpoint, region: this.config.region, logStreamName: stream },
      this.config.inheritedEnv,
    );
    return {
      functionName: def.name,
      version: def.version,
      entry: this.workerEntry,
      args: [def.handlerFile, def.handlerExport],
      execArgv: workerExecArgv(def, this.tsxLoader),
      cwd: def.codeDir,
      env,
      initTimeoutMs: this.config.initTimeoutMs,
    };
  }
}

/**
 * Node does not put the location of a JavaScript syntax error in the error (only in the text it
 * prints for an uncaught one); `node --check` prints it, so the report can name file and line.
 */
function locateSyntaxError(file: string, error: ErrorObject): Promise<ErrorObject> {
  if (!/\.[cm]?js$/.test(file)) return Promise.resolve(error);
  return new Promise((resolve) => {
    execFile(process.execPath, ["--check", file], { timeout: 10_000 }, (failed, _stdout, stderr) => {
      const lines = String(stderr).split("\n");
      const at = lines.findIndex((line) => line.startsWith(`${file}:`));
      if (!failed || at < 0) return resolve(error);
      const excerpt = lines.slice(at, at + 3).join("\n");
      resolve({ ...error, ErrorMessage: `${error.ErrorMessage}\n${excerpt}` });
    });
  });
}

/** Everything about a definition that changes what a worker runs. */
export function definitionKey(def: FunctionDefinition): string {
  const env = Object.entries(def.environment).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const material = JSON.stringify([
    def.handlerFile,
    def.handlerExport,
    def.runtime,
    def.codeDir,
    def.timeoutSeconds,
    def.memoryMb,
    env,
  ]);
  return createHash("sha256").update(material).digest("hex").slice(0, 16);
}

function parseOptions(o: RuntimeOptions): Readonly<Config> {
  try {
    new URL(o.apiEndpoint);
  } catch {
    throw new TypeError(
      `Runtime option apiEndpoint must be an absolute URL, got ${JSON.stringify(o.apiEndpoint)}`,
    );
  }
  const positive = (name: string, v: number | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    if (!Number.isInteger(v) || v <= 0)
      throw new TypeError(`Runtime option ${name} must be a positive integer`);
    return v;
  };
  return Object.freeze({
    apiEndpoint: o.apiEndpoint,
    region: o.region ?? "us-east-1",
    accountId: o.accountId ?? "000000000000",
    onLog: o.onLog ?? printLine,
    onWorkerEvent: o.onWorkerEvent ?? (() => {}),
    maxWorkersPerFunction: positive("maxWorkersPerFunction", o.maxWorkersPerFunction, 8),
    idleTimeoutMs: positive("idleTimeoutMs", o.idleTimeoutMs, 5 * 60_000),
    // Lambda allows 10 s of init; a loaded laptop compiling TypeScript through tsx needs more slack.
    initTimeoutMs: positive("initTimeoutMs", o.initTimeoutMs, 30_000),
    inheritedEnv: inheritedEnvironment(o.serverEnv ?? process.env),
  });
}

function printLine(l: LogLine): void {
  process.stdout.write(`[${l.functionName} ${l.requestId ?? "-"}] ${l.line}\n`);
}
