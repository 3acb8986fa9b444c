import type { ConsoleOperation } from "@dormouse/protocol";
import { describe, expect, it } from "vitest";
import { buildTree, kindLabel, operationDuration, operationLabel, visibleRows } from "./operations";

let seq = 0;
function op(id: string, extra: Partial<ConsoleOperation> = {}): ConsoleOperation {
  return { Id: id, Type: "STEP", Status: "SUCCEEDED", StartTimestamp: 1000, seq: seq++, ...extra };
}

describe("buildTree", () => {
  it("nests by ParentId in creation order and leaves the EXECUTION operation out", () => {
    seq = 0;
    const tree = buildTree([
      op("exec", { Type: "EXECUTION", Status: "STARTED" }),
      op("par", { Type: "CONTEXT", SubType: "Parallel", Name: "branches" }),
      op("b1", { Type: "CONTEXT", SubType: "ParallelBranch", ParentId: "par" }),
      op("b0", { Type: "CONTEXT", SubType: "ParallelBranch", ParentId: "par", seq: -1 }),
      op("left", { ParentId: "b0", Name: "left" }),
      op("after", { Name: "after" }),
    ]);
    expect(tree.order.map((n) => [n.op.Id, n.depth])).toEqual([
      ["par", 0],
      ["b0", 1],
      ["left", 2],
      ["b1", 1],
      ["after", 0],
    ]);
    expect(tree.byId.get("par")!.descendants).toBe(3);
    expect(tree.byId.has("exec")).toBe(false);
  });

  it("treats an operation whose parent is unknown as a root", () => {
    const tree = buildTree([op("orphan", { ParentId: "missing" })]);
    expect(tree.roots.map((n) => n.op.Id)).toEqual(["orphan"]);
  });

  it("survives a chain thousands deep (no recursion)", () => {
    const chain = Array.from({ length: 5000 }, (_, i) => op(`c${i}`, i > 0 ? { ParentId: `c${i - 1}` } : {}));
    const tree = buildTree(chain);
    expect(tree.order.at(-1)!.depth).toBe(4999);
    expect(tree.roots[0]!.descendants).toBe(4999);
  });
});

describe("visibleRows", () => {
  it("folds subtrees with many children unless expanded, and honours explicit choices", () => {
    seq = 0;
    const ops = [op("map", { Type: "CONTEXT", SubType: "Map" })];
    for (let i = 0; i < 30; i++) ops.push(op(`it${i}`, { ParentId: "map" }));
    ops.push(op("small", { Type: "CONTEXT" }), op("inner", { ParentId: "small" }));
    const tree = buildTree(ops);
    expect(visibleRows(tree, new Map()).map((n) => n.op.Id)).toEqual(["map", "small", "inner"]);
    expect(visibleRows(tree, new Map([["map", true]]))).toHaveLength(33);
    expect(visibleRows(tree, new Map([["small", false]])).map((n) => n.op.Id)).toEqual(["map", "small"]);
  });
});

describe("labels and durations", () => {
  it("turns SDK subtypes into words", () => {
    expect(kindLabel({ Type: "CONTEXT", SubType: "WaitForCallback" })).toBe("Wait for callback");
    expect(kindLabel({ Type: "CHAINED_INVOKE" })).toBe("Chained invoke");
    expect(kindLabel({ Type: "CONTEXT", SubType: "RunInChildContext" })).toBe("Run in child context");
  });

  it("names an unnamed callback after its waitForCallback context", () => {
    const tree = buildTree([
      op("ctx", { Type: "CONTEXT", Name: "approval" }),
      op("cb", { Type: "CALLBACK", ParentId: "ctx" }),
    ]);
    expect(operationLabel(tree.byId.get("cb")!, tree)).toBe("approval");
  });

  it("measures running operations up to now and finished ones to their end", () => {
    expect(operationDuration(op("a", { EndTimestamp: 1250 }), 9999)).toBe(250);
    expect(operationDuration(op("b", { Status: "STARTED" }), 4000)).toBe(3000);
  });
});
