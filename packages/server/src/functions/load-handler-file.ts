// Zero-config use (`dormouse dev handler.ts`): one durable function from one file, with
// settings generous enough for development.
import path from "node:path";
import type { FunctionDefinition } from "@dormouse/runtime";
import { HANDLER_EXTENSIONS, isFile, localNodeRuntime } from "./handler-file.js";
import { TemplateError } from "./template-error.js";

export const HANDLER_FILE_DEFAULTS = {
  exportName: "handler",
  timeoutSeconds: 60,
  memoryMb: 1024,
  executionTimeoutSeconds: 86_400,
  retentionDays: 14,
} as const;

/** `file` is named as given in error messages (TemplateError). */
export function loadHandlerFile(file: string): FunctionDefinition {
  const absolute = path.resolve(file);
  const extension = path.extname(absolute);
  if (!(HANDLER_EXTENSIONS as readonly string[]).includes(extension)) {
    throw new TemplateError(
      `is not a handler file: the extension must be one of ${HANDLER_EXTENSIONS.join(", ")}`,
      { file },
    );
  }
  if (!isFile(absolute)) throw new TemplateError(`handler file not found (${absolute})`, { file });

  const base = path.basename(absolute, extension);
  const name = base.replace(/[^a-zA-Z0-9-_]/g, "-").slice(0, 64);
  const d = HANDLER_FILE_DEFAULTS;
  return {
    name,
    version: "$LATEST",
    handlerFile: absolute,
    handlerExport: d.exportName,
    handler: `${base}.${d.exportName}`,
    runtime: localNodeRuntime(),
    codeDir: path.dirname(absolute),
    timeoutSeconds: d.timeoutSeconds,
    memoryMb: d.memoryMb,
    environment: {},
    durable: { executionTimeoutSeconds: d.executionTimeoutSeconds, retentionDays: d.retentionDays },
  };
}
