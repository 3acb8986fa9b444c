// The IPC protocol between the load checker (load-checker.ts) and a check process (check-main.ts).
import type { ErrorObject } from "@dormouse/protocol";

export interface CheckTarget {
  handlerFile: string;
  handlerExport: string;
  /** The environment a worker of the function gets. */
  env: Record<string, string>;
  cwd: string;
}

/** parent → check process */
export interface CheckRequest {
  type: "check";
  targets: CheckTarget[];
}

/** check process → parent */
export type CheckerMessage =
  /** The spare has loaded what it was asked to load in advance and waits for a request. */
  | { type: "ready" }
  /** The verdict on targets[index]: no error means its handler loads. */
  | { type: "checked"; index: number; error?: ErrorObject }
  /** All targets checked; the process exits. `imported`: packages user code imported. */
  | { type: "done"; imported: string[] }
  | { type: "fatal"; error: ErrorObject };

export function parseCheckerMessage(raw: unknown): CheckerMessage | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  const isError = (e: unknown): e is ErrorObject =>
    typeof e === "object" && e !== null && typeof (e as ErrorObject).ErrorMessage === "string";
  switch (m.type) {
    case "ready":
      return { type: "ready" };
    case "checked":
      if (typeof m.index !== "number") return undefined;
      return isError(m.error)
        ? { type: "checked", index: m.index, error: m.error }
        : { type: "checked", index: m.index };
    case "done":
      return Array.isArray(m.imported)
        ? { type: "done", imported: m.imported.filter((u): u is string => typeof u === "string") }
        : undefined;
    case "fatal":
      return isError(m.error) ? { type: "fatal", error: m.error } : undefined;
    default:
      return undefined;
  }
}
