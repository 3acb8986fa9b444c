// What the runtime runs and what it reports back.
import type { ErrorObject } from "@dormouse/protocol";

/** One function version as the runtime needs it (built from a SAM template or a handler file). */
export interface FunctionDefinition {
  name: string;
  /** `$LATEST` or a number. */
  version: string;
  /** Absolute path of the handler module (.js, .mjs, .cjs, .ts, .mts, .cts). */
  handlerFile: string;
  /** Export name in that module, e.g. `handler`. */
  handlerExport: string;
  /** The `Handler` string as declared, for display. */
  handler: string;
  /** `nodejs20.x` | `nodejs22.x` | `nodejs24.x` */
  runtime: string;
  /** Directory the worker runs in (CodeUri). */
  codeDir: string;
  timeoutSeconds: number;
  memoryMb: number;
  environment: Record<string, string>;
  /** Present for durable functions. */
  durable?: { executionTimeoutSeconds: number; retentionDays: number };
  /** SAM's AutoPublishAlias: the alias each publish creates or moves (not part of what runs). */
  autoPublishAlias?: string;
}

export interface InvokeRequest {
  requestId: string;
  /** The event as JSON text. */
  payload: string;
  /** Absolute deadline, epoch ms. */
  deadline: number;
  tenantId?: string;
  /** `context.invokedFunctionArn`; defaults to the qualified ARN of the function version. */
  invokedFunctionArn?: string;
  /** Tags for captured output. */
  executionArn?: string;
}

/**
 * `returned`: the handler returned (payload = JSON text of the value, "" for undefined).
 * `error`: a function error — unhandled exception, crash, timeout, bad output (spec §2.4).
 */
export type InvokeOutcome = { kind: "returned"; payload: string } | { kind: "error"; error: ErrorObject };

/** One line of a handler's output, tagged with the invocation it belongs to. */
export interface LogLine {
  functionName: string;
  version: string;
  requestId?: string;
  executionArn?: string;
  stream: "stdout" | "stderr";
  line: string;
  at: number;
}
