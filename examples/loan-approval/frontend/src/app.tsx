import { useCallback, useEffect, useState } from "react";
import { ApiError, api } from "./api";
import { ApplicationForm } from "./components/application-form";
import type { FormValues } from "./components/application-form";
import { Bureaus } from "./components/bureaus";
import { DecisionBanner } from "./components/decision-banner";
import { LogPane } from "./components/log-pane";
import { ManagerDialog } from "./components/manager-dialog";
import { ProfileCards } from "./components/profile-cards";
import { Stepper } from "./components/stepper";
import { dollars } from "./format";
import { useApplication, useHashApplicationId, useStats } from "./hooks";
import type { Profile } from "./profiles";
import { PROFILES } from "./profiles";

const fromProfile = (p: Profile): FormValues => ({
  applicantName: p.name,
  sin: p.sin,
  amount: p.amount.toLocaleString("en-US"),
});

export function App() {
  const [id, navigate] = useHashApplicationId();
  const { view, error, refresh } = useApplication(id);
  const [values, setValues] = useState<FormValues>(fromProfile(PROFILES[0]!));
  const [selected, setSelected] = useState<string | null>(PROFILES[0]!.name);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const [laterFor, setLaterFor] = useState<string | null>(null);
  const stats = useStats(`${id}:${view?.logs.length ?? 0}:${view?.execution.status ?? ""}`);

  const waitingForManager = view?.waitingFor === "manager";
  const dialogOpen = Boolean(view && waitingForManager && laterFor !== view.application.applicationId);

  useEffect(() => setLaterFor(null), [id]);

  const submit = async () => {
    const amount = Number(values.amount.replace(/[,\s$]/g, ""));
    setBusy(true);
    setProblems([]);
    try {
      const out = await api.submit({ applicantName: values.applicantName, sin: values.sin, amount });
      navigate(out.applicationId);
    } catch (err) {
      setProblems(err instanceof ApiError ? err.message.split("; ") : [(err as Error).message]);
    } finally {
      setBusy(false);
    }
  };

  const decide = useCallback(
    async (approved: boolean, manager: string, comment: string) => {
      if (!id) return;
      await api.decide(id, { approved, manager, ...(comment.trim() ? { comment } : {}) });
      setLaterFor(id);
      refresh();
    },
    [id, refresh],
  );
  const later = useCallback(() => setLaterFor(id), [id]);

  return (
    <div className="page">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            <svg viewBox="0 0 32 32">
              <path d="M9 17l5 5 9-11" />
            </svg>
          </span>
          <div>
            <strong>Lendwell</strong>
            <span>Loan approval · a durable workflow on Dormouse</span>
          </div>
        </div>
        <div className="stats" aria-label="Stats">
          <div className="stat" data-stat="applicationsSubmitted">
            <span className="stat-value">{stats?.applicationsSubmitted ?? "–"}</span>
            <span className="stat-label">Applications submitted</span>
          </div>
          <div className="stat" data-stat="approvalsProcessed">
            <span className="stat-value">{stats?.approvalsProcessed ?? "–"}</span>
            <span className="stat-label">Approvals processed</span>
          </div>
        </div>
      </header>

      <main className="layout">
        <aside className="column">
          <section className="card">
            <h2>Demo profiles</h2>
            <p className="muted">Pick an applicant to fill in the form, change the amount if you like.</p>
            <ProfileCards
              selected={selected}
              onPick={(p) => {
                setSelected(p.name);
                setValues(fromProfile(p));
                setProblems([]);
              }}
            />
          </section>
          <section className="card">
            <h2>New application</h2>
            <ApplicationForm
              values={values}
              onChange={(v) => {
                setValues(v);
                setSelected(PROFILES.find((p) => p.name === v.applicantName)?.name ?? null);
              }}
              onSubmit={() => void submit()}
              busy={busy}
              problems={problems}
            />
          </section>
        </aside>

        <section className="column wide">
          {!id && (
            <div className="card empty">
              <h2>Watch an application go through</h2>
              <p className="muted">
                Submit an application: the workflow validates it, asks three credit bureaus in parallel,
                assesses it, waits for a manager when the amount is large, has the fraud check call back, and
                decides. Its steps and log lines appear here as they happen.
              </p>
            </div>
          )}
          {id && !view && (
            <div className="card empty">
              <h2>{error ? "Could not load the application" : "Loading…"}</h2>
              {error && <p className="problems">{error}</p>}
            </div>
          )}
          {view && (
            <div className="card application" data-application={view.application.applicationId}>
              <div className="app-head">
                <div>
                  <span className="eyebrow">Application {view.application.applicationId}</span>
                  <h2>
                    {view.application.applicantName} · {dollars(view.application.amount)}
                  </h2>
                  <span className="muted small">SIN ending {view.application.sinLast4}</span>
                </div>
                <span className={`chip status-${view.execution.status.toLowerCase()}`}>
                  {view.execution.status}
                </span>
              </div>
              <Stepper stages={view.stages} />
              <DecisionBanner view={view} onReview={() => setLaterFor(null)} />
              <Bureaus view={view} />
              <LogPane lines={view.logs} correlationId={view.application.applicationId} />
            </div>
          )}
        </section>
      </main>
      {dialogOpen && view && <ManagerDialog view={view} onDecide={decide} onLater={later} />}
    </div>
  );
}
