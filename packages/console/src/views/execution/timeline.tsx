// The picture of time: one bar per operation on a shared axis, above them the invocations, and
// between the invocations the hibernation (hatched). Selecting an invocation shows what it
// replayed (completed before it started) and what it executed (started or completed during it).
import type { ConsoleExecutionDetail, ConsoleInvocation } from "@dormouse/protocol";
import type { CSSProperties } from "react";
import { useEffect, useMemo, useRef, useState } from "react";
import { EmptyState } from "../../components/states";
import { VirtualRows } from "../../components/virtual-rows";
import { formatDuration, formatOffset } from "../../format";
import { PHONE_QUERY, useMediaQuery } from "../../hooks";
import type { Gap, InvocationActivity } from "../../model/invocations";
import { invocationEnd } from "../../model/invocations";
import type { OpTree } from "../../model/operations";
import { linearScale, squeezedScale, worthSqueezing } from "../../model/time-scale";
import { InvocationList } from "./invocation-list";
import { AXIS_H, InvocationLane, NowLine, OperationBarRow, ROW } from "./timeline-parts";

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
          <pattern
            id="hatch"
            width="6"
            height="6"
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(45)"
          >
            <rect width="6" height="6" className="hatch-bg" />
            <line x1="0" y1="0" x2="0" y2="6" className="hatch-line" />
          </pattern>
          <pattern
            id="replayed"
            width="5"
            height="5"
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(45)"
          >
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
                <span className="legend__swatch legend__swatch--executed" /> executed in #
                {chosen.invocation.number}
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

      <div className="tl-head">
        <div className="tl-row tl-row--axis" style={{ height: AXIS_H }}>
          <span className="tl-label faint">
            {phone ? "time" : squeezed && squeezable ? "time (sleeps squeezed)" : "time since start"}
          </span>
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
          running={execution.endedAt === undefined}
        />
      </div>

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
