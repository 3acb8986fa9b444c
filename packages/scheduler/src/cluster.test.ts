// Several orchestrators on one database, in one process: each is a node with its own store
// connection (a real SQLite file), its own worker slots and a bus between them. Only the function
// runtime is scripted (a port): each node's invocations run a small durable "function" that
// checkpoints through that node, as a worker would. The cross-process version of these, with real
// workers on PostgreSQL, is tests/cluster/.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { InvocationResult, ResolvedFunction } from "@dormouse/engine";
import type { InvocationEvent, Operation, OperationUpdate } from "@dormouse/protocol";
import { openSqliteStore, type SqliteStore } from "@dormouse/store";
import { afterEach, describe, expect, it } from "vitest";
import { ClusterBus, InProcessHub } from "./cluster-bus.js";
import { Orchestrator } from "./orchestrator.js";
import type { FunctionCatalog, InvokeCall } from "./ports.js";
import { silentLogger } from "./ports.js";

const FN: ResolvedFunction = {
  functionName: "orders",
  version: "$LATEST",
  durable: true,
  executionTimeoutSeconds: 600,
  retentionDays: 1,
  functionTimeoutSeconds: 300,
};
const catalog: FunctionCatalog = {
  resolve: (ref) => (ref.startsWith("orders") ? FN : undefined),
  list: () => [],
};
const CALLBACK_ID = "c9e6e7b69f98f516";

/** What a node's runtime does with an invocation: run `script` against that node's API. */
type Script = (event: InvocationEvent, node: Node) => Promise<InvocationResult>;

interface Node {
  name: string;
  orch: Orchestrator;
  store: SqliteStore;
  calls: InvokeCall[];
}

const returned = (output: object): InvocationResult => ({
  kind: "returned",
  payload: JSON.stringify(output),
});

/** waitForCallback: start the callback on the first invocation; succeed with its result once it has one. */
const awaitCallback: Script = async (event, node) => {
  const cb = event.InitialExecutionState.Operations.find((op: Operation) => op.Id === CALLBACK_ID);
  if (cb?.Status === "SUCCEEDED")
    return returned({ Status: "SUCCEEDED", Result: cb.CallbackDetails?.Result });
  if (!cb)
    await checkpoint(node, event, [{ Id: CALLBACK_ID, Type: "CALLBACK", Action: "START", Name: "cb" }]);
  return returned({ Status: "PENDING" });
};

async function checkpoint(node: Node, event: InvocationEvent, updates: OperationUpdate[]) {
  return node.orch.checkpoint(event.DurableExecutionArn, {
    token: event.CheckpointToken,
    updates,
    bodyHash: JSON.stringify(updates),
  });
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function cluster(
  names: string[],
  script: Script,
  opts: { leaseTtlMs?: number; pollMs?: number; capacity?: number } = {},
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dormouse-cluster-"));
  const file = path.join(dir, "db.sqlite");
  const hub = new InProcessHub();
  const nodes: Node[] = [];
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  for (const name of names) {
    const store = await openSqliteStore({ file });
    const calls: InvokeCall[] = [];
    const node: Node = { name, store, calls, orch: undefined as unknown as Orchestrator };
    node.orch = new Orchestrator({
      store,
      functions: catalog,
      nodeId: name,
      invoker: {
        capacity: () => opts.capacity ?? 8,
        invoke: async (_fn, call) => {
          calls.push(call);
          return script(JSON.parse(call.payload) as InvocationEvent, node);
        },
      },
      cluster: {
        bus: new ClusterBus(hub.channel(), name, silentLogger),
        leaseTtlMs: opts.leaseTtlMs ?? 10_000,
        // Long: what these tests see arrives by notice, not by polling.
        pollMs: opts.pollMs ?? 60_000,
      },
    });
    cleanups.push(async () => {
      await node.orch.close();
      await store.close();
    });
    await node.orch.start({ url: `http://${name}` });
    nodes.push(node);
  }
  return nodes;
}

async function callbackId(node: Node, arn: string): Promise<string> {
  for (;;) {
    const op = (await node.store.loadExecution(arn))?.operations.get(CALLBACK_ID);
    if (op?.CallbackDetails?.CallbackId) return op.CallbackDetails.CallbackId;
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("orchestrators sharing one database", () => {
  it("resumes on the node that took the callback, and wakes the waiter on the node that started it", async () => {
    const [a, b] = await cluster(["a", "b"], awaitCallback);
    const { execution } = await a!.orch.startExecution({ fn: FN, payload: "{}" });
    const id = await callbackId(a!, execution.arn);
    const waited = a!.orch.waitForTerminal(execution.arn, 60_000);

    await b!.orch.callbackSuccess(id, '"approved"');
    const done = await waited;
    expect(done).toMatchObject({ status: "SUCCEEDED", result: '"approved"' });
    // The first invocation ran where the execution started, the second where the callback landed.
    expect(a!.calls).toHaveLength(1);
    expect(b!.calls).toHaveLength(1);
    // Both nodes answer reads from the database, whichever node wrote last.
    expect((await a!.orch.getExecution(execution.arn)).status).toBe("SUCCEEDED");
  });

  it("shows changes made on another node in a node's change feed", async () => {
    const [a, b] = await cluster(["a", "b"], awaitCallback);
    const seen: string[] = [];
    const stop = a!.orch.onExecutionChange((e) => seen.push(`${e.arn}:${e.status}`));
    cleanups.push(async () => stop());
    const { execution } = await b!.orch.startExecution({ fn: FN, payload: "{}" });
    const id = await callbackId(b!, execution.arn);
    await b!.orch.callbackSuccess(id, "1");
    await b!.orch.waitForTerminal(execution.arn, 60_000);
    for (let i = 0; i < 400 && !seen.includes(`${execution.arn}:SUCCEEDED`); i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(seen).toContain(`${execution.arn}:SUCCEEDED`);
    expect(a!.calls).toHaveLength(0);
  });

  it("leaves ready executions to a node with free workers when its own are busy", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const script: Script = async (event) => {
      if (event.DurableExecutionArn.includes("/slow/")) await gate;
      return returned({ Status: "SUCCEEDED", Result: "1" });
    };
    const [a, b] = await cluster(["a", "b"], script, { capacity: 1 });
    cleanups.push(async () => release());
    const slow = await a!.orch.startExecution({ fn: FN, payload: "{}", name: "slow" });
    while (a!.calls.length === 0) await new Promise((r) => setTimeout(r, 5));
    // a's only worker is busy: the next execution started on a runs on b.
    const quick = await a!.orch.startExecution({ fn: FN, payload: "{}", name: "quick" });
    expect((await a!.orch.waitForTerminal(quick.execution.arn, 60_000)).status).toBe("SUCCEEDED");
    expect(b!.calls.map((c) => c.executionArn)).toEqual([quick.execution.arn]);
    release();
    expect((await b!.orch.waitForTerminal(slow.execution.arn, 60_000)).status).toBe("SUCCEEDED");
    expect(a!.calls.map((c) => c.executionArn)).toEqual([slow.execution.arn]);
  });

  it("re-invokes on a live node what a node that stopped was running; the stopped node's writes are refused", async () => {
    let hung!: (result: InvocationResult) => void;
    const script: Script = async (event, node) => {
      if (node.name === "a") {
        // The node dies with this invocation in progress; its worker still holds a token.
        staleEvent = event;
        return new Promise<InvocationResult>((resolve) => (hung = resolve));
      }
      return returned({ Status: "SUCCEEDED", Result: '"recovered"' });
    };
    let staleEvent: InvocationEvent | undefined;
    const [a, b] = await cluster(["a", "b"], script, { leaseTtlMs: 600 });
    const { execution } = await a!.orch.startExecution({ fn: FN, payload: "{}" });
    while (!staleEvent) await new Promise((r) => setTimeout(r, 5));
    expect((await a!.store.getExecution(execution.arn))?.invocation?.node).toBe("a");
    a!.orch.stop(); // no more heartbeats, sweeps or notices from a: as good as dead
    cleanups.push(async () => hung(returned({ Status: "SUCCEEDED", Result: '"stale"' })));

    const done = await b!.orch.waitForTerminal(execution.arn, 60_000);
    expect(done).toMatchObject({ status: "SUCCEEDED", result: '"recovered"' });
    const ended = (await b!.store.history(execution.arn, { reverse: false, limit: 100 })).filter(
      (e) => e.type === "InvocationCompleted",
    );
    expect(ended[0]?.details).toMatchObject({
      Error: {
        Payload: {
          ErrorType: "Runtime.ExitError",
          ErrorMessage: "The node running the invocation (a) stopped",
        },
      },
    });
    // The stopped node's worker comes back to life: its token belongs to a lease that was ended.
    await expect(
      checkpoint(a!, staleEvent!, [{ Id: "c4ca4238a0b92382", Type: "STEP", Action: "START" }]),
    ).rejects.toMatchObject({ awsName: "InvalidParameterValueException" });
    expect((await b!.store.getExecution(execution.arn))?.status).toBe("SUCCEEDED");
  });
});
