// Turns flag values into typed values. Pure apart from the injected file reader, so each rule is
// unit-tested; every failure is a UsageError naming the flag, which the CLI reports with exit code 2.
import { readFileSync } from "node:fs";

export class UsageError extends Error {
  override readonly name = "UsageError";
}

export type ReadText = (file: string) => string;

/** Reads a file, or standard input for `-`; errors become usage errors that name the flag. */
export const readTextFile: ReadText = (file) => readFileSync(file === "-" ? 0 : file, "utf8");

export const EXECUTION_STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"] as const;
export type ExecutionStatusArg = (typeof EXECUTION_STATUSES)[number];

/**
 * `--payload '{"a":1}'` or `--payload @event.json` (`@-` reads stdin). The text is checked to be
 * JSON but returned as given, because the server stores payloads byte-exactly.
 */
export function parseJsonArg(flag: string, value: string, read: ReadText = readTextFile): string {
  let text = value;
  let source = "";
  if (value.startsWith("@")) {
    const file = value.slice(1);
    if (file === "") throw new UsageError(`${flag}: expected a file name after @`);
    source = file === "-" ? " (from stdin)" : ` (from ${file})`;
    try {
      text = read(file);
    } catch (error) {
      throw new UsageError(`${flag}: cannot read ${file}: ${errorMessage(error)}`);
    }
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag}: not valid JSON${source}: ${errorMessage(error)}`);
  }
  return text;
}

/** Non-negative (or positive) integer flags such as `--port` and `--limit`. */
export function parseIntegerArg(flag: string, value: string, min: number, max: number): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag}: expected an integer from ${min} to ${max}, got '${value}'`);
  }
  return n;
}

/** A decimal number of seconds (`2`, `2.5`) from min to max, for flags like `--lease-ttl`. */
export function parseSecondsArg(flag: string, value: string, min: number, max: number): number {
  const n = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`${flag}: expected a number of seconds from ${min} to ${max}, got '${value}'`);
  }
  return n;
}

/** `--status RUNNING FAILED` and `--status running,failed` both work; repeated flags accumulate. */
export function parseStatusArg(value: string, previous: ExecutionStatusArg[] = []): ExecutionStatusArg[] {
  const statuses = value
    .split(",")
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s !== "");
  for (const status of statuses) {
    if (!(EXECUTION_STATUSES as readonly string[]).includes(status)) {
      throw new UsageError(`--status: '${status}' is not one of ${EXECUTION_STATUSES.join(", ")}`);
    }
  }
  return [...previous, ...(statuses as ExecutionStatusArg[])];
}

/** The same rule the server applies (protocol §1.3), checked here to fail before a round trip. */
export function parseExecutionName(value: string): string {
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(value)) {
    throw new UsageError(`--name: 1 to 64 letters, digits, '-' or '_', got '${value}'`);
  }
  return value;
}

/**
 * `--parameter-overrides` as `sam` takes it: `Key=Value` pairs, several per argument separated by
 * spaces (quotes keep a value's spaces), or CloudFormation's `ParameterKey=K,ParameterValue=V`.
 * Commander calls this once per argument with what the earlier ones gave.
 */
export function parseParameterOverrides(
  value: string,
  previous: Record<string, string> = {},
): Record<string, string> {
  const flag = "--parameter-overrides";
  const out = { ...previous };
  for (const token of splitQuoted(value, flag)) {
    const long = /^ParameterKey=([^,]*),ParameterValue=(.*)$/s.exec(token);
    const eq = token.indexOf("=");
    const [key, val] = long ? [long[1]!, long[2]!] : eq > 0 ? [token.slice(0, eq), token.slice(eq + 1)] : [];
    if (key === undefined || val === undefined) {
      throw new UsageError(
        `${flag}: expected Key=Value (or ParameterKey=K,ParameterValue=V), got '${token}'`,
      );
    }
    if (!/^[A-Za-z0-9]{1,255}$/.test(key)) {
      throw new UsageError(`${flag}: '${key}' is not a parameter name (letters and digits only)`);
    }
    if (key in out && out[key] !== val) {
      throw new UsageError(`${flag}: ${key} is given twice ('${out[key]}' and '${val}')`);
    }
    out[key] = val;
  }
  return out;
}

/** Splits on whitespace outside quotes; quotes are removed (`A="x y"` → `A=x y`). */
function splitQuoted(text: string, flag: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let started = false;
  let quote: string | undefined;
  for (const ch of text) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) tokens.push(current);
      current = "";
      started = false;
    } else {
      current += ch;
      started = true;
    }
  }
  if (quote !== undefined) throw new UsageError(`${flag}: unclosed ${quote} in '${text}'`);
  if (started) tokens.push(current);
  if (tokens.length === 0) throw new UsageError(`${flag}: expected Key=Value, got an empty argument`);
  return tokens;
}

const DEFAULT_ENDPOINT = "http://127.0.0.1:9014";

/** `--endpoint` wins over `DORMOUSE_ENDPOINT`, which wins over the dev server's default address. */
export function resolveEndpoint(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.DORMOUSE_ENDPOINT?.trim() || undefined;
  const value = flag ?? fromEnv ?? DEFAULT_ENDPOINT;
  const name = flag !== undefined ? "--endpoint" : "DORMOUSE_ENDPOINT";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${name}: not a URL: '${value}'`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`${name}: expected an http:// or https:// URL, got '${value}'`);
  }
  return value.replace(/\/+$/, "");
}

/**
 * `--database` wins over `DORMOUSE_DATABASE_URL`; neither means SQLite. The server checks the URL
 * again; here the message can say where it came from. The value is never echoed (it may hold a
 * password).
 */
export function resolveDatabaseUrl(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const value = flag ?? (env.DORMOUSE_DATABASE_URL?.trim() || undefined);
  if (value === undefined) return undefined;
  const name = flag !== undefined ? "--database" : "DORMOUSE_DATABASE_URL";
  if (!/^postgres(ql)?:\/\//i.test(value.trim())) {
    throw new UsageError(
      `${name}: expected a PostgreSQL URL, postgres://user:password@host:5432/database (leave it out to use SQLite)`,
    );
  }
  return value.trim();
}

export const HANDLER_FILE_EXTENSIONS = [".ts", ".js", ".mjs", ".cjs", ".mts", ".cts"];
const TEMPLATE_EXTENSIONS = [".yaml", ".yml", ".json"];

export type FunctionSource = { template: string } | { handlerFile: string };

/**
 * `dormouse dev` accepts a handler file (zero-config) or a template as its positional argument,
 * or `--template`; with nothing it uses ./template.yaml.
 */
export function resolveFunctionSource(
  positional: string | undefined,
  template: string | undefined,
): FunctionSource {
  if (positional === undefined) return { template: template ?? "template.yaml" };
  if (template !== undefined) {
    throw new UsageError(`give either a file argument or --template, not both`);
  }
  const lower = positional.toLowerCase();
  if (HANDLER_FILE_EXTENSIONS.some((ext) => lower.endsWith(ext))) return { handlerFile: positional };
  if (TEMPLATE_EXTENSIONS.some((ext) => lower.endsWith(ext))) return { template: positional };
  throw new UsageError(
    `'${positional}' is neither a handler file (${HANDLER_FILE_EXTENSIONS.join(" ")}) nor a template (.yaml .yml .json)`,
  );
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface ErrorFlags {
  errorType?: string;
  errorMessage?: string;
  errorData?: string;
}

/** `--error-type/--error-message/--error-data` as an ErrorObject; none given means "no error object". */
export function errorObjectFromFlags(flags: ErrorFlags): ErrorFlagsObject | undefined {
  const error: ErrorFlagsObject = {};
  if (flags.errorType !== undefined) error.ErrorType = flags.errorType;
  if (flags.errorMessage !== undefined) error.ErrorMessage = flags.errorMessage;
  if (flags.errorData !== undefined) error.ErrorData = flags.errorData;
  return Object.keys(error).length > 0 ? error : undefined;
}

export interface ErrorFlagsObject {
  ErrorType?: string;
  ErrorMessage?: string;
  ErrorData?: string;
}
