// Loading a handler module the way Lambda's Node.js runtime does, with its error types: used by a
// worker at init and by the load checker before a change is published.
import { pathToFileURL } from "node:url";
import type { ErrorObject } from "@dormouse/protocol";
import { toErrorObject } from "./error-object.js";

export type Handler = (event: unknown, context: unknown, callback?: unknown) => unknown;

/** The handler function, or the init error (Runtime.UserCodeSyntaxError, …) as Lambda names it. */
export async function loadHandler(
  handlerFile: string,
  handlerExport: string,
): Promise<Handler | ErrorObject> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(handlerFile).href)) as Record<string, unknown>;
  } catch (err) {
    const e = toErrorObject(err);
    const out: ErrorObject = {
      ErrorType: err instanceof SyntaxError ? "Runtime.UserCodeSyntaxError" : "Runtime.ImportModuleError",
      ErrorMessage: `Cannot load ${handlerFile}: ${e.ErrorType}: ${e.ErrorMessage}`,
    };
    if (e.StackTrace) out.StackTrace = e.StackTrace;
    return out;
  }
  // A CommonJS module imported from ESM exposes module.exports as `default`; its named exports
  // are only detected statically, so look there too.
  const def = mod.default;
  const fn =
    mod[handlerExport] ??
    (typeof def === "object" || typeof def === "function"
      ? (def as Record<string, unknown> | null)?.[handlerExport]
      : undefined);
  if (fn === undefined) {
    return {
      ErrorType: "Runtime.HandlerNotFound",
      ErrorMessage: `${handlerFile} has no export named "${handlerExport}"`,
    };
  }
  if (typeof fn !== "function") {
    return {
      ErrorType: "Runtime.HandlerNotFound",
      ErrorMessage: `Export "${handlerExport}" of ${handlerFile} is a ${typeof fn}, not a function`,
    };
  }
  return fn as Handler;
}
