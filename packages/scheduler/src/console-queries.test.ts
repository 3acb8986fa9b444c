// The console's read side over a real orchestrator and a real SQLite file; only the function runtime
// is scripted (it is a port: each invocation answers what the test says, when the test says).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ExecutionRecord, InvocationResult } from "@dormouse/engine";
import { parseFunctionRef } from "@dormouse/protocol";
import { openSqliteStore, type SqliteStore } from "@dormouse/store";
import { afterEach, describe, expect, it } from "vitest";
import { ConsoleQueries, compareVersions } from "./console-queries.js";
import { Orchestrator } from "./orchestrator.js";
import type { FunctionCatalog, InvokeCall } from "./ports.js";
import type { FunctionSummary } from "./service.js";

const SUMMARIES: FunctionSummary[] = [
  {
    name: "orders",
    version: "2",
    durable: true,
    timeoutSeconds: 9,
    memoryMb: 512,
    handler: "v2.h",
    runtime: "nodejs22.x",
  },
  {
    name: "orders",
    version: "$LATEST",
    durable: true,
    timeoutSeconds: 30,
    memoryMb: 256,
    handler: "a.h",
    runtime: "nodejs20.x",
    executionTimeoutSeconds: 600,
    retentionDays: 3,
  },
  {
    name: "orders",
    version: "10",
    durable: true,
    timeoutSeconds: 9,
    memoryMb: 512,
    handler: "v10.h",
    runtime: "nodejs22.x",
  },
  {
    name: "billing",
    version: "1",
    durable: true,
    timeoutSeconds: 5,
    memoryMb: 128,
    handler: "b.h",
    runtime: "nodejs20.x",
  },
  {
    name: "plain",
    version: "$LATEST",
    durable: false,
    timeoutSeconds: 3,
    memoryMb: 128,
    handler: "p.h",
    runtime: "nodejs20.x",
  },
];

const catalog: FunctionCatalog = {
  list: () => SUMMARIES,
  resolve(ref, qualifier) {
    const parsed = parseFunctionRef(ref);
    const version = qualifier ?? parsed?.qualifier ?? "$LATEST";
    const fn = SUMMARIES.find((s) => s.name === parsed?.name && s.version === version);
    return (
      fn && {
        functionName: fn.name,
        version: fn.version,
        durable: fn.durable,
        executionTimeoutSeconds: fn.executionTimeoutSeconds ?? 600,
        retentionDays: fn.retentionDays ?? 1,
        functionTimeoutSeconds: fn.timeoutSeconds,
      }
    );
  },
};

/** A runtime whose invocations are answered by the test, one script step per call. */
class ScriptedInvoker {
  readonly calls: InvokeCall[] = [];
  private readonly steps: ((call: InvokeCall) => Promise<InvocationResult>)[] = [];
  private readonly waiting: (() => void)[] = [];

  then(step: (call: InvokeCall) => Promise<InvocationResult>): this {
    this.steps.push(step);
    return this;
  }

  /** Resolves once the runtime was asked for `n` invocations in total. */
  async invoked(n: number): Promise<void> {
    while (this.calls.length < n) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  invoke = async (_fn: unknown, call: InvokeCall): Promise<InvocationResult> => {
    this.calls.push(call);
    for (const wake of this.waiting.splice(0)) wake();
    const step = this.steps.shift();
    if (!step) throw new Error("unexpected invocation");
    return step(call);
  };
}

const returned = (output: object): InvocationResult => ({
  kind: "returned",
  payload: JSON.stringify(output),
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(invoker: ScriptedInvoker) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dormouse-console-"));
  const store: SqliteStore = await openSqliteStore({ file: path.join(dir, "db.sqlite") });
  const orchestrator = new Orchestrator({ store, invoker, functions: catalog });
  cleanups.push(async () => {
    await orchestrator.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  await orchestrator.start();
  const queries = new ConsoleQueries({ store, functions: catalog, changes: orchestrator });
  const start = async (name: string, fn = "orders") =>
    (await orchestrator.startExecution({ fn: catalog.resolve(fn)!, payload: '{"n":1}', name })).execution;
  return { store, orchestrator, queries, start };
}

describe("ConsoleQueries", () => {
  it("numbers invocations from the history, the running one last and open", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const invoker = new ScriptedInvoker()
      .then(async () => ({ kind: "error", error: { ErrorType: "Runtime.ExitError", ErrorMessage: "boom" } }))
      .then(async () => {
        await gate;
        return returned({ Status: "SUCCEEDED", Result: '"done"' });
      });
    const { orchestrator, queries, start } = await setup(invoker);
    const changes: ExecutionRecord[] = [];
    const unsubscribe = queries.onExecutionChange((e) => changes.push(e));
    cleanups.push(async () => unsubscribe());

    const exec = await start("timeline");
    await invoker.invoked(2);
    // The second invocation has begun (its lease is committed before the runtime is called).
    const running = await queries.getExecutionDetail(exec.arn);
    expect(running.execution.status).toBe("RUNNING");
    expect(running.operations.map((op) => op.Type)).toEqual(["EXECUTION"]);
    expect(running.invocations).toEqual([
      {
        number: 1,
        requestId: invoker.calls[0]!.requestId,
        startedAt: expect.any(Number),
        endedAt: expect.any(Number),
        error: { ErrorType: "Runtime.ExitError", ErrorMessage: "boom" },
      },
      { number: 2, requestId: invoker.calls[1]!.requestId, startedAt: expect.any(Number) },
    ]);
    const [first, second] = running.invocations;
    expect(first!.startedAt).toBeGreaterThanOrEqual(exec.startedAt);
    expect(first!.endedAt).toBeGreaterThanOrEqual(first!.startedAt);
    expect(second!.startedAt).toBeGreaterThanOrEqual(first!.endedAt!);
    expect(running.eventCount).toBe(2); // ExecutionStarted, InvocationCompleted

    release();
    const done = await orchestrator.waitForTerminal(exec.arn, 10_000);
    expect(done.status).toBe("SUCCEEDED");
    const finished = await queries.getExecutionDetail(exec.arn);
    expect(
      finished.invocations.map((i) => [i.number, i.requestId, i.endedAt !== undefined, i.error]),
    ).toEqual([
      [1, invoker.calls[0]!.requestId, true, { ErrorType: "Runtime.ExitError", ErrorMessage: "boom" }],
      [2, invoker.calls[1]!.requestId, true, undefined],
    ]);
    expect(finished.eventCount).toBe(4); // + InvocationCompleted, ExecutionSucceeded

    // The change feed saw the execution created and finished (coalesced, so not every revision).
    await new Promise((resolve) => setImmediate(resolve));
    expect(changes.every((e) => e.arn === exec.arn)).toBe(true);
    expect(changes[0]!.status).toBe("RUNNING");
    expect(changes.at(-1)).toMatchObject({ status: "SUCCEEDED", rev: done.rev });
  });

  it("pages events oldest first and names unknown executions", async () => {
    const invoker = new ScriptedInvoker().then(async () => returned({ Status: "SUCCEEDED", Result: "1" }));
    const { orchestrator, queries, start } = await setup(invoker);
    const exec = await start("paged");
    await orchestrator.waitForTerminal(exec.arn, 10_000);

    const first = await queries.getEvents(exec.arn, { limit: 2 });
    expect(first.events.map((e) => [e.eventId, e.type])).toEqual([
      [1, "ExecutionStarted"],
      [2, "InvocationCompleted"],
    ]);
    expect(first.nextAfterEventId).toBe(2);
    const rest = await queries.getEvents(exec.arn, { afterEventId: 2, limit: 2 });
    expect(rest).toEqual({ events: [expect.objectContaining({ eventId: 3, type: "ExecutionSucceeded" })] });

    const unknown = exec.arn.replace("paged", "nope");
    await expect(queries.getEvents(unknown, { limit: 5 })).rejects.toMatchObject({
      awsName: "ResourceNotFoundException",
    });
    await expect(queries.getExecutionDetail(unknown)).rejects.toThrow(
      `Durable execution not found: ${unknown}`,
    );
  });

  it("lists each function once with its versions, $LATEST's configuration and counts", async () => {
    const invoker = new ScriptedInvoker()
      .then(async () => returned({ Status: "SUCCEEDED" }))
      .then(async () => returned({ Status: "FAILED", Error: { ErrorType: "E" } }));
    const { store, orchestrator, queries, start } = await setup(invoker);
    const ok = await start("ok");
    await orchestrator.waitForTerminal(ok.arn, 10_000);
    const failed = await start("failed");
    await orchestrator.waitForTerminal(failed.arn, 10_000);

    const functions = await queries.listFunctions();
    expect(functions.map((f) => [f.summary.name, f.summary.version, f.versions])).toEqual([
      ["billing", "1", ["$LATEST", "1"]],
      ["orders", "$LATEST", ["$LATEST", "2", "10"]],
      ["plain", "$LATEST", ["$LATEST"]],
    ]);
    const zero = { RUNNING: 0, SUCCEEDED: 0, FAILED: 0, TIMED_OUT: 0, STOPPED: 0 };
    expect(functions.map((f) => f.counts)).toEqual([zero, { ...zero, SUCCEEDED: 1, FAILED: 1 }, zero]);
    expect(functions[1]!.summary).toBe(SUMMARIES[1]);
    expect(functions.every((f) => f.aliases.length === 0)).toBe(true);

    // A catalog with aliases (the registry) has them listed per function, by name.
    const aliased = new ConsoleQueries({
      store,
      functions: {
        ...catalog,
        aliases: () => [
          { functionName: "orders", name: "live", version: "10" },
          { functionName: "orders", name: "beta", version: "2" },
          { functionName: "billing", name: "live", version: "1" },
        ],
      },
      changes: orchestrator,
    });
    expect((await aliased.listFunctions()).map((f) => f.aliases)).toEqual([
      [{ name: "live", version: "1" }],
      [
        { name: "beta", version: "2" },
        { name: "live", version: "10" },
      ],
      [],
    ]);

    const page = await queries.listExecutions({ limit: 1 });
    expect(page.items.map((e) => e.name)).toEqual(["failed"]);
    expect((await queries.listExecutions({ limit: 5, cursor: page.next! })).items.map((e) => e.name)).toEqual(
      ["ok"],
    );
  });

  it("orders versions $LATEST first, then numerically", () => {
    expect(["10", "alias", "$LATEST", "2", "1"].sort(compareVersions)).toEqual([
      "$LATEST",
      "1",
      "2",
      "10",
      "alias",
    ]);
  });
});
