// Server configuration, parsed once into one frozen object with a clear error per bad field.
import path from "node:path";
import { DEFAULT_LIMITS } from "@dormouse/protocol";
import type { Limits } from "@dormouse/protocol";
import { parseFaultPoint } from "@dormouse/scheduler";
import type { FaultPointSpec } from "@dormouse/scheduler";
import { redactDatabaseUrl } from "@dormouse/store";
import { PARAMETER_NAME } from "./functions/parameter-overrides.js";

export interface ServerOptions {
  mode: "dev" | "start";
  template?: string;
  handlerFile?: string;
  port: number;
  /**
   * Port of the HTTP gateway serving the template's HttpApi/Api routes and function URLs (default
   * 3000, like `sam local start-api`; 0 = any free port). It listens only when a function has one.
   */
  httpPort?: number;
  host: string;
  dataDir: string;
  /**
   * A `postgres://` (or `postgresql://`) URL: keep executions in that PostgreSQL database, which
   * several nodes can share. Absent: the SQLite file `<dataDir>/dormouse.db`.
   */
  database?: string;
  logLevel?: string;
  limits?: Partial<Limits>;
  /** Watch the template and the functions' code and publish changes (`dormouse dev`). */
  watch?: boolean;
  /** Template parameter values replacing their Default, as `sam --parameter-overrides` gives them. */
  parameterOverrides?: Record<string, string>;
  /**
   * Crash tests only: named points at which the server kills itself with SIGKILL, each `name` or
   * `name@N` (the N-th pass). See packages/scheduler/src/fault-points.ts.
   */
  faultPoints?: string[];
  /**
   * With PostgreSQL, where several nodes share the database: at most this many seconds after a node
   * stops (kill -9, a lost machine), another node invokes its executions again (default 10).
   */
  leaseTtlSeconds?: number;
}

export interface ServerConfig {
  mode: "dev" | "start";
  source: { kind: "template"; file: string } | { kind: "handler"; file: string };
  port: number;
  httpPort: number;
  host: string;
  dataDir: string;
  /** The SQLite file (the default store; kept in the config when PostgreSQL is used instead). */
  databaseFile: string;
  database: DatabaseConfig;
  logLevel: string;
  limits: Limits;
  faultPoints: readonly FaultPointSpec[];
  watch: boolean;
  parameterOverrides: Readonly<Record<string, string>>;
  /** See ServerOptions.leaseTtlSeconds. */
  leaseTtlMs: number;
}

/** Which store the server opens. `display` is the URL without its password, for banners and logs. */
export type DatabaseConfig =
  { kind: "sqlite"; file: string } | { kind: "postgres"; url: string; display: string };

export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "ConfigError";
  }
}

/** Where `sam local start-api` serves, so that scripts and pages written for it work unchanged. */
export const DEFAULT_HTTP_PORT = 3000;

export const DEFAULT_LEASE_TTL_SECONDS = 10;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export function parseConfig(opts: ServerOptions, cwd = process.cwd()): Readonly<ServerConfig> {
  if (opts.mode !== "dev" && opts.mode !== "start") throw new ConfigError("mode", `must be dev or start`);
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new ConfigError("port", `must be an integer between 0 and 65535 (got ${String(opts.port)})`);
  }
  const httpPort = opts.httpPort ?? DEFAULT_HTTP_PORT;
  if (!Number.isInteger(httpPort) || httpPort < 0 || httpPort > 65535) {
    throw new ConfigError(
      "httpPort",
      `must be an integer between 0 and 65535 (got ${String(opts.httpPort)})`,
    );
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
  const parameterOverrides = parseParameterOverrides(opts);
  const leaseTtlSeconds = opts.leaseTtlSeconds ?? DEFAULT_LEASE_TTL_SECONDS;
  if (typeof leaseTtlSeconds !== "number" || !(leaseTtlSeconds >= 1 && leaseTtlSeconds <= 3600)) {
    throw new ConfigError(
      "leaseTtlSeconds",
      `must be a number of seconds from 1 to 3600 (got ${String(opts.leaseTtlSeconds)})`,
    );
  }
  const databaseFile = path.join(dataDir, "dormouse.db");
  return Object.freeze({
    mode: opts.mode,
    source:
      opts.handlerFile !== undefined
        ? { kind: "handler" as const, file: path.resolve(cwd, opts.handlerFile) }
        : { kind: "template" as const, file: path.resolve(cwd, opts.template ?? "template.yaml") },
    port: opts.port,
    httpPort,
    host: opts.host,
    dataDir,
    databaseFile,
    database: Object.freeze(parseDatabase(opts.database, databaseFile)),
    logLevel,
    limits: Object.freeze(limits),
    faultPoints: Object.freeze(faultPoints),
    watch: opts.watch ?? false,
    parameterOverrides,
    leaseTtlMs: Math.round(leaseTtlSeconds * 1000),
  });
}

function parseParameterOverrides(opts: ServerOptions): Readonly<Record<string, string>> {
  const overrides = opts.parameterOverrides ?? {};
  const names = Object.keys(overrides);
  if (names.length > 0 && opts.handlerFile !== undefined) {
    throw new ConfigError("parameterOverrides", "a handler file has no parameters; use a template");
  }
  for (const name of names) {
    if (!PARAMETER_NAME.test(name)) {
      throw new ConfigError("parameterOverrides", `"${name}" is not a parameter name (letters and digits)`);
    }
    if (typeof overrides[name] !== "string") {
      throw new ConfigError(`parameterOverrides.${name}`, "must be a string");
    }
  }
  return Object.freeze({ ...overrides });
}

function parseDatabase(url: string | undefined, databaseFile: string): DatabaseConfig {
  if (url === undefined) return { kind: "sqlite", file: databaseFile };
  const text = url.trim();
  let parsed: URL | undefined;
  try {
    parsed = new URL(text);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol !== "postgres:" && parsed?.protocol !== "postgresql:") {
    // Echo only the scheme: the rest may hold a password.
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1];
    throw new ConfigError(
      "database",
      `must be a PostgreSQL URL, postgres://user:password@host:5432/database (got ${
        scheme ? `a ${scheme}: URL` : text === "" ? "an empty string" : "something that is not a URL"
      }); leave it out to use SQLite`,
    );
  }
  return { kind: "postgres", url: text, display: redactDatabaseUrl(text) };
}
