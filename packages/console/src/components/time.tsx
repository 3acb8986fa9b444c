// Instants and durations in the UI: readable text, exact value on hover.
import { formatDuration, formatFullInstant, formatInstant, formatRelative } from "../format";

export function Instant({
  ms,
  now,
  relative = false,
}: {
  ms: number | undefined;
  now?: number;
  relative?: boolean;
}) {
  if (ms === undefined) return <span className="faint">—</span>;
  return (
    <time dateTime={new Date(ms).toISOString()} title={formatFullInstant(ms)}>
      {relative ? formatRelative(ms, now) : formatInstant(ms, now)}
    </time>
  );
}

export function Duration({ ms, live = false }: { ms: number | undefined; live?: boolean }) {
  if (ms === undefined) return <span className="faint">—</span>;
  return (
    <span className={live ? "duration is-live" : "duration"} title={`${Math.round(ms).toLocaleString()} ms`}>
      {formatDuration(ms)}
    </span>
  );
}
