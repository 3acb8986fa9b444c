// What the engine needs from the outside world, passed in with every call so that a decision is a
// pure function of (state, input, ctx): a literal `now`, deterministic id sources in tests.
import type { ArnContext, Limits } from "@dormouse/protocol";

export interface ResolvedFunction {
  functionName: string;
  version: string;
  /** Durable functions have a DurableConfig; plain ones are invoked with ordinary Lambda semantics. */
  durable: boolean;
  executionTimeoutSeconds: number;
  retentionDays: number;
  functionTimeoutSeconds: number;
  /**
   * The exact code and configuration the version resolved to (opaque to the engine). Recorded on
   * the execution so that replays of `$LATEST` executions keep running the code they started on.
   */
  codeId?: string;
}

export interface EngineContext {
  /** Current time, epoch ms. */
  now: number;
  /** A fresh UUID (request ids, execution ids, the EXECUTION operation id). */
  newId(): string;
  /** A fresh unguessable base64 string (callback ids, token nonces). */
  newSecret(): string;
  limits: Limits;
  arnContext: ArnContext;
  /** Resolves a CHAINED_INVOKE target (`name`, `name:qualifier`, ARN); undefined when unknown. */
  resolveFunction(ref: string): ResolvedFunction | undefined;
  /** Retry policy for function errors (spec §4.4). */
  invocationRetry: InvocationRetryPolicy;
  /** The node deciding; recorded on the invocation leases it begins (InvocationLease.node). */
  nodeId?: string;
}

export interface InvocationRetryPolicy {
  /** Failures retried at once before backoff starts. */
  immediateRetries: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Consecutive failures after which the execution fails with the last error (0 = never). */
  maxConsecutiveFailures: number;
}

export const DEFAULT_INVOCATION_RETRY: InvocationRetryPolicy = Object.freeze({
  immediateRetries: 2,
  initialBackoffMs: 1000,
  maxBackoffMs: 5 * 60 * 1000,
  maxConsecutiveFailures: 0,
});
