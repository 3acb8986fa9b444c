// Turns whatever a handler threw into the Lambda error shape. Lambda's Node runtime reports
// `name`, `message` and the stack split into lines; non-Error throws get a generic type.
import type { ErrorObject } from "@dormouse/protocol";

export function toErrorObject(err: unknown): ErrorObject {
  if (err instanceof Error) {
    const out: ErrorObject = { ErrorType: err.name || "Error", ErrorMessage: err.message };
    if (typeof err.stack === "string") out.StackTrace = err.stack.split("\n");
    return out;
  }
  if (typeof err === "object" && err !== null) {
    // Error-likes from another realm, or plain objects thrown by user code.
    const e = err as { name?: unknown; message?: unknown; stack?: unknown };
    if (typeof e.message === "string") {
      const out: ErrorObject = {
        ErrorType: typeof e.name === "string" ? e.name : "Error",
        ErrorMessage: e.message,
      };
      if (typeof e.stack === "string") out.StackTrace = e.stack.split("\n");
      return out;
    }
  }
  return { ErrorType: "Error", ErrorMessage: describe(err) };
}

function describe(v: unknown): string {
  if (typeof v === "string") return v;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
