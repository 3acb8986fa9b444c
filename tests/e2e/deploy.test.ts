// `dormouse deploy` to a running server (issue #3): the real CLI publishes a changed template's
// functions without a restart; a waiting execution keeps its code; broken code is refused.
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  GetFunctionCommand,
  InvokeCommand,
  SendDurableExecutionCallbackSuccessCommand,
} from "@aws-sdk/client-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, tempDir, waitForEvent } from "../support/harness.js";
import { callbackIdOf, finished, raw } from "../support/e2e.js";
import { VERSIONED_TEMPLATE, pinnedHandler, tempProject } from "../support/projects.js";

const BIN = path.join(fileURLToPath(new URL("../..", import.meta.url)), "packages/cli/bin/dormouse.js");

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function deploy(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, "deploy", ...args], { timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("dormouse deploy", () => {
  it("publishes new versions to a running server; waiting executions keep their code", async () => {
    const served = tempProject({ "template.yaml": VERSIONED_TEMPLATE, "src/app.mjs": pinnedHandler("v1") });
    const source = tempProject({ "template.yaml": VERSIONED_TEMPLATE, "src/app.mjs": pinnedHandler("v2") });
    cleanup.push(
      () => served.remove(),
      () => source.remove(),
    );
    const t = await startTestServer({ template: served.template });
    cleanup.push(() => t.close());

    const started = await t.client.send(
      new InvokeCommand({
        FunctionName: "pinned-dev:live",
        InvocationType: "Event",
        Payload: new TextEncoder().encode("{}"),
      }),
    );
    const arn = started.DurableExecutionArn!;
    const callbackId = await callbackIdOf(t.client, arn);
    await waitForEvent(t.client, arn, (e) => e.EventType === "InvocationCompleted");

    const first = await deploy(["--template", source.template, "--endpoint", t.url]);
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toContain("↻ pinned-dev: published version 2, live → 2");
    const again = await deploy(["--template", source.template, "--endpoint", t.url]);
    expect(again.stdout).toContain("= unchanged: pinned-dev");
    expect(t.server.registry.resolve("pinned-dev:live")?.version).toBe("2");

    source.write("src/app.mjs", "export const nothing = 1;\n");
    const broken = await deploy(["--template", source.template, "--endpoint", t.url]);
    expect(broken.code).toBe(1);
    expect(broken.stderr + broken.stdout).toContain('has no export named "handler"');
    expect(t.server.registry.resolve("pinned-dev:live")?.version).toBe("2");

    await t.client.send(
      new SendDurableExecutionCallbackSuccessCommand({
        CallbackId: callbackId,
        Result: new TextEncoder().encode("ok"),
      }),
    );
    const { execution } = await finished(t.client, arn);
    expect(JSON.parse(execution.Result!)).toMatchObject({ startedOn: "v1", finishedOn: "v1" });
  });

  it("refuses a bundle whose blobs do not match their hashes, naming the field", async () => {
    const served = tempProject({ "template.yaml": VERSIONED_TEMPLATE, "src/app.mjs": pinnedHandler("v1") });
    cleanup.push(() => served.remove());
    const t = await startTestServer({ template: served.template });
    cleanup.push(() => t.close());
    const hash = "0".repeat(64);
    const json = { "content-type": "application/json" };
    const res = await raw(t.url, "POST", "/dormouse-api/deploy", {
      headers: json,
      body: JSON.stringify({ functions: [{ revision: {} }], blobs: { [hash]: "aGVsbG8=" } }),
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain(`blobs.${hash}`);
    const empty = await raw(t.url, "POST", "/dormouse-api/deploy", { headers: json, body: "{}" });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain("functions");
  });

  it("deploys from another directory with the code's own dependencies; the server provides the SDK", async () => {
    const extra = `${VERSIONED_TEMPLATE}
  Extra:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: extra
      Handler: app.handler
`;
    const served = tempProject({ "template.yaml": extra, "src/app.mjs": pinnedHandler("v1") });
    cleanup.push(() => served.remove());
    const t = await startTestServer({ template: served.template });
    cleanup.push(() => t.close());

    // A project elsewhere with its own node_modules (no SDK there: the server provides it), a
    // dependency with a dependency of its own, and a development dependency that is not sent.
    const source = tempDir("dormouse-elsewhere-");
    cleanup.push(() => fs.rmSync(source, { recursive: true, force: true }));
    const files: Record<string, string> = {
      "template.yaml": VERSIONED_TEMPLATE,
      "package.json": JSON.stringify({
        type: "module",
        dependencies: { "@aws/durable-execution-sdk-js": "^2.4.0", "shout-lib": "1.0.0" },
        devDependencies: { "dev-tool": "1.0.0" },
      }),
      "src/app.mjs": `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { shout } from "shout-lib";
export const handler = withDurableExecution(async (event, ctx) => ctx.step("shout", async () => shout("deployed")));
`,
      "node_modules/shout-lib/package.json": JSON.stringify({
        name: "shout-lib",
        type: "module",
        main: "index.js",
        dependencies: { "exclaim-lib": "1.0.0" },
      }),
      "node_modules/shout-lib/index.js": `import { exclaim } from "exclaim-lib";\nexport const shout = (s) => exclaim(s.toUpperCase());\n`,
      "node_modules/exclaim-lib/package.json": JSON.stringify({
        name: "exclaim-lib",
        type: "module",
        main: "index.js",
      }),
      "node_modules/exclaim-lib/index.js": `export const exclaim = (s) => s + "!";\n`,
      "node_modules/dev-tool/index.js": "export const unused = true;\n",
    };
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(source, file)), { recursive: true });
      fs.writeFileSync(path.join(source, file), text);
    }

    const deployed = await deploy(["--template", path.join(source, "template.yaml"), "--endpoint", t.url]);
    expect(deployed).toMatchObject({ code: 0 });
    expect(deployed.stdout).toContain("↻ pinned-dev: published version 2, live → 2");
    expect(deployed.stdout).toContain("− extra: removed");

    // Nothing of the client's directory is needed any more.
    fs.rmSync(source, { recursive: true, force: true });
    const out = await t.client.send(
      new InvokeCommand({ FunctionName: "pinned-dev:live", Payload: new TextEncoder().encode("{}") }),
    );
    expect(out.FunctionError).toBeUndefined();
    expect(JSON.parse(new TextDecoder().decode(out.Payload))).toBe("DEPLOYED!");

    // GetFunction hands out what version 2 runs, as a zip: the code and its run-time dependencies.
    const fn = await t.client.send(new GetFunctionCommand({ FunctionName: "pinned-dev", Qualifier: "live" }));
    expect(fn.Code?.RepositoryType).toBe("S3");
    const archive = await fetch(fn.Code!.Location!);
    expect(archive.headers.get("content-type")).toBe("application/zip");
    const zipFile = path.join(tempDir(), "code.zip");
    cleanup.push(() => fs.rmSync(path.dirname(zipFile), { recursive: true, force: true }));
    fs.writeFileSync(zipFile, Buffer.from(await archive.arrayBuffer()));
    const listed = execFileSync("unzip", ["-Z1", zipFile], { encoding: "utf8" }).trim().split("\n").sort();
    expect(listed).toStrictEqual([
      "app.mjs", // CodeUri is src/
      "node_modules/exclaim-lib/index.js",
      "node_modules/exclaim-lib/package.json",
      "node_modules/shout-lib/index.js",
      "node_modules/shout-lib/package.json",
      "package.json", // the nearest one above: its "type" decides how Node loads app.mjs
    ]);

    // A client sends only the files the server lacks.
    const known = createHash("sha256").update(files["node_modules/exclaim-lib/index.js"]!).digest("hex");
    const unknown = "f".repeat(64);
    const asked = await raw(t.url, "POST", "/dormouse-api/deploy/missing", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ blobs: [known, unknown] }),
    });
    expect(asked.json).toStrictEqual({ missing: [unknown] });
  });
});
