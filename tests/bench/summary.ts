// The closing table: each figure beside the local runner's and the target from the issue.
import type { CallbackFigures } from "./sections/callbacks.js";
import type { ColdStartFigures } from "./sections/cold-start.js";
import type { MemoryFigures } from "./sections/memory.js";
import type { StepFigures } from "./sections/steps.js";
import type { ThroughputFigures } from "./sections/throughput.js";
import type { WaitFigures } from "./sections/waits.js";
import { fmt, ratio } from "./support.js";

export interface Figures {
  steps?: StepFigures;
  tput?: ThroughputFigures;
  callbacks?: CallbackFigures;
  waits?: WaitFigures;
  cold?: ColdStartFigures;
  memory?: MemoryFigures;
}

const yes = (ok: boolean) => (ok ? "yes" : "no");
const ms = (v: number, digits: number) => `${fmt(v, digits)} ms`;

/** Rows of [figure, dormouse, local runner, ratio, target, met]. */
export function summaryRows(f: Figures): string[][] {
  const rows: string[][] = [];
  if (f.steps) {
    const [d, l] = [f.steps.dormouse.inHandlerPerStep, f.steps.local.inHandlerPerStep];
    rows.push([
      "ms per step (100 steps, in handler)",
      ms(d, 3),
      ms(l, 3),
      ratio(d, l),
      "≤ 0.6 ms (fsync-durable)",
      yes(d <= 0.6),
    ]);
  }
  if (f.tput) {
    const [d, l] = [f.tput.dormouse.perSecond, f.tput.local.perSecond];
    rows.push([
      `executions/s (${f.tput.total} × 3 steps, 50 in flight)`,
      fmt(d, 0),
      fmt(l, 0),
      ratio(d, l, true),
      "≥ 1,000",
      yes(d >= 1000),
    ]);
  }
  if (f.callbacks) {
    const { dormouse: d, local: l } = f.callbacks;
    rows.push([
      "callback → completion, median",
      ms(d.median, 2),
      ms(l.median, 2),
      ratio(d.median, l.median),
      "≤ 2 ms",
      yes(d.median <= 2),
    ]);
    rows.push(["callback → completion, p99", ms(d.p99, 2), ms(l.p99, 2), ratio(d.p99, l.p99), "", ""]);
  }
  if (f.waits) {
    const { dormouse: d, local: l } = f.waits;
    rows.push([
      "1 s wait overshoot (timer), median",
      ms(d.timerMedian, 1),
      ms(l.timerMedian, 1),
      ratio(d.timerMedian, l.timerMedian),
      "≤ 2 ms",
      yes(d.timerMedian <= 2),
    ]);
    rows.push([
      "1 s wait overshoot (timer), p99",
      ms(d.timerP99, 1),
      ms(l.timerP99, 1),
      ratio(d.timerP99, l.timerP99),
      "",
      "",
    ]);
    rows.push([
      "1 s wait overshoot (end to end), median",
      ms(d.endToEndMedian, 1),
      ms(l.endToEndMedian, 1),
      ratio(d.endToEndMedian, l.endToEndMedian),
      "",
      "",
    ]);
  }
  if (f.cold) {
    rows.push([
      "cold start (startServer → 1st invoke)",
      ms(f.cold.median, 0),
      `(${ms(f.cold.local, 0)})`,
      "",
      "≤ 300 ms",
      yes(f.cold.median <= 300),
    ]);
  }
  if (f.memory) {
    const m = f.memory;
    const busy = m.after.busyWorkers;
    rows.push([
      `per waiting execution (${m.waiting.toLocaleString("en-US")} parked)`,
      `${fmt(m.rssPerExecution / 1024, 2)} KB RSS, ${fmt(m.heapPerExecution / 1024, 2)} KB heap, ${busy} busy workers`,
      "",
      "",
      "no process, ≤ 1 KB heap",
      yes(busy === 0 && m.heapPerExecution <= 1024),
    ]);
  }
  return rows;
}

export function printSummary(rows: string[][], conditions: string): void {
  const header = ["figure", "dormouse", "local runner", "ratio", "target", "met"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const render = (r: string[]) => `  ${r.map((c, i) => c.padEnd(widths[i]!)).join("  ")}`.trimEnd();
  console.log(`\nSummary (${conditions})`);
  console.log("  ratio = dormouse vs local runner on the same machine, same handlers");
  console.log(render(header));
  console.log(`  ${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const r of rows) console.log(render(r));
}
