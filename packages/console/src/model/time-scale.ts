// Maps instants to x positions for the timeline. The real scale is linear; the compressed scale
// squeezes long hibernations (a wait of three days next to steps of 40 ms) to a fixed width so the
// work stays visible, and marks each squeezed gap with a break.
import type { Gap } from "./invocations";

export interface Tick {
  x: number;
  label: string;
  /** Labels at the start of the axis or right after a break read from their tick onwards. */
  anchor?: "start";
}

export interface Break {
  x0: number;
  x1: number;
  gap: Gap;
}

export interface TimeScale {
  start: number;
  end: number;
  width: number;
  x(t: number): number;
  ticks: Tick[];
  breaks: Break[];
}

const NICE_STEPS_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
  600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
  172_800_000, 604_800_000,
];

export function niceStep(span: number, maxTicks: number): number {
  const raw = span / Math.max(1, maxTicks);
  return NICE_STEPS_MS.find((s) => s >= raw) ?? Math.ceil(raw / 604_800_000) * 604_800_000;
}

export function linearScale(
  start: number,
  end: number,
  width: number,
  label: (offsetMs: number) => string,
): TimeScale {
  const span = Math.max(1, end - start);
  const x = (t: number) => ((t - start) / span) * width;
  const step = niceStep(span, Math.max(2, Math.floor(width / 90)));
  const ticks: Tick[] = [];
  for (let offset = 0; offset <= span; offset += step)
    ticks.push({ x: x(start + offset), label: label(offset) });
  return { start, end, width, x, ticks, breaks: [] };
}

interface Segment {
  t0: number;
  t1: number;
  x0: number;
  x1: number;
  squeezed: boolean;
}

/** Gaps longer than this share of the wall time are squeezed. */
const SQUEEZE_SHARE = 0.15;
const BREAK_WIDTH = 28;

/** True when squeezing would change the picture: some gap dominates the wall time. */
export function worthSqueezing(start: number, end: number, gaps: readonly Gap[]): boolean {
  const span = end - start;
  return span > 2000 && gaps.some((g) => g.end - g.start > span * 0.5);
}

export function squeezedScale(
  start: number,
  end: number,
  width: number,
  gaps: readonly Gap[],
  label: (offsetMs: number) => string,
): TimeScale {
  const span = Math.max(1, end - start);
  const squeezed = gaps
    .filter((g) => g.end - g.start > span * SQUEEZE_SHARE && g.end > start && g.start < end)
    .sort((a, b) => a.start - b.start);
  const budget = Math.max(width * 0.3, width - squeezed.length * BREAK_WIDTH);
  const breakWidth = squeezed.length > 0 ? Math.min(BREAK_WIDTH, (width - budget) / squeezed.length) : 0;
  const linearTotal = Math.max(1, span - squeezed.reduce((sum, g) => sum + (g.end - g.start), 0));
  const segments: Segment[] = [];
  let t = start;
  let x = 0;
  const push = (t1: number, isSqueezed: boolean) => {
    if (t1 <= t) return;
    const w = isSqueezed ? breakWidth : ((t1 - t) / linearTotal) * budget;
    segments.push({ t0: t, t1, x0: x, x1: x + w, squeezed: isSqueezed });
    t = t1;
    x += w;
  };
  for (const g of squeezed) {
    push(Math.max(start, g.start), false);
    push(Math.min(end, g.end), true);
  }
  push(end, false);

  const toX = (time: number): number => {
    if (time <= start) return 0;
    for (const s of segments) {
      if (time <= s.t1) return s.x0 + ((time - s.t0) / Math.max(1, s.t1 - s.t0)) * (s.x1 - s.x0);
    }
    return x;
  };
  const ticks: Tick[] = [];
  for (const s of segments) {
    if (s.squeezed) continue;
    const segWidth = s.x1 - s.x0;
    ticks.push({ x: s.x0, label: label(s.t0 - start), anchor: "start" });
    const step = niceStep(s.t1 - s.t0, Math.floor(segWidth / 90));
    for (let at = s.t0 + step - ((s.t0 - start) % step); at < s.t1; at += step) {
      const tx = toX(at);
      if (tx - s.x0 > 60 && s.x1 - tx > 30) ticks.push({ x: tx, label: label(at - start) });
    }
  }
  const breaks = segments
    .filter((s) => s.squeezed)
    .map((s) => ({ x0: s.x0, x1: s.x1, gap: { start: s.t0, end: s.t1 } }));
  return { start, end, width, x: toX, ticks, breaks };
}
