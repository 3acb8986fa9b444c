// Versions, aliases and pinning (issue #3): an execution replays on the code it started on, even
// after the code on disk changed or was deleted; new executions run the new code; aliases move.
import fs from "node:fs";
import path from "node:path";
import {
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  SendDurableExecutionCallbackSuccessCommand,
} from "@aws-sdk/client-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { startServer } from "@dormouse/server";
import type { ReloadResult } from "@dormouse/server";
import {
  eventually,
  lambdaClient,
  startTestServer,
  tempDir,
  testDatabase,
  waitForEvent,
} from "../support/harness.js";
import type { TestServer } from "../support/harness.js";
import { callbackIdOf, expectAwsError, finished, getExecution, raw } from "../support/e2e.js";
import { VERSIONED_TEMPLATE, pinnedHandler, tempProject } from "../support/projects.js";
import type { TempProject } from "../support/projects.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(): Promise<{ t: TestServer; project: TempProject }> {
  const project = tempProject({ "template.yaml": VERSIONED_TEMPLATE, "src/app.mjs": pinnedHandler("v1") });
  cleanup.push(() => project.remove());
  const t = await startTestServer({ template: project.template });
  cleanup.push(() => t.close());
  return { t, project };
}

/** Starts an execution and waits until it is hibernating on its callback; returns arn and id. */
async function startWaiting(t: TestServer, fn: string): Promise<{ arn: string; callbackId: string }> {
  const out = await t.client.send(
    new InvokeCommand({ FunctionName: fn, InvocationType: "Event", Payload: new TextEncoder().encode("{}") }),
  );
  const arn = out.DurableExecutionArn!;
  const callbackId = await callbackIdOf(t.client, arn);
  await waitForEvent(t.client, arn, (e) => e.EventType === "InvocationCompleted");
  return { arn, callbackId };
}

async function complete(t: TestServer, w: { arn: string; callbackId: string }, answer: string) {
  await t.client.send(
    new SendDurableExecutionCallbackSuccessCommand({
      CallbackId: w.callbackId,
      Result: new TextEncoder().encode(answer),
    }),
  );
  const { execution } = await finished(t.client, w.arn);
  expect(execution.Status).toBe("SUCCEEDED");
  return { execution, result: JSON.parse(execution.Result!) as Record<string, string> };
}

describe("versions and pinning", () => {
  it("replays a waiting execution on the code it started on; new executions run the new code", async () => {
    const { t, project } = await setup();
    expect(t.server.published).toMatchObject([
      { name: "pinned-dev", changed: true, publishedVersion: "1", alias: { name: "live", version: "1" } },
    ]);
    const onLatest = await startWaiting(t, "pinned-dev");
    const onAlias = await startWaiting(t, "pinned-dev:live");

    project.write("src/app.mjs", pinnedHandler("v2"));
    const reloaded = await t.server.reload();
    expect(reloaded).toMatchObject({
      ok: true,
      rejected: [],
      published: [{ name: "pinned-dev", changed: true, publishedVersion: "2", alias: { version: "2" } }],
    });
    const newer = await startWaiting(t, "pinned-dev");
    const onNewAlias = await startWaiting(t, "pinned-dev:live");
    const onOne = await startWaiting(t, "pinned-dev:1");

    // The code on disk is gone: replays run from the server's snapshots.
    fs.rmSync(path.join(project.dir, "src"), { recursive: true });

    const old = await complete(t, onLatest, "a");
    expect(old.result).toEqual({ startedOn: "v1", finishedOn: "v1", answer: "a" });
    expect(old.execution.Version).toBe("$LATEST");
    expect((await complete(t, onAlias, "b")).result).toMatchObject({ finishedOn: "v1" });
    expect((await complete(t, newer, "c")).result).toEqual({
      startedOn: "v2",
      finishedOn: "v2",
      answer: "c",
    });
    const aliased = await complete(t, onNewAlias, "d");
    expect(aliased.result).toMatchObject({ startedOn: "v2", finishedOn: "v2" });
    expect(aliased.execution.Version).toBe("2");
    expect((await complete(t, onOne, "e")).result).toMatchObject({ startedOn: "v1", finishedOn: "v1" });
    expect((await getExecution(t.client, onOne.arn)).Version).toBe("1");
  });

  it("publishes nothing when nothing changed, and keeps the old version when the change does not load", async () => {
    const { t, project } = await setup();
    expect(await t.server.reload()).toMatchObject({ ok: true, published: [{ changed: false }] });

    project.write("src/app.mjs", "export const handler = async () => {\n  return 1 +;\n};\n");
    const broken = await t.server.reload();
    expect(broken).toMatchObject({ ok: true, published: [], rejected: [{ name: "pinned-dev" }] });
    const message = broken.ok ? broken.rejected[0]!.error.ErrorMessage : "";
    expect(message).toContain(`${path.join(project.dir, "src", "app.mjs")}:2`);

    // Still serving version 1.
    const w = await startWaiting(t, "pinned-dev:live");
    expect((await complete(t, w, "x")).result).toMatchObject({ finishedOn: "v1" });
    expect((await getExecution(t.client, w.arn)).Version).toBe("1");

    project.write("template.yaml", VERSIONED_TEMPLATE.replace("Handler: app.handler", "Handler: app.nope"));
    project.write("src/app.mjs", pinnedHandler("v3"));
    expect(await t.server.reload()).toMatchObject({ rejected: [{ name: "pinned-dev" }] });

    project.write("template.yaml", "Resources:\n  Pinned:\n    Type: [unclosed\n");
    const unreadable = await t.server.reload();
    expect(unreadable).toMatchObject({ ok: false });
    expect(unreadable.ok ? "" : unreadable.error).toContain("template.yaml");
  });
});

describe("the Lambda function APIs for versions and aliases", () => {
  it("lists versions and aliases, gets an alias, publishes a version, resolves qualifiers", async () => {
    const { t, project } = await setup();
    project.write("src/app.mjs", pinnedHandler("v2"));
    project.write("template.yaml", VERSIONED_TEMPLATE.replace("Timeout: 30", "Timeout: 45"));
    await t.server.reload();

    const listed = await t.client.send(new ListVersionsByFunctionCommand({ FunctionName: "pinned-dev" }));
    expect(listed.Versions?.map((v) => [v.Version, v.Timeout, v.FunctionArn?.split(":").at(-1)])).toEqual([
      ["$LATEST", 45, "$LATEST"],
      ["1", 30, "1"],
      ["2", 45, "2"],
    ]);
    expect(listed.Versions?.[1]?.DurableConfig).toEqual({ ExecutionTimeout: 600, RetentionPeriodInDays: 1 });

    const aliases = await t.client.send(new ListAliasesCommand({ FunctionName: "pinned-dev" }));
    expect(aliases.Aliases).toEqual([
      expect.objectContaining({
        Name: "live",
        FunctionVersion: "2",
        AliasArn: expect.stringMatching(/:function:pinned-dev:live$/),
      }),
    ]);
    const alias = await t.client.send(new GetAliasCommand({ FunctionName: "pinned-dev", Name: "live" }));
    expect(alias.FunctionVersion).toBe("2");
    const missing = await t.client
      .send(new GetAliasCommand({ FunctionName: "pinned-dev", Name: "nope" }))
      .catch((e: Error) => e);
    expect((missing as Error).name).toBe("ResourceNotFoundException");

    const config = await t.client.send(
      new GetFunctionConfigurationCommand({ FunctionName: "pinned-dev", Qualifier: "1" }),
    );
    expect([config.Version, config.Timeout]).toEqual(["1", 30]);
    const viaArn = await t.client.send(
      new GetFunctionConfigurationCommand({
        FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:pinned-dev:live",
      }),
    );
    expect([viaArn.Version, viaArn.Timeout]).toEqual(["2", 45]);

    // GetFunction: the configuration, and where to download the code that version runs (a zip).
    const one = await t.client.send(new GetFunctionCommand({ FunctionName: "pinned-dev", Qualifier: "1" }));
    expect(one.Configuration).toMatchObject({
      Version: "1",
      Timeout: 30,
      DurableConfig: { ExecutionTimeout: 600 },
    });
    expect(one.Configuration?.Environment).toEqual({ Variables: {} });
    expect(one.Configuration?.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(one.Code).toEqual({
      RepositoryType: "S3",
      Location: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/dormouse-api\/code\/[0-9a-f]{64}\.zip$/),
    });
    const latest = await t.client.send(new GetFunctionCommand({ FunctionName: "pinned-dev" }));
    expect(latest.Code?.Location).not.toBe(one.Code?.Location);
    const archive = await fetch(one.Code!.Location!);
    expect([archive.status, archive.headers.get("content-type")]).toEqual([200, "application/zip"]);
    const bytes = Buffer.from(await archive.arrayBuffer());
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from("PK\x03\x04", "latin1"));
    expect(bytes.includes(Buffer.from('"v1"'))).toBe(false); // deflated, not stored as text
    expectAwsError(
      await raw(t.url, "GET", `/dormouse-api/code/${"0".repeat(64)}.zip`),
      404,
      "ResourceNotFoundException",
    );

    // $LATEST already is version 2: publishing again returns it; a change makes version 3.
    expect((await t.client.send(new PublishVersionCommand({ FunctionName: "pinned-dev" }))).Version).toBe(
      "2",
    );
    project.write("src/app.mjs", pinnedHandler("v3"));
    project.write(
      "template.yaml",
      VERSIONED_TEMPLATE.replace("AutoPublishAlias: live", "Description: no alias"),
    );
    expect(await t.server.reload()).toMatchObject({ published: [{ changed: true }] });
    expect(t.server.registry.resolve("pinned-dev:live")?.version).toBe("2");
    expect((await t.client.send(new PublishVersionCommand({ FunctionName: "pinned-dev" }))).Version).toBe(
      "3",
    );

    const functions = await t.client.send(new ListFunctionsCommand({}));
    expect(functions.Functions?.map((f) => `${f.FunctionName}:${f.Version}`)).toEqual(["pinned-dev:$LATEST"]);
  });
});

describe("hot reload (dormouse dev)", () => {
  it("publishes a saved change within a second; a broken save keeps the previous version serving", async () => {
    const project = tempProject({ "template.yaml": VERSIONED_TEMPLATE, "src/app.mjs": pinnedHandler("v1") });
    cleanup.push(() => project.remove());
    const database = await testDatabase();
    cleanup.push(() => database.drop());
    const reloads: ReloadResult[] = [];
    const server = await startServer(
      {
        mode: "dev",
        template: project.template,
        port: 0,
        host: "127.0.0.1",
        dataDir: tempDir(),
        database: database.url,
        logLevel: "silent",
        watch: true,
      },
      { onReload: (r) => reloads.push(r) },
    );
    const client = lambdaClient(server.url);
    cleanup.push(async () => {
      client.destroy();
      await server.close();
    });
    const t = { server, client, url: server.url, dataDir: "", close: async () => {} };
    const waiting = await startWaiting(t, "pinned-dev");

    const saved = Date.now();
    project.write("src/app.mjs", pinnedHandler("v2"));
    const published = await eventually("a reload that publishes version 2", async () =>
      reloads.find((r) => r.ok && r.published.some((p) => p.publishedVersion === "2")),
    );
    const reloadMs = Date.now() - saved;
    expect(published).toMatchObject({ published: [{ alias: { name: "live", version: "2" } }] });
    console.log(`hot reload published version 2 ${reloadMs} ms after the save`);

    project.write("src/app.mjs", "export const handler = async () => {\n  return 1 +;\n};\n");
    const rejected = await eventually("a reload that rejects the broken save", async () =>
      reloads.find((r) => r.ok && r.rejected.length > 0),
    );
    expect(rejected.ok && rejected.rejected[0]!.error.ErrorMessage).toContain("app.mjs:2");
    expect(server.registry.resolve("pinned-dev:live")?.version).toBe("2");

    const fresh = await startWaiting(t, "pinned-dev");
    expect((await complete(t, fresh, "new")).result).toMatchObject({ startedOn: "v2", finishedOn: "v2" });
    expect((await complete(t, waiting, "old")).result).toMatchObject({ startedOn: "v1", finishedOn: "v1" });
  });
});
