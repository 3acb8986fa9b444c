// Contract cases for several nodes on one database: node rows, who holds a lease, claims of due work
// (each row to one node, taken over from dead nodes, bounded by free worker slots), claims made by a
// commit, and the lock across nodes. `peer` opens a second store on the same database, as a second
// node would.
import type { DueWork, InvocationLease } from "@dormouse/engine";
import { expect, it } from "vitest";
import type { ClaimQuery } from "../cluster.js";
import type { Store } from "../store.js";
import { T0, createDecision, executionRecord, updateDecision } from "./fixtures.js";
import type { ContractHarness } from "./store-contract.js";

const TTL = 10_000;

function node(nodeId: string, heartbeatAt: number) {
  return { nodeId, startedAt: T0, heartbeatAt, url: `http://${nodeId}:9014` };
}

function lease(epoch: number, nodeId?: string): InvocationLease {
  const l: InvocationLease = {
    epoch,
    requestId: `req-${epoch}`,
    nonce: "n",
    tokenSeq: 0,
    startedAt: T0,
    deadline: T0 + 30_000,
    progressed: false,
  };
  if (nodeId !== undefined) l.node = nodeId;
  return l;
}

function query(nodeId: string, now: number, fields: Partial<ClaimQuery> = {}): ClaimQuery {
  return { node: nodeId, now, aliveSince: now - TTL, limit: 100, free: new Map(), defaultFree: 8, ...fields };
}

const keys = (work: DueWork[]) => work.map((w) => `${w.kind}:${w.operationId}:${w.arn.slice(-6)}`).sort();

/** Executions of `functionName` with one due row each, due at T0 + i. */
async function dueRows(
  store: Store,
  count: number,
  fields: { functionName?: string; kind?: DueWork["kind"]; prefix?: string } = {},
): Promise<DueWork[]> {
  const work: DueWork[] = [];
  for (let i = 0; i < count; i++) {
    const e = executionRecord({
      name: `${fields.prefix ?? "due"}-${i}`,
      ...(fields.functionName && { functionName: fields.functionName }),
    });
    const w: DueWork = {
      arn: e.arn,
      kind: fields.kind ?? "wait",
      operationId: fields.kind === "invoke" ? "" : `op-${i}`,
      dueAt: T0 + i,
    };
    await store.commit(createDecision(e, { schedule: [w] }));
    work.push(w);
  }
  return work;
}

export function clusterCases(h: ContractHarness): void {
  it("keeps node rows: heartbeats refresh them, removal and pruning delete them", async () => {
    const { store } = await h.open();
    await store.heartbeat(node("a", T0));
    await store.heartbeat(node("b", T0 + 5));
    await store.heartbeat({ ...node("a", T0 + 10), url: "http://moved:1" });
    expect(await store.listNodes()).toStrictEqual([
      { nodeId: "a", startedAt: T0, heartbeatAt: T0 + 10, url: "http://moved:1" },
      node("b", T0 + 5),
    ]);
    expect(await store.pruneNodes(T0 + 6)).toBe(1);
    expect((await store.listNodes()).map((n) => n.nodeId)).toEqual(["a"]);
    await store.removeNode("a");
    await store.removeNode("never-there");
    expect(await store.listNodes()).toEqual([]);
  });

  it("finds the leases of nodes that are not alive, never the asking node's", async () => {
    const { store } = await h.open();
    const now = T0 + 60_000;
    await store.heartbeat(node("alive", now - 1_000));
    await store.heartbeat(node("stale", now - TTL - 1));
    const held = async (name: string, l?: InvocationLease) => {
      const e = executionRecord({ name, ...(l && { invocation: l, lastEpoch: l.epoch }) });
      await store.commit(createDecision(e));
      return e;
    };
    const byAlive = await held("by-alive", lease(1, "alive"));
    const byStale = await held("by-stale", lease(1, "stale"));
    const byGone = await held("by-gone", lease(3, "gone"));
    const legacy = await held("legacy", lease(1));
    const mine = await held("mine", lease(1, "me"));
    await held("idle");
    const orphans = async (except = "me") =>
      (await store.orphanedLeases(now - TTL, except)).sort((a, b) => (a.arn < b.arn ? -1 : 1));
    const expected = [
      { arn: byGone.arn, node: "gone" },
      { arn: byStale.arn, node: "stale" },
      { arn: legacy.arn },
    ].sort((a, b) => (a.arn < b.arn ? -1 : 1));
    expect(await orphans()).toStrictEqual(expected);

    // The stale node heartbeats again: its lease is its own again. A lease that ends is nobody's.
    await store.heartbeat(node("stale", now));
    await store.commit(updateDecision(byGone, { invocation: undefined }));
    expect((await orphans()).map((o) => o.arn)).toEqual([legacy.arn]);
    // A node that left cleanly frees its leases at once; asked by another node, "mine" is orphaned.
    await store.removeNode("alive");
    expect((await orphans("other")).map((o) => o.arn).sort()).toEqual(
      [byAlive.arn, legacy.arn, mine.arn].sort(),
    );
    // A lease moving to another node is recorded with it.
    await store.commit(updateDecision(byStale, { invocation: lease(2, "me"), lastEpoch: 2 }));
    expect((await orphans("other")).map((o) => o.arn)).toContain(byStale.arn);
    expect((await orphans("me")).map((o) => o.arn)).not.toContain(byStale.arn);
  });

  it("claims each due row for one node; two nodes claiming at once split the rows", async () => {
    const { store, peer } = await h.open();
    const other = await peer();
    const now = T0 + 1_000;
    await store.heartbeat(node("a", now));
    await store.heartbeat(node("b", now));
    const rows = await dueRows(store, 30);
    const later = (await dueRows(store, 1, { prefix: "later" }))[0]!;
    await store.commit(
      updateDecision(
        executionRecord({ name: "later-0" }),
        {},
        { schedule: [{ ...later, dueAt: now + 500 }] },
      ),
    );

    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 === 0 ? store : other).claimDueWork(query(i % 2 === 0 ? "a" : "b", now, { limit: 7 })),
      ),
    );
    const all = results.flatMap((r) => keys(r.work));
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(keys(rows));
    for (const r of results) expect(r.nextDueAt).toBe(now + 500);
    // Everything due is claimed by a live node: nothing is left for either of them.
    expect((await store.claimDueWork(query("a", now))).work).toEqual([]);
    expect((await other.claimDueWork(query("c", now))).work).toEqual([]);
    // Rows come back whole and earliest first.
    const first = results[0]!.work;
    expect(first.map((w) => w.dueAt)).toEqual([...first.map((w) => w.dueAt)].sort((x, y) => x - y));
    expect(first[0]).toStrictEqual(rows.find((r) => r.arn === first[0]!.arn));
  });

  it("takes over the claims of a node that is not alive; frees a node's claims on release", async () => {
    const { store } = await h.open();
    const now = T0 + 100_000;
    await store.heartbeat(node("dead", now - TTL - 1));
    await store.heartbeat(node("alive", now));
    const rows = await dueRows(store, 4);
    const claimed = await store.claimDueWork(query("dead", now - TTL - 10, { aliveSince: 0 }));
    expect(claimed.work).toHaveLength(4);
    // From the live node's point of view the claims are free; the dead node cannot claim them again.
    expect(keys((await store.claimDueWork(query("alive", now))).work)).toEqual(keys(rows));
    expect((await store.claimDueWork(query("dead", now, { aliveSince: now - 2 * TTL }))).work).toEqual([]);
    // Releasing some rows frees those; rows of another node are not released by this one.
    await store.releaseClaims("alive", [rows[0]!, { ...rows[1]!, kind: "retry" }]);
    await store.releaseClaims("third", [rows[2]!]);
    expect(keys((await store.claimDueWork(query("third", now))).work)).toEqual(keys([rows[0]!]));
    await store.releaseClaims("alive");
    expect(keys((await store.claimDueWork(query("third", now))).work)).toEqual(keys(rows.slice(1)));
    // A node's row gone (a clean shutdown) frees its claims as well.
    await store.removeNode("third");
    expect((await store.claimDueWork(query("alive", now))).work).toHaveLength(4);
  });

  it("claims invoke rows only up to the node's free worker slots per function", async () => {
    const { store } = await h.open();
    const now = T0 + 1_000;
    await store.heartbeat(node("a", now));
    await dueRows(store, 5, { functionName: "busy", kind: "invoke", prefix: "busy" });
    await dueRows(store, 4, { functionName: "idle", kind: "invoke", prefix: "idle" });
    await dueRows(store, 3, { functionName: "full", kind: "invoke", prefix: "full" });
    await dueRows(store, 2, { functionName: "full", kind: "wait", prefix: "timer" });
    const free = new Map([
      ["busy", 2],
      ["full", 0],
    ]);
    const first = await store.claimDueWork(query("a", now, { free, defaultFree: 3 }));
    const count = (prefix: string) => first.work.filter((w) => w.arn.includes(`/${prefix}-`)).length;
    expect([count("busy"), count("idle"), count("full"), count("timer")]).toEqual([2, 3, 0, 2]);
    // The rows left are there for a node with slots.
    const second = await store.claimDueWork(query("a", now, { free: new Map(), defaultFree: 8 }));
    expect(second.work).toHaveLength(3 + 1 + 3);
  });

  it("a commit claims the rows it schedules due by the claim; scheduling again frees a claim", async () => {
    const { store, peer } = await h.open();
    const other = await peer();
    const now = T0 + 1_000;
    await store.heartbeat(node("a", now));
    await store.heartbeat(node("b", now));
    const e = executionRecord({ name: "claimed" });
    const soon: DueWork = { arn: e.arn, kind: "invoke", operationId: "", dueAt: now };
    const later: DueWork = { arn: e.arn, kind: "wait", operationId: "w", dueAt: now + 5_000 };
    await store.commit(createDecision(e, { schedule: [soon, later] }), { node: "a", dueBy: now });
    // `soon` is a's; `later` is nobody's yet.
    expect((await other.claimDueWork(query("b", now))).work).toEqual([]);
    expect((await other.claimDueWork(query("b", now + 5_000))).work).toStrictEqual([later]);
    // b holds `later`; a decision scheduling it again (a timer re-armed) frees it for any node.
    const v2 = updateDecision(e, {}, { schedule: [{ ...later, dueAt: now + 6_000 }] });
    await other.commit(v2);
    expect((await store.claimDueWork(query("a", now + 6_000))).work).toStrictEqual([
      { ...later, dueAt: now + 6_000 },
    ]);
  });

  it("lets one holder at a time have a lock across the stores on one database", async () => {
    const { store, peer } = await h.open();
    const other = await peer();
    const log: string[] = [];
    const hold = (s: Store, who: string, lock = "functions") =>
      s.withLock(lock, async () => {
        log.push(`${who} in`);
        await new Promise((r) => setTimeout(r, 30));
        log.push(`${who} out`);
        return who;
      });
    const results = await Promise.all([hold(store, "a"), hold(other, "b"), hold(store, "c")]);
    expect(results).toEqual(["a", "b", "c"]);
    for (let i = 0; i < log.length; i += 2) expect(log[i + 1]).toBe(log[i]!.replace(" in", " out"));
    // A failing holder releases the lock; other names do not wait.
    await expect(
      other.withLock("functions", async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await hold(store, "d")).toBe("d");
    const outer = store.withLock("functions", () => other.withLock("collect", async () => "nested"));
    expect(await outer).toBe("nested");
  });
}
