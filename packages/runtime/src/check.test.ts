import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixture, processHandles, withRuntime } from "./test-support.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("Runtime.check", () => {
  it("passes a handler that loads, and leaves no worker behind", async () => {
    await withRuntime(async (rt) => {
      expect(await rt.check(fixture("echo.mjs"))).toBeUndefined();
      expect(rt.stats().workers).toBe(0);
    });
    expect(processHandles()).toBe(0);
  });

  it("reports a missing export and an import that fails", async () => {
    await withRuntime(async (rt) => {
      expect(await rt.check(fixture("no-export.mjs"))).toMatchObject({
        ErrorType: "Runtime.HandlerNotFound",
      });
      expect(await rt.check(fixture("import-error.mjs"))).toMatchObject({
        ErrorType: "Runtime.ImportModuleError",
      });
    });
  });

  it("names the file, line and column of a TypeScript syntax error", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dormouse-check-"));
    dirs.push(dir);
    const file = path.join(dir, "broken.ts");
    fs.writeFileSync(file, "export const handler = async () => {\n  return 1 +;\n};\n");
    await withRuntime(async (rt) => {
      const error = await rt.check(fixture("broken.ts", "handler", { handlerFile: file, codeDir: dir }));
      expect(error?.ErrorMessage).toContain(`${file}:2:12`);
    });
  });
});
