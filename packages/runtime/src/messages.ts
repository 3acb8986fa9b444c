// The IPC protocol between the runtime (server side) and a worker process. Both directions are
// discriminated unions; each side switches on `type` exhaustively.
import type { ErrorObject } from "@dormouse/protocol";

/** server → worker */
export type ServerMessage = {
  type: "invoke";
  requestId: string;
  /** The event as JSON text. */
  payload: string;
  /** Absolute deadline, epoch ms (drives `context.getRemainingTimeInMillis()`). */
  deadline: number;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn?: string;
  tenantId?: string;
};

/** worker → server */
export type WorkerMessage =
  /** The handler module loaded and the export is a function. */
  | { type: "ready" }
  /** The module failed to load or the export is missing; the worker is useless. */
  | { type: "init-error"; error: ErrorObject }
  | { type: "result"; requestId: string; payload: string }
  | { type: "error"; requestId: string; error: ErrorObject }
  /** An uncaught exception or unhandled rejection; the worker exits right after sending this. */
  | { type: "fatal"; error: ErrorObject };

/**
 * Messages come from a process that runs user code (which can call `process.send` itself), so
 * the server checks their shape instead of trusting the type.
 */
export function parseWorkerMessage(raw: unknown): WorkerMessage | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case "ready":
      return { type: "ready" };
    case "init-error":
    case "fatal":
      return isErrorObject(m.error) ? { type: m.type, error: m.error } : undefined;
    case "result":
      return typeof m.requestId === "string" && typeof m.payload === "string"
        ? { type: "result", requestId: m.requestId, payload: m.payload }
        : undefined;
    case "error":
      return typeof m.requestId === "string" && isErrorObject(m.error)
        ? { type: "error", requestId: m.requestId, error: m.error }
        : undefined;
    default:
      return undefined;
  }
}

function isErrorObject(v: unknown): v is ErrorObject {
  if (typeof v !== "object" || v === null) return false;
  const e = v as Record<string, unknown>;
  const optString = (x: unknown) => x === undefined || typeof x === "string";
  return (
    optString(e.ErrorType) &&
    optString(e.ErrorMessage) &&
    optString(e.ErrorData) &&
    (e.StackTrace === undefined ||
      (Array.isArray(e.StackTrace) && e.StackTrace.every((l) => typeof l === "string")))
  );
}
