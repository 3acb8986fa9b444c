// The landing page: how many executions are in each state, the latest ones, and the functions.
import type { ExecutionStatus } from "@dormouse/protocol";
import { EXECUTION_STATUSES } from "@dormouse/protocol";
import { useEffect, useMemo } from "react";
import { Icon } from "../components/icons";
import { statusLabel, statusTone } from "../components/status-badge";
import { EmptyState, ErrorState, LoadingRows } from "../components/states";
import { formatCount } from "../format";
import { useClient, useNow, useResource, useThrottledReload } from "../hooks";
import { Link } from "../router";
import { useStartExecution } from "../start-context";
import { ExecutionRow } from "./executions/execution-row";
import { useExecutionList } from "./executions/use-execution-list";
import { StatusBar } from "./functions-view";

const NO_FILTERS = {};

export function OverviewView() {
  const client = useClient();
  const functions = useResource("functions", (signal) => client.functions(signal));
  useThrottledReload(functions.reload);
  const recent = useExecutionList(NO_FILTERS, 8, 8);
  const now = useNow(
    1000,
    recent.rows.some((r) => r.status === "RUNNING"),
  );
  const start = useStartExecution();
  useEffect(() => {
    document.title = "Dormouse";
  }, []);

  const totals = useMemo(() => {
    const t = Object.fromEntries(EXECUTION_STATUSES.map((s) => [s, 0])) as Record<ExecutionStatus, number>;
    for (const f of functions.data?.functions ?? [])
      for (const s of EXECUTION_STATUSES) t[s] += f.counts[s] ?? 0;
    return t;
  }, [functions.data]);
  const total = EXECUTION_STATUSES.reduce((sum, s) => sum + totals[s], 0);
  const durable = functions.data?.functions.filter((f) => f.durable) ?? [];

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Overview</h1>
          <p className="muted">What is running, what is waiting, and what needs you.</p>
        </div>
      </div>

      {functions.error && !functions.data ? (
        <div className="card">
          <ErrorState error={functions.error} onRetry={functions.reload} />
        </div>
      ) : (
        <section aria-label="Executions by status" className="tiles">
          {EXECUTION_STATUSES.map((s) => (
            <Link key={s} to={`/executions?status=${s}`} className={`tile tone-${statusTone(s)}`}>
              <span className="tile__label">
                <span className="tile__dot" aria-hidden="true" />
                {statusLabel(s)}
              </span>
              <span className="tile__n">{functions.data ? formatCount(totals[s]) : "–"}</span>
            </Link>
          ))}
        </section>
      )}
      {functions.data && total > 0 && <StatusBar counts={totals} total={total} />}

      <div className="overview-grid">
        <section className="card card--flush" aria-labelledby="recent-h">
          <div className="card__head">
            <h2 id="recent-h">Latest executions</h2>
            <Link to="/executions" className="small-link">
              View all →
            </Link>
          </div>
          {recent.loading && recent.rows.length === 0 ? (
            <div className="card__pad">
              <LoadingRows rows={4} />
            </div>
          ) : recent.error && recent.rows.length === 0 ? (
            <ErrorState error={recent.error} onRetry={recent.reload} />
          ) : recent.rows.length === 0 ? (
            <EmptyState
              title="No executions yet"
              action={
                <button type="button" className="btn btn--primary" onClick={() => start()}>
                  <Icon name="play" size={13} /> Start an execution
                </button>
              }
            >
              They appear here the moment they start.
            </EmptyState>
          ) : (
            <div className="xlist" aria-label="Latest executions">
              {recent.rows.map((e) => (
                <ExecutionRow key={e.arn} execution={e} now={now} fresh={recent.fresh.has(e.arn)} />
              ))}
            </div>
          )}
        </section>

        <section className="card card--flush" aria-labelledby="fns-h">
          <div className="card__head">
            <h2 id="fns-h">Durable functions</h2>
            <Link to="/functions" className="small-link">
              Details →
            </Link>
          </div>
          {!functions.data ? (
            <div className="card__pad">{functions.error ? null : <LoadingRows rows={4} />}</div>
          ) : durable.length === 0 ? (
            <EmptyState icon="layers" title="No durable functions" />
          ) : (
            <ul className="fn-list">
              {durable.map((f) => {
                const n = EXECUTION_STATUSES.reduce((sum, s) => sum + (f.counts[s] ?? 0), 0);
                return (
                  <li key={f.name}>
                    <Link to={`/executions?function=${encodeURIComponent(f.name)}`} className="fn-list__item">
                      <span className="fn-list__name">{f.name}</span>
                      <span className="fn-list__meta faint">
                        {f.counts.RUNNING > 0 && (
                          <span className="fn-list__running">{formatCount(f.counts.RUNNING)} running · </span>
                        )}
                        {formatCount(n)} total
                      </span>
                    </Link>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
