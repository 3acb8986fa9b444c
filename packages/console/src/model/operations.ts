// The operation tree: operations arrive flat (ParentId links, creation order in `seq`); the console
// shows them nested, with big subtrees collapsed, and renders only the rows on screen.
import type { ConsoleOperation, ErrorObject, OperationStatus } from "@dormouse/protocol";
import { TERMINAL_OPERATION_STATUSES } from "@dormouse/protocol";

export interface OpNode {
  op: ConsoleOperation;
  depth: number;
  children: OpNode[];
  /** Number of operations below this one, at any depth. */
  descendants: number;
}

export interface OpTree {
  roots: OpNode[];
  byId: Map<string, OpNode>;
  /** Every node in depth-first order (parents before children, siblings by creation). */
  order: OpNode[];
}

/** Subtrees with more children than this start collapsed. */
export const AUTO_COLLAPSE_CHILDREN = 25;

/**
 * Builds the tree. The EXECUTION operation is the execution itself (the header shows it), so its
 * children and orphans whose parent is unknown become roots.
 */
export function buildTree(operations: readonly ConsoleOperation[]): OpTree {
  const byId = new Map<string, OpNode>();
  const sorted = [...operations].filter((op) => op.Type !== "EXECUTION").sort((a, b) => a.seq - b.seq);
  for (const op of sorted) byId.set(op.Id, { op, depth: 0, children: [], descendants: 0 });
  const roots: OpNode[] = [];
  for (const node of byId.values()) {
    const parent = node.op.ParentId === undefined ? undefined : byId.get(node.op.ParentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const order: OpNode[] = [];
  // Iterative depth-first walk: a deep chain of child contexts must not overflow the stack.
  const stack: OpNode[] = [...roots].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    order.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) {
      const child = node.children[i]!;
      child.depth = node.depth + 1;
      stack.push(child);
    }
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    node.descendants = node.children.reduce((sum, c) => sum + 1 + c.descendants, 0);
  }
  return { roots, byId, order };
}

export function isExpandedByDefault(node: OpNode): boolean {
  return node.children.length > 0 && node.children.length <= AUTO_COLLAPSE_CHILDREN;
}

/** The rows on screen: nodes whose ancestors are all expanded. */
export function visibleRows(tree: OpTree, expanded: ReadonlyMap<string, boolean>): OpNode[] {
  const rows: OpNode[] = [];
  const stack: OpNode[] = [...tree.roots].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    rows.push(node);
    if (expanded.get(node.op.Id) ?? isExpandedByDefault(node)) {
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }
  return rows;
}

/** "Step", "Wait for callback", "Parallel branch", … from the SDK's SubType, else the Type. */
export function kindLabel(op: Pick<ConsoleOperation, "Type" | "SubType">): string {
  const raw = op.SubType ?? op.Type;
  const words = raw.includes("_")
    ? raw.toLowerCase().split("_")
    : raw
        .replace(/([a-z])([A-Z])/g, "$1 $2")
        .toLowerCase()
        .split(" ");
  const text = words.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function isTerminal(status: OperationStatus): boolean {
  return TERMINAL_OPERATION_STATUSES.has(status);
}

/** How long the operation took, or has taken so far. */
export function operationDuration(op: ConsoleOperation, now: number): number | undefined {
  if (op.EndTimestamp !== undefined) return op.EndTimestamp - op.StartTimestamp;
  return isTerminal(op.Status) ? undefined : now - op.StartTimestamp;
}

/** The recorded payload of an operation: its result, and/or its error. */
export function operationOutcome(op: ConsoleOperation): {
  result?: string;
  error?: ErrorObject;
} {
  const d = op.StepDetails ?? op.CallbackDetails ?? op.ContextDetails ?? op.ChainedInvokeDetails;
  return {
    ...(d?.Result !== undefined ? { result: d.Result } : {}),
    ...(d?.Error ? { error: d.Error } : {}),
  };
}

/** What to call an operation: its name, else its parent's (a callback inside waitForCallback), else its id. */
export function operationLabel(node: OpNode, tree: OpTree): string {
  if (node.op.Name) return node.op.Name;
  const parent = node.op.ParentId ? tree.byId.get(node.op.ParentId) : undefined;
  return parent?.op.Name ?? node.op.Id;
}
