// Contract cases for functions: content-addressed code, versions, aliases, collection.
import { expect, it } from "vitest";
import type { CodeBlob, CodeRevision } from "../function-records.js";
import { T0, createDecision, executionRecord } from "./fixtures.js";
import type { ContractHarness } from "./store-contract.js";

const blob = (hash: string, text: string): CodeBlob => ({ hash, bytes: new TextEncoder().encode(text) });
const revision = (id: string, blobs: string[], functionName = "orders"): CodeRevision => ({
  id,
  functionName,
  record: JSON.stringify({ id, note: "é ✓" }),
  blobs,
});

export function functionCases(h: ContractHarness): void {
  it("saves code idempotently and returns it byte for byte", async () => {
    const { store } = await h.open();
    const a = blob("ha", "export const a = 1;");
    const b = blob("hb", "\u0000binary\u00ff");
    await store.saveCode(revision("r1", ["ha", "hb"]), [a, b]);
    await store.saveCode(revision("r1", ["ha", "hb"]), [a, b]);
    await store.saveCode(revision("r2", ["ha"]), []); // blob already stored
    expect(await store.getCode("r1")).toStrictEqual(revision("r1", ["ha", "hb"]));
    expect(await store.getCode("r2")).toStrictEqual(revision("r2", ["ha"]));
    expect(await store.getCode("nope")).toBeUndefined();
    const got = await store.getBlobs(["hb", "ha", "missing"]);
    expect(got.sort((x, y) => x.hash.localeCompare(y.hash))).toStrictEqual([a, b]);
  });

  it("numbers versions per function, keeps $LATEST first, never reuses a number", async () => {
    const { store } = await h.open();
    await store.saveCode(revision("r1", []), []);
    await store.saveCode(revision("r2", []), []);
    await store.saveCode(revision("p1", [], "payments"), []);
    expect(await store.setLatest("orders", "r1", T0)).toStrictEqual({
      functionName: "orders",
      version: "$LATEST",
      codeId: "r1",
      publishedAt: T0,
    });
    expect((await store.publishVersion("orders", "r1", T0 + 1)).version).toBe("1");
    expect((await store.publishVersion("orders", "r2", T0 + 2)).version).toBe("2");
    expect((await store.publishVersion("payments", "p1", T0 + 3)).version).toBe("1");
    await store.setLatest("orders", "r2", T0 + 4);
    expect(await store.listFunctionVersions("orders")).toStrictEqual([
      { functionName: "orders", version: "$LATEST", codeId: "r2", publishedAt: T0 + 4 },
      { functionName: "orders", version: "1", codeId: "r1", publishedAt: T0 + 1 },
      { functionName: "orders", version: "2", codeId: "r2", publishedAt: T0 + 2 },
    ]);
    expect((await store.listFunctionVersions()).map((v) => `${v.functionName}:${v.version}`)).toStrictEqual([
      "orders:$LATEST",
      "orders:1",
      "orders:2",
      "payments:1",
    ]);
    await store.deleteFunctionVersion("orders", "1");
    expect((await store.publishVersion("orders", "r1", T0 + 5)).version).toBe("3");
    expect((await store.listFunctionVersions("orders")).map((v) => v.version)).toStrictEqual([
      "$LATEST",
      "2",
      "3",
    ]);
  });

  it("creates and moves aliases", async () => {
    const { store } = await h.open();
    await store.putAlias({ functionName: "orders", name: "live", version: "1", updatedAt: T0 });
    await store.putAlias({ functionName: "orders", name: "beta", version: "1", updatedAt: T0 });
    await store.putAlias({ functionName: "payments", name: "live", version: "4", updatedAt: T0 });
    await store.putAlias({ functionName: "orders", name: "live", version: "2", updatedAt: T0 + 1 });
    expect(await store.listAliases("orders")).toStrictEqual([
      { functionName: "orders", name: "beta", version: "1", updatedAt: T0 },
      { functionName: "orders", name: "live", version: "2", updatedAt: T0 + 1 },
    ]);
    expect(await store.listAliases()).toHaveLength(3);
  });

  it("collects code that no version and no execution references", async () => {
    const { store } = await h.open();
    await store.saveCode(revision("kept-by-version", ["shared", "v"]), [blob("shared", "s"), blob("v", "v")]);
    await store.saveCode(revision("kept-by-execution", ["shared", "e"]), [blob("e", "e")]);
    await store.saveCode(revision("garbage", ["shared", "g"]), [blob("g", "g")]);
    await store.publishVersion("orders", "kept-by-version", T0);
    await store.commit(createDecision(executionRecord({ name: "pinned", codeId: "kept-by-execution" })));
    expect(await store.collectCode()).toStrictEqual({ revisions: 1, blobs: 1 });
    expect(await store.getCode("garbage")).toBeUndefined();
    expect(await store.getCode("kept-by-version")).toBeDefined();
    expect(await store.getCode("kept-by-execution")).toBeDefined();
    expect((await store.getBlobs(["shared", "v", "e", "g"])).map((b) => b.hash).sort()).toStrictEqual([
      "e",
      "shared",
      "v",
    ]);
    expect(await store.collectCode()).toStrictEqual({ revisions: 0, blobs: 0 });
  });

  it("deletes a function with its versions and aliases; its pinned code stays", async () => {
    const { store } = await h.open();
    await store.saveCode(revision("r1", ["ha"]), [blob("ha", "a")]);
    await store.saveCode(revision("p1", [], "payments"), []);
    await store.setLatest("orders", "r1", T0);
    await store.publishVersion("orders", "r1", T0 + 1);
    await store.putAlias({ functionName: "orders", name: "live", version: "1", updatedAt: T0 });
    await store.setLatest("payments", "p1", T0);
    await store.putAlias({ functionName: "payments", name: "live", version: "1", updatedAt: T0 });
    await store.commit(createDecision(executionRecord({ name: "pinned", codeId: "r1" })));

    await store.deleteFunction("orders");
    expect(await store.listFunctionVersions("orders")).toStrictEqual([]);
    expect(await store.listAliases("orders")).toStrictEqual([]);
    expect((await store.listFunctionVersions()).map((v) => v.functionName)).toStrictEqual(["payments"]);
    expect(await store.listAliases()).toHaveLength(1);
    await store.collectCode();
    expect(await store.getCode("r1")).toBeDefined();
    // Created again, it starts from version 1, as a function deleted and created on Lambda does.
    await store.setLatest("orders", "r1", T0 + 2);
    expect((await store.publishVersion("orders", "r1", T0 + 3)).version).toBe("1");
  });

  it("keeps functions across a reopen", async () => {
    const subject = await h.open();
    await subject.store.saveCode(revision("r1", ["ha"]), [blob("ha", "a")]);
    await subject.store.publishVersion("orders", "r1", T0);
    await subject.store.putAlias({ functionName: "orders", name: "live", version: "1", updatedAt: T0 });
    await subject.store.close();
    const store = await subject.reopen();
    expect(await store.getCode("r1")).toStrictEqual(revision("r1", ["ha"]));
    expect(await store.listFunctionVersions("orders")).toHaveLength(1);
    expect(await store.listAliases("orders")).toHaveLength(1);
  });
}
