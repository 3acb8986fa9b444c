// The operation list the function sees (spec §3.2, §10 A7): start order, EXECUTION first, pruning of
// finished contexts' children (recursively, not with ReplayChildren), in both the invocation event
// and GetDurableExecutionState, and paging by marker.
import { describe, expect, it } from "vitest";
import { getState, pageOperations, visibleOperations } from "./state-view.js";
import { Run, World, expectInvalidParameter, testContext, upd } from "./test-support.js";

/**
 * root ctx "A" (SUCCEEDED, no replay) ⟶ step a1, nested ctx "A2" (STARTED) ⟶ step a2x,
 *   nested ctx "AR" (ReplayChildren, SUCCEEDED) ⟶ step arx
 * root ctx "B" (SUCCEEDED, ReplayChildren) ⟶ step b1, nested ctx "B2" (FAILED) ⟶ step b2x
 * root ctx "C" (STARTED) ⟶ step c1
 * root step "z"
 */
function tree(run: Run): void {
  run.checkpoint([
    upd("CONTEXT", "START", "A"),
    upd("STEP", "SUCCEED", "a1", { ParentId: "A" }),
    upd("CONTEXT", "START", "A2", { ParentId: "A" }),
    upd("STEP", "SUCCEED", "a2x", { ParentId: "A2" }),
    upd("CONTEXT", "START", "AR", { ParentId: "A", ContextOptions: { ReplayChildren: true } }),
    upd("STEP", "SUCCEED", "arx", { ParentId: "AR" }),
    upd("CONTEXT", "START", "B"),
    upd("STEP", "SUCCEED", "b1", { ParentId: "B" }),
    upd("CONTEXT", "START", "B2", { ParentId: "B" }),
    upd("STEP", "SUCCEED", "b2x", { ParentId: "B2" }),
    upd("CONTEXT", "START", "C"),
    upd("STEP", "SUCCEED", "c1", { ParentId: "C" }),
    upd("STEP", "SUCCEED", "z"),
  ]);
  run.checkpoint([
    upd("CONTEXT", "SUCCEED", "AR", { Payload: "" }),
    upd("CONTEXT", "SUCCEED", "A", { Payload: "a" }),
    upd("CONTEXT", "FAIL", "B2", { Error: {} }),
    upd("CONTEXT", "SUCCEED", "B", { Payload: "", ContextOptions: { ReplayChildren: true } }),
  ]);
}

const VISIBLE = ["A", "B", "b1", "B2", "C", "c1", "z"];

describe("pruning", () => {
  it("omits children of finished contexts recursively, keeps them with ReplayChildren", () => {
    const run = Run.running();
    tree(run);
    const E = run.exec.executionOpId;
    expect(visibleOperations(run.state.operations).map((o) => o.Id)).toEqual([E, ...VISIBLE]);
  });

  it("does not prune while the context is running", () => {
    const run = Run.running();
    run.checkpoint([upd("CONTEXT", "START", "p"), upd("STEP", "START", "s", { ParentId: "p" })]);
    expect(visibleOperations(run.state.operations).map((o) => o.Id)).toEqual([
      run.exec.executionOpId,
      "p",
      "s",
    ]);
  });

  it("applies identically to the invocation event (A7)", () => {
    const run = Run.running();
    tree(run);
    run.crashes();
    const event = run.begin();
    expect(event.InitialExecutionState.Operations.map((o) => o.Id)).toEqual([
      run.exec.executionOpId,
      ...VISIBLE,
    ]);
    expect(event.InitialExecutionState.NextMarker).toBeUndefined();
  });

  it("applies identically to GetDurableExecutionState, page by page", () => {
    const run = Run.running();
    tree(run);
    const ids: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = getState(run.state, run.token, marker, 2);
      expect(page.operations.length).toBeLessThanOrEqual(2);
      ids.push(...page.operations.map((o) => o.Id));
      marker = page.nextMarker;
      pages++;
    } while (marker !== undefined);
    expect(ids).toEqual([run.exec.executionOpId, ...VISIBLE]);
    expect(pages).toBe(4);
  });

  it("the operations are still stored (pruning is a view)", () => {
    const run = Run.running();
    tree(run);
    expect(run.op("a2x")?.Status).toBe("SUCCEEDED");
  });
});

describe("ordering and paging", () => {
  it("start order with EXECUTION first, regardless of later updates", () => {
    const run = Run.running();
    run.checkpoint([upd("STEP", "START", "s2"), upd("STEP", "START", "s1")]);
    run.checkpoint([upd("STEP", "SUCCEED", "s1"), upd("STEP", "SUCCEED", "s2")]);
    expect(getState(run.state, run.token, undefined, 0).operations.map((o) => o.Id)).toEqual([
      run.exec.executionOpId,
      "s2",
      "s1",
    ]);
  });

  it("MaxItems 0 means 100; no marker when everything fits", () => {
    const run = Run.running();
    run.checkpoint(Array.from({ length: 120 }, (_, i) => upd("STEP", "SUCCEED", `s${i}`)));
    const first = getState(run.state, run.token, undefined, 0);
    expect(first.operations).toHaveLength(100);
    expect(first.nextMarker).toBeDefined();
    const second = getState(run.state, run.token, first.nextMarker, 1000);
    expect(second.operations).toHaveLength(21);
    expect(second.nextMarker).toBeUndefined();
    expect(second.operations[0]?.Id).toBe("s99");
  });

  it("markers stay valid while the state grows", () => {
    const run = Run.running();
    run.checkpoint([upd("STEP", "START", "a"), upd("STEP", "START", "b"), upd("STEP", "START", "c")]);
    const first = getState(run.state, run.token, undefined, 2);
    run.checkpoint([upd("STEP", "START", "d")]);
    const rest = getState(run.state, run.token, first.nextMarker, 10);
    expect(rest.operations.map((o) => o.Id)).toEqual(["b", "c", "d"]);
  });

  it("an invented marker is a 400", () => {
    const run = Run.running();
    expectInvalidParameter(() => getState(run.state, run.token, "bm9wZQ", 10));
  });

  it("pages by byte budget but always returns at least one operation", () => {
    const run = Run.running();
    run.checkpoint([
      upd("STEP", "SUCCEED", "big", { Payload: "x".repeat(500) }),
      upd("STEP", "SUCCEED", "small"),
    ]);
    const page = pageOperations(run.state.operations, undefined, 1000, 10);
    expect(page.operations).toHaveLength(1);
    expect(page.nextMarker).toBeDefined();
  });

  it("a large state pages the invocation event; the rest is reachable by GetDurableExecutionState", () => {
    const world = new World(testContext({ limits: { operationsPerExecution: 5000 } }));
    const run = Run.running(world);
    run.checkpoint(Array.from({ length: 1200 }, (_, i) => upd("STEP", "SUCCEED", `s${i}`)));
    run.crashes();
    const event = run.begin();
    const first = event.InitialExecutionState;
    expect(first.Operations[0]?.Type).toBe("EXECUTION");
    expect(first.NextMarker).toBeTruthy();
    const ids = first.Operations.map((o) => o.Id);
    let marker = first.NextMarker;
    while (marker) {
      const page = getState(run.state, event.CheckpointToken, marker, 1000);
      ids.push(...page.operations.map((o) => o.Id));
      marker = page.nextMarker;
    }
    expect(ids).toHaveLength(1201);
    expect(new Set(ids).size).toBe(1201);
  });
});

describe("wire shape", () => {
  it("invocation-event operations carry no internal fields and use epoch-ms timestamps", () => {
    const run = Run.running();
    run.checkpoint([upd("CALLBACK", "START", "cb", { CallbackOptions: { HeartbeatTimeoutSeconds: 5 } })]);
    run.returns({ Status: "PENDING" });
    run.fire("callback-heartbeat", "cb");
    const event = run.begin();
    for (const op of event.InitialExecutionState.Operations) {
      expect(op).not.toHaveProperty("seq");
      expect(op).not.toHaveProperty("heartbeatTimeoutSeconds");
      expect(Number.isInteger(op.StartTimestamp)).toBe(true);
    }
    expect(event.InitialExecutionState.Operations[0]).toEqual({
      Id: run.exec.executionOpId,
      Type: "EXECUTION",
      Status: "STARTED",
      StartTimestamp: run.exec.startedAt,
      ExecutionDetails: { InputPayload: "{}" },
    });
  });
});
