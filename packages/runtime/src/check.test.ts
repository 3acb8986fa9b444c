import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LoadChecker } from "./load-checker.js";
import { FIXTURES, fixture, processHandles, withRuntime } from "./test-support.js";

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

  it("checks several handlers in one go: a crash or a hang is that handler's verdict only", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dormouse-check-"));
    dirs.push(dir);
    const write = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir, name), text);
      return fixture(name, "handler", { handlerFile: path.join(dir, name), codeDir: dir });
    };
    const exits = write("exits.mjs", "process.exit(3);\nexport const handler = async () => 1;\n");
    const hangs = write(
      "hangs.mjs",
      "setInterval(() => {}, 1000);\nawait new Promise(() => {});\nexport const handler = async () => 1;\n",
    );
    const needsEnv = write(
      "needs-env.mjs",
      'if (process.env.TABLE !== "orders") throw new Error("TABLE is not set");\nexport const handler = async () => 1;\n',
    );
    await withRuntime(
      async (rt) => {
        const verdicts = await rt.checkAll([
          fixture("echo.mjs"),
          exits,
          fixture("no-export.mjs"),
          hangs,
          needsEnv,
          { ...needsEnv, environment: { TABLE: "orders" } },
          fixture("typescript.ts"),
        ]);
        expect(verdicts.map((v) => v?.ErrorType)).toStrictEqual([
          undefined,
          "Runtime.ExitError",
          "Runtime.HandlerNotFound",
          "Sandbox.Timedout",
          "Runtime.ImportModuleError",
          undefined,
          undefined,
        ]);
        expect(verdicts[1]?.ErrorMessage).toContain("code 3");
        expect(verdicts[4]?.ErrorMessage).toContain("TABLE is not set");
      },
      { initTimeoutMs: 4000 },
    );
    expect(processHandles()).toBe(0);
  });

  it("keeps a checker warm with the packages that checked code imported", async () => {
    const checker = new LoadChecker({
      entry: path.join(path.dirname(FIXTURES), "src", "check-main.ts"),
      execArgv: ["--import", "tsx"],
      env: { PATH: process.env.PATH ?? "" },
      initTimeoutMs: 30_000,
    });
    try {
      checker.keepWarm();
      const target = {
        handlerFile: `${FIXTURES}sdk-client.mjs`,
        handlerExport: "handler",
        env: {},
        cwd: FIXTURES,
      };
      expect(await checker.check([target])).toStrictEqual([undefined]);
      expect(checker.warmModules).toStrictEqual([
        expect.stringMatching(/\/@aws-sdk\/client-lambda\/.+\.js$/),
      ]);
      expect(checker.spareStarted).toBe(true);
      // The spare (with the SDK loaded) takes the next check; a new one is started after it.
      expect(await checker.check([target, { ...target, handlerExport: "nope" }])).toMatchObject([
        undefined,
        { ErrorType: "Runtime.HandlerNotFound" },
      ]);
      expect(checker.spareStarted).toBe(true);
    } finally {
      await checker.close();
    }
    expect(processHandles()).toBe(0);
  });
});
