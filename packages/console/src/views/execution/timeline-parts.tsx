// Pieces of the timeline drawn in SVG: the invocation lane with its hibernation gaps, the bar of
// one operation, and the marks they share (the "now" line, squeezed-sleep breaks).
import type { ConsoleInvocation, ConsoleOperation } from "@dormouse/protocol";
import type { CSSProperties } from "react";
import { statusLabel, statusTone } from "../../components/status-badge";
import { formatDuration } from "../../format";
import type { Gap, InvocationActivity } from "../../model/invocations";
import { invocationEnd } from "../../model/invocations";
import type { OpNode } from "../../model/operations";
import { kindLabel } from "../../model/operations";
import type { TimeScale } from "../../model/time-scale";

export const ROW = 26;
export const AXIS_H = 28;
export const LANE_H = 40;

export function NowLine({ x, height }: { x: number; height: number }) {
  return <line x1={x} x2={x} y1={0} y2={height} className="now-line" />;
}

export function GapBands({ scale, gaps, height }: { scale: TimeScale; gaps: Gap[]; height: number }) {
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

export function InvocationLane({
  scale,
  trackWidth,
  invocations,
  activity,
  gaps,
  now,
  selected,
  onSelect,
  running,
}: {
  scale: TimeScale;
  trackWidth: number;
  invocations: ConsoleInvocation[];
  activity: InvocationActivity[];
  gaps: Gap[];
  now: number;
  selected: number | undefined;
  onSelect: (n: number) => void;
  running: boolean;
}) {
  return (
    <div className="tl-row tl-row--lane" style={{ height: LANE_H }}>
      <span className="tl-label">
        <strong>Invocations</strong>
        <span className="faint"> {invocations.length}</span>
      </span>
      <svg
        width={trackWidth}
        height={LANE_H}
        className="tl-track"
        role="group"
        aria-label="Invocations on the time axis"
      >
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
        {running && <NowLine x={scale.x(now)} height={LANE_H} />}
      </svg>
    </div>
  );
}

export function BreakMark({ x0, x1, height }: { x0: number; x1: number; height: number }) {
  const mid = (x0 + x1) / 2;
  return (
    <path
      d={`M${mid - 3} 0 L${mid + 3} ${height / 3} L${mid - 3} ${(2 * height) / 3} L${mid + 3} ${height}`}
      className="break-mark"
    />
  );
}

export function OperationBarRow({
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
  const name = op.Name ?? kindLabel(op);
  const title = `${name} · ${kindLabel(op)} · ${op.Id} · ${statusLabel(op.Status)} · +${formatDuration(op.StartTimestamp - scale.start)} · ${formatDuration(end - op.StartTimestamp)}`;
  return (
    <div
      className={`tl-row tl-row--op${selected ? " is-selected" : ""}${mark ? ` mark-${mark}` : ""}`}
      style={style}
    >
      <button
        type="button"
        className="tl-label tl-label--op"
        onClick={onSelect}
        style={{ paddingLeft: 4 + node.depth * indent }}
        title={title}
      >
        <span className={`dot tone-${tone}`} aria-hidden="true" />
        <span className={op.Name ? "truncate" : "truncate faint"}>{name}</span>
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
        {mark === "replayed" && (
          <rect x={x0} y={7} width={w} height={ROW - 14} rx={3} fill="url(#replayed)" />
        )}
        <title>{title}</title>
      </svg>
    </div>
  );
}

function scheduledEnd(op: ConsoleOperation): number | undefined {
  if (op.EndTimestamp !== undefined) return undefined;
  return op.WaitDetails?.ScheduledEndTimestamp ?? op.StepDetails?.NextAttemptTimestamp;
}
