// Human-readable output: aligned tables for lists, `key: value` blocks for one item, local ISO
// times. Everything here is a pure function of its arguments so it is tested without a server.

export type Cell = string | number | undefined;

/** Columns padded to their widest cell; the last column is not padded, so no trailing spaces. */
export function formatTable(headers: string[], rows: Cell[][]): string {
  const cells = [headers, ...rows.map((row) => headers.map((_, i) => cellText(row[i])))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => width(row[i] ?? ""))));
  return cells
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat(widths[i]! - width(cell))))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** `key: value` lines with values aligned; undefined values are left out, multi-line values indented. */
export function formatRecord(entries: [string, Cell][]): string {
  const present = entries.filter((entry): entry is [string, string | number] => entry[1] !== undefined);
  const keyWidth = Math.max(0, ...present.map(([key]) => key.length + 1));
  return present
    .map(([key, value]) => {
      const label = `${key}:`.padEnd(keyWidth + 1);
      return (
        label +
        String(value)
          .split("\n")
          .join("\n" + " ".repeat(label.length))
      );
    })
    .join("\n");
}

/**
 * A local time in ISO 8601 with its offset, e.g. `2025-06-01T14:03:07.250+02:00`. The offset is a
 * parameter so tests do not depend on the machine's time zone.
 */
export function formatTime(
  date: Date | undefined,
  offsetMinutes = date ? -date.getTimezoneOffset() : 0,
): string {
  if (date === undefined || Number.isNaN(date.getTime())) return "";
  const shifted = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, -1);
  if (offsetMinutes === 0) return `${shifted}Z`;
  const sign = offsetMinutes > 0 ? "+" : "-";
  const abs = Math.abs(offsetMinutes);
  return `${shifted}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** `850ms`, `2.5s`, `3m 20s`, `1h 5m`, `7d`: short enough for a table column. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return joinUnits([Math.floor(s / 60), "m"], [s % 60, "s"]);
  if (s < 86_400) return joinUnits([Math.floor(s / 3600), "h"], [Math.floor((s % 3600) / 60), "m"]);
  return joinUnits([Math.floor(s / 86_400), "d"], [Math.floor((s % 86_400) / 3600), "h"]);
}

/** `1h 5m`, but `1h` rather than `1h 0m`. */
function joinUnits(major: [number, string], minor: [number, string]): string {
  return minor[0] === 0 ? `${major[0]}${major[1]}` : `${major[0]}${major[1]} ${minor[0]}${minor[1]}`;
}

/** Seconds as the API reports durations (waits, timeouts), e.g. `90s` → `1m 30s`. */
export function formatSeconds(seconds: number): string {
  return formatDuration(seconds * 1000);
}

export interface ErrorLike {
  ErrorType?: string | undefined;
  ErrorMessage?: string | undefined;
}

/** `Type: message`, or whichever half exists. */
export function formatErrorObject(error: ErrorLike | undefined): string | undefined {
  if (error === undefined) return undefined;
  const parts = [error.ErrorType, error.ErrorMessage].filter((p) => p !== undefined && p !== "");
  return parts.length > 0 ? parts.join(": ") : "(no details)";
}

/** One line, at most `max` characters, for table cells holding payloads. */
export function truncate(text: string, max = 60): string {
  const line = text.replace(/\s*\n\s*/g, " ");
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** Raw API output for `--json`: the SDK's response minus its transport metadata; Dates become ISO. */
export function toJson(output: object): string {
  const { $metadata: _metadata, ...rest } = output as { $metadata?: unknown };
  return JSON.stringify(rest, null, 2);
}

function cellText(cell: Cell): string {
  return cell === undefined ? "" : String(cell);
}

/** Code points, so an ellipsis counts as one column. */
function width(text: string): number {
  return [...text].length;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}
