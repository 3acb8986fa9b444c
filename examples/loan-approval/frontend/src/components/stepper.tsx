import type { Stage } from "../api";

const STATE_TEXT: Record<Stage["state"], string> = {
  pending: "Pending",
  active: "Running",
  waiting: "Waiting",
  done: "Done",
  skipped: "Skipped",
  failed: "Failed",
};

const DETAIL_TEXT: Record<string, string> = {
  approved: "Approved",
  denied: "Denied",
  "manager-review": "Needs a manager",
};

function Mark({ state, index }: { state: Stage["state"]; index: number }) {
  if (state === "done")
    return (
      <svg viewBox="0 0 20 20" aria-hidden="true">
        <path d="M5 10.5l3.2 3.2L15 7" />
      </svg>
    );
  if (state === "failed")
    return (
      <svg viewBox="0 0 20 20" aria-hidden="true">
        <path d="M6.5 6.5l7 7M13.5 6.5l-7 7" />
      </svg>
    );
  if (state === "waiting")
    return (
      <svg viewBox="0 0 20 20" aria-hidden="true">
        <circle cx="10" cy="10" r="5.5" />
        <path d="M10 7.2V10l2 1.4" />
      </svg>
    );
  if (state === "skipped") return <span>–</span>;
  return <span>{index + 1}</span>;
}

export function Stepper({ stages }: { stages: Stage[] }) {
  return (
    <ol className="stepper" aria-label="Workflow steps">
      {stages.map((s, i) => (
        <li key={s.key} className={`step state-${s.state}`} data-stage={s.key} data-state={s.state}>
          <span className="step-mark">
            <Mark state={s.state} index={i} />
          </span>
          <span className="step-label">{s.label}</span>
          <span className="step-state">
            {s.detail && s.state !== "skipped" ? (DETAIL_TEXT[s.detail] ?? s.detail) : STATE_TEXT[s.state]}
          </span>
        </li>
      ))}
    </ol>
  );
}
