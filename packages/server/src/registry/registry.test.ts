import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as engine from "@dormouse/engine";
import type { EngineContext } from "@dormouse/engine";
import { DEFAULT_ARN_CONTEXT, DEFAULT_LIMITS } from "@dormouse/protocol";
import type { FunctionDefinition } from "@dormouse/runtime";
import { openSqliteStore } from "@dormouse/store";
import type { SqliteStore } from "@dormouse/store";
import { afterEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { Runtime } from "@dormouse/runtime";
import { FunctionRegistry } from "./registry.js";

const opened: { dir: string; store: SqliteStore }[] = [];
afterEach(async () => {
  for (const { dir, store } of opened.splice(0)) {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dormouse-registry-"));
  const store = await openSqliteStore({ file: path.join(dir, "data", "dormouse.db") });
  opened.push({ dir, store });
  fs.mkdirSync(path.join(dir, "src"));
  let now = 1_700_000_000_000;
  const registry = await FunctionRegistry.open({
    store,
    codeRoot: path.join(dir, "data", "code"),
    clock: () => now++,
  });
  const write = (text: string) => fs.writeFileSync(path.join(dir, "src", "app.mjs"), text);
  const def = (overrides: Partial<FunctionDefinition> = {}): FunctionDefinition => ({
    name: "orders",
    version: "$LATEST",
    handlerFile: path.join(dir, "src", "app.mjs"),
    handlerExport: "handler",
    handler: "app.handler",
    runtime: "nodejs20.x",
    codeDir: path.join(dir, "src"),
    timeoutSeconds: 30,
    memoryMb: 128,
    environment: {},
    durable: { executionTimeoutSeconds: 60, retentionDays: 1 },
    autoPublishAlias: "live",
    ...overrides,
  });
  return { dir, store, registry, write, def };
}

function ctx(registry: FunctionRegistry): EngineContext {
  let n = 0;
  return {
    now: 1_700_000_000_000,
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
    newSecret: () => `secret${++n}`,
    limits: DEFAULT_LIMITS,
    arnContext: DEFAULT_ARN_CONTEXT,
    resolveFunction: (ref) => registry.resolve(ref),
    invocationRetry: engine.DEFAULT_INVOCATION_RETRY,
  };
}

/** Polls `ok` (an event we cannot subscribe to, like a worker leaving) for up to 20 s. */
async function until(what: string, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("FunctionRegistry", () => {
  it("publishes a version only when code or configuration changed, and moves the alias", async () => {
    const { registry, write, def } = await setup();
    write("export const handler = async () => 1;\n");
    const [first] = await registry.publish([def()]);
    expect(first).toMatchObject({
      changed: true,
      publishedVersion: "1",
      alias: { name: "live", version: "1" },
    });
    const [same] = await registry.publish([def()]);
    expect(same).toMatchObject({ changed: false, alias: { name: "live", version: "1" } });
    expect(same).not.toHaveProperty("publishedVersion");

    write("export const handler = async () => 2;\n");
    expect((await registry.publish([def()]))[0]).toMatchObject({
      publishedVersion: "2",
      alias: { version: "2" },
    });
    expect((await registry.publish([def({ timeoutSeconds: 31 })]))[0]).toMatchObject({
      publishedVersion: "3",
    });
    expect(registry.versionsOf("orders").map((v) => v.version)).toStrictEqual(["$LATEST", "1", "2", "3"]);
  });

  it("resolves names, qualifiers, aliases and ARNs the way Lambda does", async () => {
    const { registry, write, def } = await setup();
    write("export const handler = async () => 1;\n");
    await registry.publish([def()]);
    write("export const handler = async () => 2;\n");
    await registry.publish([def({ autoPublishAlias: "beta" })]);
    const v = (ref: string, q?: string) => registry.resolve(ref, q)?.version;
    expect(v("orders")).toBe("$LATEST");
    expect(v("orders:$LATEST")).toBe("$LATEST");
    expect(v("orders:1")).toBe("1");
    expect(v("orders", "2")).toBe("2");
    expect(v("orders:live")).toBe("1");
    expect(v("orders:beta")).toBe("2");
    expect(v("arn:aws:lambda:us-east-1:123456789012:function:orders:live")).toBe("1");
    expect(v("123456789012:function:orders:beta")).toBe("2");
    expect(v("orders:3")).toBeUndefined();
    expect(v("orders:nope")).toBeUndefined();
    expect(v("other")).toBeUndefined();
    expect(() => registry.resolve("orders:1", "2")).toThrow(/conflicts/);
    expect(registry.resolve("orders")?.codeId).toBe(registry.resolve("orders:2")?.codeId);
    expect(registry.resolve("orders:1")?.codeId).not.toBe(registry.resolve("orders:2")?.codeId);
  });

  it("survives a restart: versions and aliases come back from the store", async () => {
    const { registry, store, write, def, dir } = await setup();
    write("export const handler = async () => 1;\n");
    await registry.publish([def()]);
    const again = await FunctionRegistry.open({ store, codeRoot: path.join(dir, "data", "code") });
    expect(again.resolve("orders:live")).toStrictEqual(registry.resolve("orders:live"));
    expect(again.aliases()).toStrictEqual([{ functionName: "orders", name: "live", version: "1" }]);
  });

  it("runs a version from its snapshot even after the files on disk are gone", async () => {
    const { registry, write, def, dir } = await setup();
    write("export const handler = async () => 1;\n");
    await registry.publish([def()]);
    fs.rmSync(path.join(dir, "src"), { recursive: true });
    const materialised = await registry.definition({ functionName: "orders", version: "1" });
    expect(materialised?.codeDir.startsWith(path.join(dir, "data", "code"))).toBe(true);
    expect(fs.readFileSync(materialised!.handlerFile, "utf8")).toBe(
      "export const handler = async () => 1;\n",
    );
  });

  it("collects a version once no execution within retention uses it, then its code", async () => {
    const { registry, store, write, def } = await setup();
    write("export const handler = async () => 1;\n");
    await registry.publish([def()]);
    const start = engine.startExecution({ fn: registry.resolve("orders:1")!, payload: "{}" }, ctx(registry));
    await store.commit(start);
    write("export const handler = async () => 2;\n");
    await registry.publish([def()]);
    write("export const handler = async () => 3;\n");
    await registry.publish([def()]); // version 3: live moves off 1 and 2

    // 2 is unused: collected. 1 is kept while its execution exists; 3 is the newest and aliased.
    expect(await registry.collect()).toMatchObject({ versions: ["orders:2"], revisions: 1, blobs: 1 });
    expect(registry.versionsOf("orders").map((v) => v.version)).toStrictEqual(["$LATEST", "1", "3"]);

    // Retention ends: the execution is purged, and version 1 goes with its code.
    const state = await store.loadExecution(start.execution.arn);
    await store.commit({ ...new engine.Draft(state!, ctx(registry)).finish(), purge: true });
    expect(await registry.collect()).toMatchObject({ versions: ["orders:1"], revisions: 1, blobs: 1 });
    expect(registry.resolve("orders:1")).toBeUndefined();
    expect(registry.resolve("orders:live")?.version).toBe("3");
  });

  it("removes the directories of collected code once no worker runs from them, and stale temporary ones", async () => {
    const { registry, write, def, dir } = await setup();
    const codeRoot = path.join(dir, "data", "code");
    const runtime = new Runtime({ apiEndpoint: "http://127.0.0.1:9", onLog: () => {} });
    const users = {
      using: (d: string) => runtime.usesCodeDir(d),
      release: (d: string) => runtime.releaseCodeDir(d),
    };
    try {
      write("export const handler = async () => 1;\n");
      await registry.publish([def()]);
      const one = (await registry.definition({ functionName: "orders", version: "1" }))!;
      // A warm worker now runs version 1 from its directory.
      const call = { requestId: "r1", payload: "{}", deadline: Date.now() + 30_000 };
      expect(await runtime.invoke(one, call)).toStrictEqual({ kind: "returned", payload: "1" });
      write("export const handler = async () => 2;\n");
      await registry.publish([def()]);
      const two = (await registry.definition({ functionName: "orders", version: "2" }))!;
      write("export const handler = async () => 3;\n");
      await registry.publish([def()]);
      const three = (await registry.definition({ functionName: "orders", version: "3" }))!;

      // A writer that crashed left a temporary directory; one that is alive (our parent) is writing.
      const dead = spawnSync(process.execPath, ["-e", ""]).pid;
      const stale = path.join(codeRoot, `abc.tmp-${dead}-00ff00ff`);
      const writing = path.join(codeRoot, `def.tmp-${process.ppid}-00ff00ff`);
      for (const d of [stale, writing]) fs.mkdirSync(d, { recursive: true });

      expect(await registry.collect(users)).toMatchObject({
        versions: ["orders:1", "orders:2"],
        directories: 2,
      });
      expect([
        fs.existsSync(one.codeDir),
        fs.existsSync(two.codeDir),
        fs.existsSync(three.codeDir),
      ]).toStrictEqual([
        true, // its worker is still there: kept, and its pool told to let it go
        false,
        true,
      ]);
      expect([fs.existsSync(stale), fs.existsSync(writing)]).toStrictEqual([false, true]);
      await until("the idle worker of version 1 to leave", () => !runtime.usesCodeDir(one.codeDir));
      expect(await registry.collect(users)).toMatchObject({ versions: [], directories: 1 });
      expect(fs.existsSync(one.codeDir)).toBe(false);
      expect(fs.readFileSync(three.handlerFile, "utf8")).toContain("3");
      // The server's own install provides the SDK to every materialised revision.
      expect(fs.existsSync(path.join(codeRoot, "node_modules", "@aws", "durable-execution-sdk-js"))).toBe(
        true,
      );
    } finally {
      await runtime.close();
    }
  });
});
