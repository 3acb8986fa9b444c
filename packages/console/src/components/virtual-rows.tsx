// Renders only the rows that are on screen (plus some overscan) of a long list of fixed-height
// rows, scrolled by the page itself: 10,000 executions or 3,000 operations cost a few dozen nodes.
import type { CSSProperties, ReactNode, RefObject } from "react";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

interface Range {
  start: number;
  end: number;
}

export function useWindowRange(
  ref: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  overscan = 12,
): Range {
  const [range, setRange] = useState<Range>({ start: 0, end: Math.min(count, 40) });
  const measure = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const top = el.getBoundingClientRect().top;
    const viewport = window.innerHeight;
    const first = Math.floor(Math.max(0, -top) / rowHeight);
    const last = Math.ceil(Math.max(0, viewport - top) / rowHeight);
    const next = { start: Math.max(0, first - overscan), end: Math.min(count, last + overscan) };
    setRange((r) => (r.start === next.start && r.end === next.end ? r : next));
  }, [ref, count, rowHeight, overscan]);

  useLayoutEffect(measure);

  useEffect(() => {
    let frame = 0;
    const schedule = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        measure();
      });
    };
    window.addEventListener("scroll", schedule, { passive: true });
    window.addEventListener("resize", schedule);
    const observer = new ResizeObserver(schedule);
    observer.observe(document.body);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener("scroll", schedule);
      window.removeEventListener("resize", schedule);
      observer.disconnect();
    };
  }, [measure]);
  return range;
}

/** Lists up to this long are rendered whole (cheap, and the browser's find-in-page sees them). */
const RENDER_ALL_BELOW = 200;

export function VirtualRows({
  count,
  rowHeight,
  renderRow,
  className,
  role,
  label,
  onEndReached,
}: {
  count: number;
  rowHeight: number;
  renderRow: (index: number, style: CSSProperties) => ReactNode;
  className?: string;
  role?: string;
  label?: string;
  /** Called when the last rows come on screen (to load the next page). */
  onEndReached?: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const windowed = useWindowRange(ref, count, rowHeight);
  const { start, end } = count <= RENDER_ALL_BELOW ? { start: 0, end: count } : windowed;
  const endReached = useRef(onEndReached);
  useEffect(() => {
    endReached.current = onEndReached;
  });
  useEffect(() => {
    if (count > 0 && end >= count - 5) endReached.current?.();
  }, [end, count]);
  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    rows.push(
      renderRow(i, {
        position: "absolute",
        top: 0,
        left: 0,
        right: 0,
        height: rowHeight,
        transform: `translateY(${i * rowHeight}px)`,
      }),
    );
  }
  return (
    <div
      ref={ref}
      className={className}
      role={role}
      aria-label={label}
      aria-rowcount={role ? count : undefined}
      style={{ position: "relative", height: count * rowHeight }}
    >
      {rows}
    </div>
  );
}
