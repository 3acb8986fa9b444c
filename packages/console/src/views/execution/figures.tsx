// Wall time, split into active compute and hibernation, and how many invocations it took.
import type { ExecutionFigures } from "../../model/invocations";
import { formatCount, formatDuration } from "../../format";

export function Figures({ figures: f, running }: { figures: ExecutionFigures; running: boolean }) {
  const activeShare = f.wallMs > 0 ? Math.min(1, f.activeMs / f.wallMs) : 0;
  return (
    <section className="figures card" aria-label="Time and invocations">
      <Figure label="Wall time" value={formatDuration(f.wallMs)} hint={running ? "so far" : "start to end"} />
      <Figure
        label="Active compute"
        value={formatDuration(f.activeMs)}
        hint="sum of invocation durations"
        tone="accent"
      />
      <Figure
        label="Hibernation"
        value={formatDuration(f.hibernatingMs)}
        hint="no process, no compute"
        tone="sleep"
      />
      <Figure
        label="Invocations"
        value={formatCount(f.invocations)}
        hint={`${formatCount(f.replays)} ${f.replays === 1 ? "replay" : "replays"}`}
      />
      <div
        className="figures__bar"
        aria-hidden="true"
        title={`${Math.round(activeShare * 1000) / 10}% active`}
      >
        <span
          className="figures__active"
          style={{ width: `${Math.max(activeShare * 100, f.activeMs > 0 ? 0.5 : 0)}%` }}
        />
      </div>
    </section>
  );
}

function Figure({ label, value, hint, tone }: { label: string; value: string; hint: string; tone?: string }) {
  return (
    <div className={`figure${tone ? ` figure--${tone}` : ""}`}>
      <span className="figure__label">{label}</span>
      <span className="figure__value">{value}</span>
      <span className="figure__hint">{hint}</span>
    </div>
  );
}
