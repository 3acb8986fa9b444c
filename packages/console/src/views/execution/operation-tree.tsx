// The operation tree: parallel branches, map iterations and child contexts nested under their
// parent, each operation with its status, duration and the one fact that matters for its kind.
// Only the rows on screen are rendered; subtrees with many children start collapsed.
import type { ConsoleEvent, ConsoleOperation } from "@dormouse/protocol";
import type { CSSProperties, KeyboardEvent } from "react";
import { useMemo, useRef, useState } from "react";
import { Icon } from "../../components/icons";
import { StatusBadge } from "../../components/status-badge";
import { EmptyState } from "../../components/states";
import { VirtualRows } from "../../components/virtual-rows";
import { formatCount, formatDuration, formatInstant, middleEllipsis } from "../../format";
import { PHONE_QUERY, useMediaQuery } from "../../hooks";
import { childExecutionArn } from "../../model/events";
import type { OpNode, OpTree } from "../../model/operations";
import {
  isExpandedByDefault,
  kindLabel,
  operationDuration,
  operationLabel,
  visibleRows,
} from "../../model/operations";
import { executionPath, Link } from "../../router";

const ROW = 36;
const INDENT = 18;
const INDENT_PHONE = 12;

export function OperationTree({
  tree,
  eventsByOp,
  now,
  selected,
  onSelect,
  onRespond,
}: {
  tree: OpTree;
  eventsByOp: Map<string, ConsoleEvent[]>;
  now: number;
  selected: string | undefined;
  onSelect: (id: string) => void;
  onRespond: (callbackId: string) => void;
}) {
  const [expanded, setExpanded] = useState<Map<string, boolean>>(new Map());
  const rows = useMemo(() => visibleRows(tree, expanded), [tree, expanded]);
  const phone = useMediaQuery(PHONE_QUERY);
  const container = useRef<HTMLDivElement>(null);

  const isOpen = (n: OpNode) => expanded.get(n.op.Id) ?? isExpandedByDefault(n);
  const setOpen = (n: OpNode, open: boolean) => setExpanded((m) => new Map(m).set(n.op.Id, open));
  const setAll = (open: boolean) =>
    setExpanded(new Map(tree.order.filter((n) => n.children.length > 0).map((n) => [n.op.Id, open])));

  if (tree.order.length === 0) {
    return (
      <EmptyState icon="layers" title="No operations yet">
        Operations appear here as the handler checkpoints them: steps, waits, callbacks, invokes and contexts.
      </EmptyState>
    );
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const target = e.target as HTMLElement;
    const rowEl = target.closest<HTMLElement>("[data-row]");
    if (!rowEl) return;
    const index = Number(rowEl.dataset.row);
    const node = rows[index];
    if (!node) return;
    let next: number | undefined;
    if (e.key === "ArrowDown") next = Math.min(rows.length - 1, index + 1);
    else if (e.key === "ArrowUp") next = Math.max(0, index - 1);
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = rows.length - 1;
    else if (e.key === "ArrowRight" && node.children.length > 0) {
      if (!isOpen(node)) setOpen(node, true);
      else next = index + 1;
    } else if (e.key === "ArrowLeft") {
      if (node.children.length > 0 && isOpen(node)) setOpen(node, false);
      else {
        const parentIndex = rows.findIndex((r) => r.op.Id === node.op.ParentId);
        if (parentIndex >= 0) next = parentIndex;
      }
    } else return;
    e.preventDefault();
    if (next !== undefined) focusRow(next);
  }

  function focusRow(index: number) {
    const el = container.current;
    if (!el) return;
    const top = el.getBoundingClientRect().top + window.scrollY + index * ROW;
    if (top < window.scrollY + 80 || top + ROW > window.scrollY + window.innerHeight) {
      window.scrollTo({ top: top - window.innerHeight / 2 });
    }
    requestAnimationFrame(() => el.querySelector<HTMLElement>(`[data-row="${index}"] .oprow__main`)?.focus());
  }

  const hasBranches = tree.order.some((n) => n.children.length > 0);
  return (
    <div className="optree">
      <div className="toolbar">
        <span className="faint">
          {formatCount(tree.order.length)} {tree.order.length === 1 ? "operation" : "operations"}
          {rows.length < tree.order.length && ` · ${formatCount(rows.length)} shown`}
          {" · select one for its payload and events"}
        </span>
        {hasBranches && (
          <span className="toolbar__end">
            <button type="button" className="btn btn--ghost btn--sm" onClick={() => setAll(true)}>
              Expand all
            </button>
            <button type="button" className="btn btn--ghost btn--sm" onClick={() => setAll(false)}>
              Collapse all
            </button>
          </span>
        )}
      </div>
      <div ref={container} onKeyDown={onKeyDown} role="tree" aria-label="Operations">
        <VirtualRows
          count={rows.length}
          rowHeight={ROW}
          renderRow={(i, style) => {
            const node = rows[i]!;
            return (
              <OperationRow
                key={node.op.Id}
                node={node}
                index={i}
                style={style}
                indent={phone ? INDENT_PHONE : INDENT}
                open={isOpen(node)}
                onToggle={() => setOpen(node, !isOpen(node))}
                selected={selected === node.op.Id}
                onSelect={() => onSelect(node.op.Id)}
                onRespond={onRespond}
                childArn={
                  node.op.Type === "CHAINED_INVOKE"
                    ? childExecutionArn(eventsByOp.get(node.op.Id))
                    : undefined
                }
                label={operationLabel(node, tree)}
                now={now}
              />
            );
          }}
        />
      </div>
    </div>
  );
}

function OperationRow({
  node,
  index,
  style,
  indent,
  open,
  onToggle,
  selected,
  onSelect,
  onRespond,
  childArn,
  label,
  now,
}: {
  node: OpNode;
  label: string;
  index: number;
  style: CSSProperties;
  indent: number;
  open: boolean;
  onToggle: () => void;
  selected: boolean;
  onSelect: () => void;
  onRespond: (callbackId: string) => void;
  childArn: string | undefined;
  now: number;
}) {
  const { op } = node;
  const duration = operationDuration(op, now);
  const hasChildren = node.children.length > 0;
  const callbackId = op.CallbackDetails?.CallbackId;
  const waitingCallback = op.Type === "CALLBACK" && op.Status === "STARTED" && callbackId;
  return (
    <div
      className={`oprow${selected ? " is-selected" : ""}`}
      style={style}
      data-row={index}
      data-op={op.Id}
      role="treeitem"
      aria-level={node.depth + 1}
      aria-expanded={hasChildren ? open : undefined}
      aria-selected={selected}
    >
      <span className="oprow__indent" style={{ width: node.depth * indent }} aria-hidden="true">
        {Array.from({ length: node.depth }, (_, d) => (
          <span key={d} className="oprow__guide" style={{ left: d * indent + indent / 2 }} />
        ))}
      </span>
      {hasChildren ? (
        <button
          type="button"
          className="oprow__toggle"
          onClick={onToggle}
          aria-label={`${open ? "Collapse" : "Expand"} ${label} (${node.descendants} below)`}
          tabIndex={-1}
        >
          <Icon name={open ? "chevronDown" : "chevronRight"} size={14} />
        </button>
      ) : (
        <span className="oprow__toggle-spacer" />
      )}
      <button type="button" className="oprow__main" onClick={onSelect} aria-pressed={selected}>
        <span className={`kind kind--${op.Type.toLowerCase()}`}>{kindLabel(op)}</span>
        <span className="oprow__name truncate">{op.Name ?? <span className="faint">{op.Id}</span>}</span>
        {!open && hasChildren && <span className="chip oprow__hidden">+{formatCount(node.descendants)}</span>}
        <span className="oprow__fact faint truncate">{fact(op, now)}</span>
        <StatusBadge status={op.Status} small />
        <span className="oprow__dur">{duration !== undefined ? formatDuration(duration) : ""}</span>
      </button>
      <span className="oprow__actions">
        {waitingCallback && (
          <button
            type="button"
            className="btn btn--sm"
            onClick={() => onRespond(callbackId)}
            aria-label={`Respond to callback ${label}`}
          >
            <Icon name="reply" size={12} /> Respond
          </button>
        )}
        {childArn && (
          <Link
            to={executionPath(childArn)}
            className="btn btn--sm btn--ghost"
            aria-label={`Open the execution started by ${label}`}
          >
            <Icon name="link" size={12} /> Child
          </Link>
        )}
      </span>
    </div>
  );
}

/** The detail that matters most for this kind of operation, in a few words. */
function fact(op: ConsoleOperation, now: number): string {
  switch (op.Type) {
    case "STEP": {
      const d = op.StepDetails;
      const parts: string[] = [];
      if (d?.Attempt !== undefined && d.Attempt > 1) parts.push(`${d.Attempt} attempts`);
      if (d?.NextAttemptTimestamp !== undefined && op.Status === "PENDING") {
        parts.push(
          `retry ${d.NextAttemptTimestamp > now ? `in ${formatDuration(d.NextAttemptTimestamp - now)}` : "due"}`,
        );
      }
      return parts.join(" · ");
    }
    case "WAIT": {
      const end = op.WaitDetails?.ScheduledEndTimestamp;
      if (end === undefined) return "";
      return op.Status === "STARTED"
        ? `until ${formatInstant(end, now)}`
        : `ended ${formatInstant(op.EndTimestamp ?? end, now)}`;
    }
    case "CALLBACK":
      return op.CallbackDetails ? middleEllipsis(op.CallbackDetails.CallbackId, 22) : "";
    default:
      return "";
  }
}
