// Where a `Handler` string points: `src/app.handler` is the module `src/app` (extension found
// on disk, relative to the code directory) and the export `handler`.
import { statSync } from "node:fs";
import path from "node:path";

/** Tried in this order, so a TypeScript source wins over compiled JavaScript next to it. */
export const HANDLER_EXTENSIONS = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"] as const;

export const SUPPORTED_RUNTIMES = ["nodejs20.x", "nodejs22.x", "nodejs24.x"] as const;

export interface HandlerReference {
  module: string;
  exportName: string;
}

/** `path/module.export`; the export is the part after the last dot. */
export function parseHandler(handler: string): HandlerReference | undefined {
  const match = /^(.+)\.([A-Za-z_$][\w$]*)$/.exec(handler);
  if (!match) return undefined;
  const module = match[1]!;
  if (module.endsWith("/") || module.endsWith("\\") || path.isAbsolute(module)) return undefined;
  return { module, exportName: match[2]! };
}

export type HandlerLookup = { found: string } | { tried: string[] };

export function findHandlerFile(codeDir: string, module: string): HandlerLookup {
  const tried = HANDLER_EXTENSIONS.map((extension) => path.resolve(codeDir, module + extension));
  const found = tried.find(isFile);
  return found === undefined ? { tried } : { found };
}

export function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

export function isDirectory(dir: string): boolean {
  return statSync(dir, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** The runtime name of the Node running Dormouse, e.g. `nodejs22.x`. */
export function localNodeRuntime(): string {
  return `nodejs${process.versions.node.split(".")[0]}.x`;
}
