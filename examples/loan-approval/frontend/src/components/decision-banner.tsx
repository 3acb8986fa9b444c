import type { ApplicationView } from "../api";
import { dollars } from "../format";

export function DecisionBanner({ view, onReview }: { view: ApplicationView; onReview: () => void }) {
  const { decision, execution, waitingFor, application } = view;
  if (decision) {
    const approved = decision.status === "APPROVED";
    return (
      <div
        className={`banner ${approved ? "approved" : "denied"}`}
        role="status"
        data-outcome={decision.status}
      >
        <span className="banner-icon" aria-hidden="true">
          {approved ? "✓" : "✕"}
        </span>
        <div>
          <strong>
            {approved ? "Approved" : "Denied"} · {dollars(decision.amount)} for {decision.applicantName}
          </strong>
          <span>{decision.reason}</span>
        </div>
      </div>
    );
  }
  if (execution.status !== "RUNNING") {
    return (
      <div className="banner denied" role="status" data-outcome={execution.status}>
        <span className="banner-icon" aria-hidden="true">
          !
        </span>
        <div>
          <strong>The workflow {execution.status.toLowerCase().replace("_", " ")}</strong>
          <span>{execution.error?.message ?? "See the log and the console for the details."}</span>
        </div>
      </div>
    );
  }
  if (waitingFor === "manager") {
    return (
      <div className="banner waiting" role="status" data-outcome="WAITING">
        <span className="banner-icon" aria-hidden="true">
          <svg viewBox="0 0 20 20">
            <rect x="6" y="5" width="2.6" height="10" rx="1" />
            <rect x="11.4" y="5" width="2.6" height="10" rx="1" />
          </svg>
        </span>
        <div>
          <strong>Waiting for a manager</strong>
          <span>
            {dollars(application.amount)} is above the approval threshold; the workflow is suspended until a
            manager answers.
          </span>
        </div>
        <button type="button" className="button primary" onClick={onReview}>
          Review as manager
        </button>
      </div>
    );
  }
  return (
    <div className="banner running" role="status" data-outcome="RUNNING">
      <span className="banner-icon spin" aria-hidden="true" />
      <div>
        <strong>{waitingFor === "fraud-check" ? "Waiting for the fraud check" : "Processing"}</strong>
        <span>
          {waitingFor === "fraud-check"
            ? "The fraud-check function will complete the workflow's callback on its own."
            : "The workflow is running its steps."}
        </span>
      </div>
    </div>
  );
}
