// `dormouse deploy` to a running server (issue #3): the real CLI publishes a changed template's
// functions without a restart; a waiting execution keeps its code; broken code is refused.
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { InvokeCommand, SendDurableExecutionCallbackSuccessCommand } from "@aws-sdk/client-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, waitForEvent } from "../support/harness.js";
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
});
