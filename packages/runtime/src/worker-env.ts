// What a worker process is started with: its environment and Node flags. Pure functions, so the
// rules (what leaks from the server, what the user may override) are testable without a process.
import type { FunctionDefinition } from "./types.js";

export interface WorkerEnvOptions {
  apiEndpoint: string;
  region: string;
  logStreamName: string;
}

// Basics a Node process needs to behave normally. Everything else in the server's environment
// (database URLs, tokens) stays out of user code.
const INHERITED = ["PATH", "HOME", "TMPDIR", "TEMP", "TMP", "LANG", "LC_ALL", "TZ", "SYSTEMROOT"];
// NODE_* is inherited except what would change how the worker itself starts or talks to us.
const NODE_EXCLUDED = new Set([
  "NODE_OPTIONS",
  "NODE_CHANNEL_FD",
  "NODE_CHANNEL_SERIALIZATION_MODE",
  "NODE_UNIQUE_ID",
]);

export function inheritedEnvironment(serverEnv: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(serverEnv)) {
    if (v === undefined) continue;
    if (INHERITED.includes(k) || (k.startsWith("NODE_") && !NODE_EXCLUDED.has(k))) {
      out[k] = v;
    }
  }
  return out;
}

/**
 * Layers, later wins: inherited basics, defaults the user may override (credentials), the
 * function's own `Environment`, then the variables Lambda reserves.
 */
export function workerEnvironment(
  def: FunctionDefinition,
  opts: WorkerEnvOptions,
  inherited: Record<string, string>,
): Record<string, string> {
  return {
    ...inherited,
    // The SDK signs requests, so it needs some credentials; the server ignores signatures.
    AWS_ACCESS_KEY_ID: "dormouse",
    AWS_SECRET_ACCESS_KEY: "dormouse",
    // @aws-sdk/core warns on every cold start under Node < 22; that is noise in function logs.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    ...def.environment,
    AWS_ENDPOINT_URL_LAMBDA: opts.apiEndpoint,
    AWS_REGION: opts.region,
    AWS_DEFAULT_REGION: opts.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${def.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: def.name,
    AWS_LAMBDA_FUNCTION_VERSION: def.version,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(def.memoryMb),
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(def.timeoutSeconds),
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${def.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: opts.logStreamName,
    LAMBDA_TASK_ROOT: def.codeDir,
  };
}

export function workerExecArgv(def: FunctionDefinition, tsxLoaderUrl: string): string[] {
  return ["--import", tsxLoaderUrl, `--max-old-space-size=${Math.max(16, Math.floor(def.memoryMb))}`];
}

/** Lambda's shape: `2026/01/31/[$LATEST]<32 hex>`. */
export function logStreamName(version: string, at: Date, id: string): string {
  const d = at.toISOString().slice(0, 10).replaceAll("-", "/");
  return `${d}/[${version}]${id}`;
}
