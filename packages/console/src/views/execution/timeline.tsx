// The picture of time: one bar per operation on a shared axis, above them the invocations, and
// between the invocations the hibernation (hatched). Selecting an invocation shows what it
// replayed (completed before it started) and what it executed (started or completed during it).
import type { ConsoleExecutionDetail, ConsoleInvocation, ConsoleOperation } from "@dormouse/protocol";
import type { CSSProperties } from "react";
import { useEffect, useMemo, useRef, useState } from "react";
import { statusLabel, statusTone } from "../../components/status-badge";
import { EmptyState } from "../../components/states";
import { VirtualRows } from "../../components/virtual-rows";
import { formatDuration, formatOffset } from "../../format";
import { PHONE_QUERY, useMediaQuery } from "../../hooks";
import type { Gap, InvocationActivity } from "../../model/invocations";
import { invocationEnd } from "../../model/invocations";
import type { OpNode, OpTree } from "../../model/operations";
import { kindLabel } from "../../model/operations";
import type { TimeScale } from "../../model/time-scale";
import { linearScale, squeezedScale, worthSqueezing } from "../../model/time-scale";
import { InvocationList } from "./invocation-list";

const ROW = 26;
const AXIS_H = 28;
const LANE_H = 40;

export function Timeline({
  execution,
  tree,
  invocations,
  activity,
  gaps,
  now,
  selectedOp,
  onSelectOp,
}: {
  execution: ConsoleExecutionDetail;
  tree: OpTree;
  invocations: ConsoleInvocation[];
  activity: InvocationActivity[];
  gaps: Gap[];
  now: number;
  selectedOp: string | undefined;
  onSelectOp: (id: string) => void;
}) {
  const phone = useMediaQuery(PHONE_QUERY);
  const labelWidth = phone ? 112 : 220;
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    setWidth(el.clientWidth);
    return () => observer.disconnect();
  }, []);
  const trackWidth = Math.max(80, width - labelWidth - 16);

  const start = execution.startedAt;
  const end = useMemo(() => {
    let e = execution.endedAt ?? now;
    if (execution.endedAt === undefined) {
      // A running execution: show what is scheduled too (a wait's end, a retry's next attempt).
      for (const n of tree.order) {
        const future = n.op.WaitDetails?.ScheduledEndTimestamp ?? n.op.StepDetails?.NextAttemptTimestamp;
        if (future !== undefined && n.op.EndTimestamp === undefined) e = Math.max(e, future);
      }
    }
    for (const inv of invocations) e = Math.max(e, invocationEnd(inv, now));
    return Math.max(e, start + 1);
  }, [execution.endedAt, now, tree.order, invocations, start]);

  const squeezable = worthSqueezing(start, end, gaps);
  const [squeeze, setSqueeze] = useState<boolean | undefined>(undefined);
  const squeezed = squeeze ?? squeezable;
  const scale = useMemo(
    () =>
      squeezed && squeezable
        ? squeezedScale(start, end, trackWidth, gaps, formatOffset)
        : linearScale(start, end, trackWidth, formatOffset),
    [squeezed, squeezable, start, end, trackWidth, gaps],
  );

  const [selectedInv, setSelectedInv] = useState<number>();
  const chosen = activity.find((a) => a.invocation.number === selectedInv);
  const highlight = useMemo(() => {
    if (!chosen) return undefined;
    const m = new Map<string, "replayed" | "executed">();
    for (const op of chosen.replayed) m.set(op.Id, "replayed");
    for (const op of chosen.executed) m.set(op.Id, "executed");
    return m;
  }, [chosen]);

  if (tree.order.length === 0 && invocations.length === 0) {
    return (
      <EmptyState icon="clock" title="Nothing to draw yet">
        The timeline fills in as the first invocation runs.
      </EmptyState>
    );
  }

  const gridStyle = { "--label-w": `${labelWidth}px` } as CSSProperties;
  return (
    <div className="timeline" ref={ref} style={gridStyle}>
      <svg width="0" height="0" className="timeline__defs" aria-hidden="true">
        <defs>
          <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" className="hatch-bg" />
            <line x1="0" y1="0" x2="0" y2="6" className="hatch-line" />
          </pattern>
          <pattern id="replayed" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <line x1="0" y1="0" x2="0" y2="5" className="replayed-line" />
          </pattern>
        </defs>
      </svg>
      <div className="toolbar">
        <div className="legend" aria-label="Legend">
          <span className="legend__item">
            <span className="legend__swatch legend__swatch--inv" /> invocation
          </span>
          <span className="legend__item">
            <span className="legend__swatch legend__swatch--sleep" /> hibernating
          </span>
          {chosen && (
            <>
              <span className="legend__item">
                <span className="legend__swatch legend__swatch--executed" /> executed in #{chosen.invocation.number}
              </span>
              <span className="legend__item">
                <span className="legend__swatch legend__swatch--replayed" /> replayed
              </span>
            </>
          )}
        </div>
        {squeezable && (
          <div className="toggle-group toolbar__end" role="group" aria-label="Time scale">
            <button type="button" aria-pressed={!squeezed} onClick={() => setSqueeze(false)}>
              Real time
            </button>
            <button type="button" aria-pressed={squeezed} onClick={() => setSqueeze(true)}>
              Squeeze sleeps
            </button>
          </div>
        )}
      </div>

      <div className="tl-row tl-row--axis" style={{ height: AXIS_H }}>
        <span className="tl-label faint">{squeezed && squeezable ? "time (sleeps squeezed)" : "time since start"}</span>
        <svg width={trackWidth} height={AXIS_H} className="tl-track" aria-hidden="true">
          {scale.ticks.map((t, i) => (
            <g key={i} transform={`translate(${t.x},0)`}>
              <line y1={AXIS_H - 6} y2={AXIS_H} className="tick" />
              <text
                x={t.anchor || i === 0 ? 3 : 0}
                y={AXIS_H - 10}
                className="tick-label"
                textAnchor={t.anchor || i === 0 ? "start" : "middle"}
              >
                {t.label}
              </text>
            </g>
          ))}
          {scale.breaks.map((b, i) => (
            <g key={`b${i}`}>
              <rect x={b.x0} y={2} width={b.x1 - b.x0} height={AXIS_H - 4} fill="url(#hatch)" rx={3} />
              <title>{`slept ${formatDuration(b.gap.end - b.gap.start)} (squeezed)`}</title>
            </g>
          ))}
          {execution.endedAt === undefined && now <= end && <NowLine x={scale.x(now)} height={AXIS_H} />}
        </svg>
      </div>

      <InvocationLane
        scale={scale}
        trackWidth={trackWidth}
        invocations={invocations}
        activity={activity}
        gaps={gaps}
        now={now}
        selected={selectedInv}
        onSelect={(n) => setSelectedInv((s) => (s === n ? undefined : n))}
      />

      <VirtualRows
        className="tl-ops"
        count={tree.order.length}
        rowHeight={ROW}
        renderRow={(i, style) => {
          const node = tree.order[i]!;
          return (
            <OperationBarRow
              key={node.op.Id}
              node={node}
              style={style}
              scale={scale}
              trackWidth={trackWidth}
              gaps={gaps}
              now={now}
              indent={phone ? 8 : 14}
              mark={highlight?.get(node.op.Id) ?? (highlight ? "other" : undefined)}
              selected={selectedOp === node.op.Id}
              onSelect={() => onSelectOp(node.op.Id)}
            />
          );
        }}
      />

      <InvocationList
        activity={activity}
        executionStart={start}
        now={now}
        selected={selectedInv}
        onSelect={(n) => setSelectedInv((s) => (s === n ? undefined : n))}
      />
    </div>
  );
}

function NowLine({ x, height }: { x: number; height: number }) {
  return <line x1={x} x2={x} y1={0} y2={height} className="now-line" />;
}

function GapBands({ scale, gaps, height }: { scale: TimeScale; gaps: Gap[]; height: number }) {
  return (
    <>
      {gaps.map((g, i) => {
        const x0 = scale.x(g.start);
        const w = scale.x(g.end) - x0;
        return w >= 1 ? <rect key={i} x={x0} y={0} width={w} height={height} className="gap-band" /> : null;
      })}
    </>
  );
}

function InvocationLane({
  scale,
  trackWidth,
  invocations,
  activity,
  gaps,
  now,
  selected,
  onSelect,
}: {
  scale: TimeScale;
  trackWidth: number;
  invocations: ConsoleInvocation[];
  activity: InvocationActivity[];
  gaps: Gap[];
  now: number;
  selected: number | undefined;
  onSelect: (n: number) => void;
}) {
  return (
    <div className="tl-row tl-row--lane" style={{ height: LANE_H }}>
      <span className="tl-label">
        <strong>Invocations</strong>
        <span className="faint"> {invocations.length}</span>
      </span>
      <svg width={trackWidth} height={LANE_H} className="tl-track" role="group" aria-label="Invocations on the time axis">
        {gaps.map((g, i) => {
          const x0 = scale.x(g.start);
          const w = scale.x(g.end) - x0;
          if (w < 1) return null;
          return (
            <g key={`g${i}`} className="sleep">
              <rect x={x0} y={8} width={w} height={LANE_H - 16} fill="url(#hatch)" rx={3} />
              {w > 70 && (
                <text x={x0 + w / 2} y={LANE_H / 2 + 4} textAnchor="middle" className="sleep-label">
                  zz {formatDuration(g.end - g.start)}
                </text>
              )}
              <title>{`hibernating ${formatDuration(g.end - g.start)}`}</title>
            </g>
          );
        })}
        {activity.map(({ invocation: inv, replayed, executed }) => {
          const x0 = scale.x(inv.startedAt);
          const w = Math.max(3, scale.x(invocationEnd(inv, now)) - x0);
          const label = `Invocation #${inv.number}: ${formatDuration(invocationEnd(inv, now) - inv.startedAt)}, replayed ${replayed.length}, executed ${executed.length}${inv.error ? `, failed: ${inv.error.ErrorType ?? "error"}` : ""}`;
          return (
            <g
              key={inv.number}
              className={`inv${inv.error ? " inv--error" : ""}${inv.endedAt === undefined ? " inv--running" : ""}${selected === inv.number ? " is-selected" : ""}`}
              role="button"
              tabIndex={0}
              aria-label={label}
              aria-pressed={selected === inv.number}
              onClick={() => onSelect(inv.number)}
              onKeyDown={(e) => {
                if (e.key === "Enter" || e.key === " ") {
                  e.preventDefault();
                  onSelect(inv.number);
                }
              }}
            >
              <rect x={x0} y={6} width={w} height={LANE_H - 12} rx={4} />
              {w > 26 && (
                <text x={x0 + w / 2} y={LANE_H / 2 + 4} textAnchor="middle" className="inv-label">
                  #{inv.number}
                </text>
              )}
              <title>{label}</title>
            </g>
          );
        })}
        {scale.breaks.map((b, i) => (
          <BreakMark key={`b${i}`} x0={b.x0} x1={b.x1} height={LANE_H} />
        ))}
      </svg>
    </div>
  );
}

function BreakMark({ x0, x1, height }: { x0: number; x1: number; height: number }) {
  const mid = (x0 + x1) / 2;
  return (
    <path
      d={`M${mid - 3} 0 L${mid + 3} ${height / 3} L${mid - 3} ${(2 * height) / 3} L${mid + 3} ${height}`}
      className="break-mark"
    />
  );
}

function OperationBarRow({
  node,
  style,
  scale,
  trackWidth,
  gaps,
  now,
  indent,
  mark,
  selected,
  onSelect,
}: {
  node: OpNode;
  style: CSSProperties;
  scale: TimeScale;
  trackWidth: number;
  gaps: Gap[];
  now: number;
  indent: number;
  mark: "replayed" | "executed" | "other" | undefined;
  selected: boolean;
  onSelect: () => void;
}) {
  const { op } = node;
  const tone = statusTone(op.Status);
  const end = op.EndTimestamp ?? now;
  const x0 = scale.x(op.StartTimestamp);
  const w = Math.max(2, scale.x(end) - x0);
  const scheduled = scheduledEnd(op);
  const title = `${op.Name ?? op.Id} · ${kindLabel(op)} · ${statusLabel(op.Status)} · +${formatDuration(op.StartTimestamp - scale.start)} · ${formatDuration(end - op.StartTimestamp)}`;
  return (
    <div className={`tl-row tl-row--op${selected ? " is-selected" : ""}${mark ? ` mark-${mark}` : ""}`} style={style}>
      <button type="button" className="tl-label tl-label--op" onClick={onSelect} style={{ paddingLeft: 4 + node.depth * indent }} title={title}>
        <span className={`dot tone-${tone}`} aria-hidden="true" />
        <span className="truncate">{op.Name ?? op.Id}</span>
        <span className="visually-hidden">
          , {statusLabel(op.Status)}, {formatDuration(end - op.StartTimestamp)}
        </span>
      </button>
      <svg width={trackWidth} height={ROW} className="tl-track" aria-hidden="true" onClick={onSelect}>
        <GapBands scale={scale} gaps={gaps} height={ROW} />
        {scheduled !== undefined && scheduled > end && (
          <rect
            x={scale.x(end)}
            y={7}
            width={Math.max(0, scale.x(scheduled) - scale.x(end))}
            height={ROW - 14}
            rx={3}
            className={`bar-scheduled tone-${tone}`}
          />
        )}
        <rect x={x0} y={7} width={w} height={ROW - 14} rx={3} className={`bar tone-${tone}`} />
        {mark === "replayed" && <rect x={x0} y={7} width={w} height={ROW - 14} rx={3} fill="url(#replayed)" />}
        <title>{title}</title>
      </svg>
    </div>
  );
}

function scheduledEnd(op: ConsoleOperation): number | undefined {
  if (op.EndTimestamp !== undefined) return undefined;
  return op.WaitDetails?.ScheduledEndTimestamp ?? op.StepDetails?.NextAttemptTimestamp;
}
