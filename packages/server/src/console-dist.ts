// Where the built web console lives: `vite build` writes it to packages/console/dist. Found through
// the workspace package (so a moved checkout still works), else relative to this file.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export function consoleDistDir(): string {
  try {
    const manifest = createRequire(import.meta.url).resolve("@dormouse/console/package.json");
    return path.join(path.dirname(manifest), "dist");
  } catch {
    return fileURLToPath(new URL("../../console/dist", import.meta.url));
  }
}
