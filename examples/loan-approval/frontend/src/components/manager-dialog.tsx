import { useEffect, useRef, useState } from "react";
import type { ApplicationView } from "../api";
import { dollars } from "../format";

export function ManagerDialog({
  view,
  onDecide,
  onLater,
}: {
  view: ApplicationView;
  onDecide: (approved: boolean, manager: string, comment: string) => Promise<void>;
  onLater: () => void;
}) {
  const [manager, setManager] = useState("Morgan Lee");
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState<"approve" | "deny" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLTextAreaElement>(null);
  const { application } = view;
  const score = view.logs.map((l) => l.entry.creditScore).find((s) => typeof s === "number") as
    number | undefined;

  useEffect(() => {
    first.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onLater();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onLater]);

  const decide = async (approved: boolean) => {
    setBusy(approved ? "approve" : "deny");
    setError(null);
    try {
      await onDecide(approved, manager, comment);
    } catch (err) {
      setError((err as Error).message);
      setBusy(null);
    }
  };

  return (
    <div className="overlay">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="manager-title">
        <div className="dialog-badge">Manager approval required</div>
        <h2 id="manager-title">
          {application.applicantName} asks for {dollars(application.amount)}
        </h2>
        <p className="dialog-lead">
          The workflow is paused on <code>waitForCallback("manager-approval")</code>. It costs nothing while
          it waits; your answer completes the callback and the workflow carries on.
        </p>
        <dl className="facts">
          <div>
            <dt>Application</dt>
            <dd>{application.applicationId}</dd>
          </div>
          <div>
            <dt>Credit score</dt>
            <dd>{score ?? "—"}</dd>
          </div>
          <div>
            <dt>SIN</dt>
            <dd>ending {application.sinLast4}</dd>
          </div>
        </dl>
        {view.assessment && <p className="dialog-reason">{view.assessment.reason}</p>}
        <label className="field">
          <span>Manager</span>
          <input value={manager} onChange={(e) => setManager(e.target.value)} name="manager" />
        </label>
        <label className="field">
          <span>Comment (optional)</span>
          <textarea
            ref={first}
            rows={2}
            value={comment}
            name="comment"
            placeholder="Why you decided as you did"
            onChange={(e) => setComment(e.target.value)}
          />
        </label>
        {error && (
          <p className="problems" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button ghost" onClick={onLater} disabled={busy !== null}>
            Later
          </button>
          <span className="spacer" />
          <button
            type="button"
            className="button danger"
            onClick={() => void decide(false)}
            disabled={busy !== null}
          >
            {busy === "deny" ? "Denying…" : "Deny"}
          </button>
          <button
            type="button"
            className="button success"
            onClick={() => void decide(true)}
            disabled={busy !== null}
          >
            {busy === "approve" ? "Approving…" : "Approve"}
          </button>
        </div>
      </div>
    </div>
  );
}
