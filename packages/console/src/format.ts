// Formatting shared by every view: durations, instants, counts and JSON payloads.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A duration for people: "840 ms", "1.25 s", "3 m 12 s", "2 h 5 m", "3 d 4 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  if (ms < 0) ms = 0;
  if (ms < SECOND) return `${Math.round(ms)} ms`;
  if (ms < 10 * SECOND) return `${trim(ms / SECOND, 2)} s`;
  if (ms < MINUTE) return `${trim(ms / SECOND, 1)} s`;
  if (ms < HOUR) return pair(ms, MINUTE, "m", SECOND, "s");
  if (ms < DAY) return pair(ms, HOUR, "h", MINUTE, "m");
  return pair(ms, DAY, "d", HOUR, "h");
}

function trim(value: number, digits: number): string {
  return value.toFixed(digits).replace(/\.?0+$/, "");
}

function pair(ms: number, big: number, bigUnit: string, small: number, smallUnit: string): string {
  const whole = Math.floor(ms / big);
  const rest = Math.floor((ms - whole * big) / small);
  return rest === 0 ? `${whole} ${bigUnit}` : `${whole} ${bigUnit} ${rest} ${smallUnit}`;
}

/** A compact axis label for an offset from the start: "0", "+250ms", "+1.5s", "+2m", "+3h", "+2d". */
export function formatOffset(ms: number): string {
  if (ms === 0) return "0";
  if (ms < SECOND) return `+${Math.round(ms)}ms`;
  if (ms < MINUTE) return `+${trim(ms / SECOND, 2)}s`;
  if (ms < HOUR) return `+${trim(ms / MINUTE, 1)}m`;
  if (ms < DAY) return `+${trim(ms / HOUR, 1)}h`;
  return `+${trim(ms / DAY, 1)}d`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
});
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
});
const fullFormat = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  fractionalSecondDigits: 3,
  hour12: false,
  timeZoneName: "short",
});

/** "14:03:05" today, "Jul 4, 14:03:05" otherwise. */
export function formatInstant(ms: number, now: number = Date.now()): string {
  const d = new Date(ms);
  return sameDay(d, new Date(now)) ? timeFormat.format(d) : dateTimeFormat.format(d);
}

/** Everything, to the millisecond, for tooltips. */
export function formatFullInstant(ms: number): string {
  return fullFormat.format(new Date(ms));
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** "just now", "12 s ago", "5 m ago", "3 h ago", "2 d ago"; "in 4 m" for the future. */
export function formatRelative(ms: number, now: number = Date.now()): string {
  const delta = now - ms;
  const abs = Math.abs(delta);
  if (abs < 5 * SECOND) return "just now";
  let text: string;
  if (abs < MINUTE) text = `${Math.floor(abs / SECOND)} s`;
  else if (abs < HOUR) text = `${Math.floor(abs / MINUTE)} m`;
  else if (abs < DAY) text = `${Math.floor(abs / HOUR)} h`;
  else text = `${Math.floor(abs / DAY)} d`;
  return delta >= 0 ? `${text} ago` : `in ${text}`;
}

const integer = new Intl.NumberFormat(undefined);
export function formatCount(n: number): string {
  return integer.format(n);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export type ParsedPayload =
  { kind: "json"; value: unknown } | { kind: "text"; text: string } | { kind: "empty" };

/** Payloads travel as strings; most are JSON, some are not (a callback result can be any text). */
export function parsePayload(text: string | undefined): ParsedPayload {
  if (text === undefined || text === "") return { kind: "empty" };
  try {
    return { kind: "json", value: JSON.parse(text) as unknown };
  } catch {
    return { kind: "text", text };
  }
}

export interface JsonProblem {
  message: string;
  line?: number;
  column?: number;
}

/**
 * Checks that `text` is JSON and says where it is not. Engines word their errors differently;
 * V8 gives "… in JSON at position 12 (line 2 column 3)", or only a position.
 */
export function checkJson(text: string): JsonProblem | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const lineCol = /line (\d+) column (\d+)/.exec(message);
    if (lineCol) {
      const short = message.replace(/\s*\(line \d+ column \d+\)$/, "");
      return { message: short, line: Number(lineCol[1]), column: Number(lineCol[2]) };
    }
    const pos = /position (\d+)/.exec(message);
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split("\n").length;
      const column = before.length - before.lastIndexOf("\n");
      return { message, line, column };
    }
    return { message };
  }
}

/** Shortens the middle of a long id: "arn:aws:lambda:…/durable-execution/order-42/7f3a…". */
export function middleEllipsis(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = max - 1;
  const head = Math.ceil(keep * 0.45);
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${trim(n / 1024, 1)} KB`;
  return `${trim(n / 1024 / 1024, 1)} MB`;
}
