// What the scheduler needs from the rest of the server; the server wires real implementations.
import type { InvocationResult, ResolvedFunction } from "@dormouse/engine";
import type { FunctionSummary } from "./service.js";

export interface InvokeCall {
  requestId: string;
  /** The event as JSON text. */
  payload: string;
  /** Absolute deadline, epoch ms. */
  deadline: number;
  tenantId?: string;
  executionArn?: string;
}

/** Runs one invocation of a function version (the runtime, behind an adapter). */
export interface Invoker {
  invoke(fn: { functionName: string; version: string }, call: InvokeCall): Promise<InvocationResult>;
}

/** The functions this server knows (from a template, a handler file, later deployments). */
export interface FunctionCatalog {
  /** Resolves a name, `name:qualifier`, partial or full ARN; undefined when unknown. */
  resolve(ref: string, qualifier?: string): ResolvedFunction | undefined;
  list(): FunctionSummary[];
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
