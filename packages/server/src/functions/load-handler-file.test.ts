import path from "node:path";
import { describe, expect, it } from "vitest";
import { HANDLER_EXTENSIONS } from "./handler-file.js";
import { loadHandlerFile } from "./load-handler-file.js";
import { HANDLER_SOURCE, expectTemplateError, useTempProjects } from "./test-support.js";

const project = useTempProjects();

describe("loadHandlerFile", () => {
  it("makes one durable function named after the file", () => {
    const dir = project({ "workflows/order flow.v2.ts": HANDLER_SOURCE });
    const file = path.join(dir, "workflows/order flow.v2.ts");
    expect(loadHandlerFile(file)).toStrictEqual({
      name: "order-flow-v2",
      version: "$LATEST",
      handlerFile: file,
      handlerExport: "handler",
      handler: "order flow.v2.handler",
      runtime: `nodejs${process.versions.node.split(".")[0]}.x`,
      codeDir: path.join(dir, "workflows"),
      timeoutSeconds: 60,
      memoryMb: 1024,
      environment: {},
      durable: { executionTimeoutSeconds: 86400, retentionDays: 14 },
    });
  });

  it.each(HANDLER_EXTENSIONS)("accepts %s", (extension) => {
    const dir = project({ [`app${extension}`]: HANDLER_SOURCE });
    expect(loadHandlerFile(path.join(dir, `app${extension}`))).toMatchObject({ name: "app" });
  });

  it("resolves a relative path against the working directory", () => {
    const dir = project({ "app.js": HANDLER_SOURCE });
    const relative = path.relative(process.cwd(), path.join(dir, "app.js"));
    expect(loadHandlerFile(relative).handlerFile).toBe(path.join(dir, "app.js"));
  });

  it("reports a missing file", async () => {
    const file = path.join(project({}), "missing.ts");
    await expectTemplateError(() => loadHandlerFile(file), { file }, "handler file not found");
  });

  it("reports a directory named like a handler as missing", async () => {
    const dir = project({ "dir.ts/inner.ts": HANDLER_SOURCE });
    const file = path.join(dir, "dir.ts");
    await expectTemplateError(() => loadHandlerFile(file), { file }, "handler file not found");
  });

  it.each(["handler.py", "handler", "template.yaml"])(
    "reports the unsupported extension of %s",
    async (name) => {
      const file = path.join(project({ [name]: "" }), name);
      await expectTemplateError(
        () => loadHandlerFile(file),
        { file },
        "is not a handler file",
        HANDLER_EXTENSIONS.join(", "),
      );
    },
  );
});
