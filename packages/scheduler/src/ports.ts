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
  invoke(fn: FunctionVersionRef, call: InvokeCall): Promise<InvocationResult>;
  /** How many invocations of a function may run at once (its workers); default 8. */
  capacity?(functionName: string): number;
}

/** Which code to run: the version, and (when known) the exact code it had when resolved. */
export interface FunctionVersionRef {
  functionName: string;
  version: string;
  /** ResolvedFunction.codeId / ExecutionRecord.codeId: pins `$LATEST` executions to their code. */
  codeId?: string;
}

/** The functions this server knows (from a template, a handler file, later deployments). */
export interface FunctionCatalog {
  /** Resolves a name, `name:qualifier`, partial or full ARN; undefined when unknown. */
  resolve(ref: string, qualifier?: string): ResolvedFunction | undefined;
  list(): FunctionSummary[];
  /** Aliases and the versions they point at (absent: the catalog has none). */
  aliases?(): FunctionAlias[];
}

export interface FunctionAlias {
  functionName: string;
  name: string;
  version: string;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** The version (and pinned code, when there is one) an execution or a resolved function runs. */
export function versionRef(fn: {
  functionName: string;
  version: string;
  codeId?: string;
}): FunctionVersionRef {
  const ref: FunctionVersionRef = { functionName: fn.functionName, version: fn.version };
  if (fn.codeId !== undefined) ref.codeId = fn.codeId;
  return ref;
}
