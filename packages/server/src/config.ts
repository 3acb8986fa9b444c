// Server configuration, parsed once into one frozen object with a clear error per bad field.
import path from "node:path";
import { DEFAULT_LIMITS } from "@dormouse/protocol";
import type { Limits } from "@dormouse/protocol";
import { parseFaultPoint } from "@dormouse/scheduler";
import type { FaultPointSpec } from "@dormouse/scheduler";

export interface ServerOptions {
  mode: "dev" | "start";
  template?: string;
  handlerFile?: string;
  port: number;
  host: string;
  dataDir: string;
  logLevel?: string;
  limits?: Partial<Limits>;
  /** Watch the template and the functions' code and publish changes (`dormouse dev`). */
  watch?: boolean;
  /**
   * Crash tests only: named points at which the server kills itself with SIGKILL, each `name` or
   * `name@N` (the N-th pass). See packages/scheduler/src/fault-points.ts.
   */
  faultPoints?: string[];
}

export interface ServerConfig {
  mode: "dev" | "start";
  source: { kind: "template"; file: string } | { kind: "handler"; file: string };
  port: number;
  host: string;
  dataDir: string;
  databaseFile: string;
  logLevel: string;
  limits: Limits;
  faultPoints: readonly FaultPointSpec[];
  watch: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "ConfigError";
  }
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export function parseConfig(opts: ServerOptions, cwd = process.cwd()): Readonly<ServerConfig> {
  if (opts.mode !== "dev" && opts.mode !== "start") throw new ConfigError("mode", `must be dev or start`);
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new ConfigError("port", `must be an integer between 0 and 65535 (got ${String(opts.port)})`);
  }
  if (typeof opts.host !== "string" || opts.host.trim() === "")
    throw new ConfigError("host", "must not be empty");
  if (opts.template !== undefined && opts.handlerFile !== undefined) {
    throw new ConfigError("template", "give either a template or a handler file, not both");
  }
  const logLevel = opts.logLevel ?? (opts.mode === "dev" ? "info" : "info");
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError("logLevel", `must be one of ${LOG_LEVELS.join(", ")}`);
  const dataDir = path.resolve(cwd, opts.dataDir);
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  for (const [k, v] of Object.entries(limits)) {
    if (!Number.isFinite(v) || v <= 0) throw new ConfigError(`limits.${k}`, `must be a positive number`);
  }
  const faultPoints = (opts.faultPoints ?? []).map((text) => {
    try {
      return Object.freeze(parseFaultPoint(text));
    } catch (err) {
      throw new ConfigError("faultPoints", (err as Error).message);
    }
  });
  return Object.freeze({
    mode: opts.mode,
    source:
      opts.handlerFile !== undefined
        ? { kind: "handler" as const, file: path.resolve(cwd, opts.handlerFile) }
        : { kind: "template" as const, file: path.resolve(cwd, opts.template ?? "template.yaml") },
    port: opts.port,
    host: opts.host,
    dataDir,
    databaseFile: path.join(dataDir, "dormouse.db"),
    logLevel,
    limits: Object.freeze(limits),
    faultPoints: Object.freeze(faultPoints),
    watch: opts.watch ?? false,
  });
}
