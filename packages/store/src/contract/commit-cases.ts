// Contract cases for commit: round trips, optimistic concurrency, name uniqueness, callbacks, leases.
import type { ExecutionRecord } from "@dormouse/engine";
import { expect, it } from "vitest";
import { ConflictError, type Store } from "../store.js";
import type { ContractHarness } from "./store-contract.js";
import {
  T0,
  createDecision,
  eventRecord,
  executionRecord,
  operationRecord,
  updateDecision,
} from "./fixtures.js";

/** Payloads are opaque strings that must come back byte for byte. */
const PAYLOADS = [
  '{"b":1,"a":[1.0,2e3,  "x"]} ',
  "line\nbreak\ttab\r\n and a \u0000 nul",
  "unicode: 🐭 é 中文 \u2028 \ufeff",
  "lone surrogate \ud800 here",
  "x".repeat(300_000),
];

export function commitCases(h: ContractHarness): void {
  it("creates an execution and loads it back byte-exactly, operations in seq order", async () => {
    const { store } = await h.open();
    const execution = executionRecord({ name: "round-trip", input: PAYLOADS[0]!, traceId: "" });
    const ops = [
      operationRecord(execution.executionOpId, 0, {
        Type: "EXECUTION",
        ExecutionDetails: { InputPayload: PAYLOADS[0]! },
      }),
      operationRecord("empty-result", 2, { Status: "SUCCEEDED", StepDetails: { Attempt: 1, Result: "" } }),
      operationRecord("big", 4, { Status: "SUCCEEDED", StepDetails: { Result: PAYLOADS[4]! } }),
      operationRecord("no-result", 1, { Status: "SUCCEEDED", StepDetails: { Attempt: 1 } }),
      operationRecord("odd", 3, {
        Type: "CONTEXT",
        ParentId: "no-result",
        Name: "",
        Status: "FAILED",
        ContextDetails: {
          Error: { ErrorType: "E", ErrorMessage: PAYLOADS[1]!, ErrorData: PAYLOADS[3]!, StackTrace: [] },
          Result: PAYLOADS[2]!,
        },
      }),
    ];
    await store.commit(createDecision(execution, { operations: ops }));

    const loaded = await store.loadExecution(execution.arn);
    expect(loaded?.execution).toStrictEqual(execution);
    expect(loaded && "result" in loaded.execution).toBe(false);
    expect([...(loaded?.operations.keys() ?? [])]).toEqual([
      execution.executionOpId,
      "no-result",
      "empty-result",
      "odd",
      "big",
    ]);
    for (const op of ops) expect(loaded?.operations.get(op.Id)).toStrictEqual(op);
    expect(loaded?.operations.get("empty-result")?.StepDetails?.Result).toBe("");
    expect("Result" in (loaded?.operations.get("no-result")?.StepDetails ?? {})).toBe(false);

    expect(await store.getExecution(execution.arn)).toStrictEqual(execution);
    expect(await store.findExecutionByName("orders", "round-trip")).toStrictEqual(execution);
  });

  it("returns undefined for what does not exist", async () => {
    const { store } = await h.open();
    await store.commit(createDecision(executionRecord({ name: "present" })));
    expect(await store.loadExecution("arn:nope")).toBeUndefined();
    expect(await store.getExecution("arn:nope")).toBeUndefined();
    expect(await store.findExecutionByName("orders", "absent")).toBeUndefined();
    expect(await store.findExecutionByName("billing", "present")).toBeUndefined();
    expect(await store.findCallback("nope")).toBeUndefined();
  });

  it("updates the row and operations in place; an operation keeps its position", async () => {
    const { store } = await h.open();
    const v1 = executionRecord({ name: "update" });
    await store.commit(
      createDecision(v1, { operations: [operationRecord("a", 1), operationRecord("b", 2)] }),
    );
    const done = operationRecord("a", 1, { Status: "SUCCEEDED", StepDetails: { Result: PAYLOADS[1]! } });
    const update = updateDecision(
      v1,
      { status: "SUCCEEDED", endedAt: T0 + 10, result: "" },
      { operations: [operationRecord("c", 3), done] },
    );
    await store.commit(update);

    const loaded = await store.loadExecution(v1.arn);
    expect(loaded?.execution).toStrictEqual(update.execution);
    expect(loaded?.execution.rev).toBe(2);
    expect(loaded?.execution.result).toBe("");
    expect([...(loaded?.operations.keys() ?? [])]).toEqual(["a", "b", "c"]);
    expect(loaded?.operations.get("a")).toStrictEqual(done);
  });

  it("rejects a decision based on a stale revision with ConflictError and writes nothing", async () => {
    const { store } = await h.open();
    const v1 = executionRecord({ name: "stale" });
    await store.commit(
      createDecision(v1, {
        operations: [operationRecord("a", 1)],
        events: [eventRecord(1)],
        schedule: [{ arn: v1.arn, kind: "execution-timeout", operationId: "", dueAt: T0 + 1000 }],
        callbacks: [{ callbackId: "cb-1", operationId: "a" }],
      }),
    );
    const v2 = updateDecision(v1, { nextEventId: 3 }, { events: [eventRecord(2)] });
    await store.commit(v2);
    const before = await snapshot(store, v1);

    const stale = updateDecision(
      v1,
      { status: "FAILED", invocation: lease() },
      {
        operations: [operationRecord("a", 1, { Status: "FAILED" }), operationRecord("z", 9)],
        events: [eventRecord(3)],
        schedule: [{ arn: v1.arn, kind: "wait", operationId: "z", dueAt: T0 + 5 }],
        unschedule: [{ arn: v1.arn, kind: "execution-timeout", operationId: "" }],
        unscheduleAll: true,
        callbacks: [{ callbackId: "cb-2", operationId: "z" }],
      },
    );
    await expect(store.commit(stale)).rejects.toBeInstanceOf(ConflictError);
    expect(await snapshot(store, v1)).toStrictEqual(before);

    const unknown = updateDecision(executionRecord({ name: "never-created" }));
    await expect(store.commit(unknown)).rejects.toBeInstanceOf(ConflictError);
    expect(await store.getExecution(unknown.execution.arn)).toBeUndefined();
  });

  it("rejects creating an execution whose arn or (function, name) exists", async () => {
    const { store } = await h.open();
    const first = executionRecord({ name: "dup", executionId: "one" });
    await store.commit(createDecision(first, { events: [eventRecord(1)] }));
    const before = await snapshot(store, first);

    const sameArn = createDecision(
      { ...first, input: "other" },
      { events: [eventRecord(2)], callbacks: [{ callbackId: "cb-x", operationId: "a" }] },
    );
    await expect(store.commit(sameArn)).rejects.toBeInstanceOf(ConflictError);
    const sameName = executionRecord({ name: "dup", executionId: "two" });
    await expect(store.commit(createDecision(sameName))).rejects.toBeInstanceOf(ConflictError);
    expect(await snapshot(store, first)).toStrictEqual(before);
    expect(await store.getExecution(sameName.arn)).toBeUndefined();

    // Names are unique per function only.
    const otherFunction = executionRecord({ name: "dup", functionName: "billing" });
    await store.commit(createDecision(otherFunction));
    expect(await store.findExecutionByName("billing", "dup")).toStrictEqual(otherFunction);
    expect(await store.findExecutionByName("orders", "dup")).toStrictEqual(first);
  });

  it("finds callbacks by id, across decisions and executions", async () => {
    const { store } = await h.open();
    const a = executionRecord({ name: "cb-a" });
    const b = executionRecord({ name: "cb-b" });
    await store.commit(createDecision(a, { callbacks: [{ callbackId: "cb-1", operationId: "op-1" }] }));
    await store.commit(createDecision(b, { callbacks: [{ callbackId: "cb-2", operationId: "op-1" }] }));
    await store.commit(updateDecision(a, {}, { callbacks: [{ callbackId: "cb-3", operationId: "op-7" }] }));

    expect(await store.findCallback("cb-1")).toStrictEqual({ arn: a.arn, operationId: "op-1" });
    expect(await store.findCallback("cb-2")).toStrictEqual({ arn: b.arn, operationId: "op-1" });
    expect(await store.findCallback("cb-3")).toStrictEqual({ arn: a.arn, operationId: "op-7" });
    expect(await store.findCallback("cb-4")).toBeUndefined();
  });

  it("lists the executions that hold an invocation lease", async () => {
    const { store } = await h.open();
    const a = executionRecord({ name: "lease-a", invocation: lease() });
    const b = executionRecord({ name: "lease-b" });
    await store.commit(createDecision(a));
    await store.commit(createDecision(b));
    expect(await store.executionsWithLease()).toEqual([a.arn]);

    const { invocation: _released, ...withoutLease } = a;
    await store.commit(updateDecision(withoutLease));
    await store.commit(updateDecision(b, { invocation: lease() }));
    expect(await store.executionsWithLease()).toEqual([b.arn]);
  });
}

export function lease(epoch = 1): NonNullable<ExecutionRecord["invocation"]> {
  return {
    epoch,
    requestId: `req-${epoch}`,
    nonce: "bm9uY2U=",
    tokenSeq: 0,
    startedAt: T0,
    deadline: T0 + 30_000,
    progressed: false,
  };
}

/** Everything the store holds about one execution, to compare before and after a failed commit. */
export async function snapshot(store: Store, execution: ExecutionRecord) {
  const state = await store.loadExecution(execution.arn);
  return {
    execution: state?.execution,
    operations: state && [...state.operations.values()],
    history: await store.history(execution.arn, { reverse: false, limit: 1000 }),
    due: (await store.dueWork(Number.MAX_SAFE_INTEGER, 1000)).filter((w) => w.arn === execution.arn),
    callbacks: (await Promise.all(["cb-1", "cb-2", "cb-x"].map((id) => store.findCallback(id)))).filter(
      (cb) => cb?.arn === execution.arn,
    ),
    leased: (await store.executionsWithLease()).includes(execution.arn),
  };
}
