// Every function: versions, aliases, durable configuration, and its executions by status.
import type { ConsoleFunction, ExecutionStatus } from "@dormouse/protocol";
import { EXECUTION_STATUSES } from "@dormouse/protocol";
import { useEffect } from "react";
import { Icon } from "../components/icons";
import { statusLabel, statusTone } from "../components/status-badge";
import { EmptyState, ErrorState, LoadingRows } from "../components/states";
import { formatCount, formatDuration } from "../format";
import { useClient, useResource, useThrottledReload } from "../hooks";
import { Link } from "../router";
import { useStartExecution } from "../start-context";

export function FunctionsView() {
  const client = useClient();
  const functions = useResource("functions", (signal) => client.functions(signal));
  useEffect(() => {
    document.title = "Functions · Dormouse";
  }, []);
  useThrottledReload(functions.reload);

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Functions</h1>
          <p className="muted">
            What this server runs: each function with its versions, aliases and durable settings.
          </p>
        </div>
      </div>
      {functions.data ? (
        functions.data.functions.length === 0 ? (
          <div className="card">
            <EmptyState icon="layers" title="No functions">
              Start the server with a SAM template or a handler file: <code>dormouse dev template.yaml</code>.
            </EmptyState>
          </div>
        ) : (
          <div className="fn-grid">
            {functions.data.functions.map((f) => (
              <FunctionCard key={f.name} fn={f} />
            ))}
          </div>
        )
      ) : functions.error ? (
        <div className="card">
          <ErrorState error={functions.error} onRetry={functions.reload} />
        </div>
      ) : (
        <div className="card">
          <LoadingRows />
        </div>
      )}
    </div>
  );
}

function FunctionCard({ fn }: { fn: ConsoleFunction }) {
  const start = useStartExecution();
  const total = EXECUTION_STATUSES.reduce((sum, s) => sum + (fn.counts[s] ?? 0), 0);
  return (
    <article className="card fn-card" aria-labelledby={`fn-${fn.name}`}>
      <header className="fn-card__head">
        <div className="fn-card__title">
          <h2 id={`fn-${fn.name}`}>{fn.name}</h2>
          {fn.durable ? <span className="tag tag--accent">Durable</span> : <span className="tag">Plain</span>}
        </div>
        {fn.durable && (
          <button
            type="button"
            className="btn btn--sm"
            onClick={() => start({ functionName: fn.name })}
            aria-label={`Start an execution of ${fn.name}`}
          >
            <Icon name="play" size={12} /> Start
          </button>
        )}
      </header>
      <dl className="kv kv--compact">
        <div>
          <dt>Handler</dt>
          <dd className="mono truncate" title={fn.handler}>
            {fn.handler}
          </dd>
        </div>
        <div>
          <dt>Runtime</dt>
          <dd>{fn.runtime}</dd>
        </div>
        <div>
          <dt>Timeout · memory</dt>
          <dd>
            {formatDuration(fn.timeoutSeconds * 1000)} · {fn.memoryMb} MB
          </dd>
        </div>
        {fn.durable && (
          <>
            <div>
              <dt>Execution timeout</dt>
              <dd>
                {fn.executionTimeoutSeconds !== undefined
                  ? formatDuration(fn.executionTimeoutSeconds * 1000)
                  : "—"}
              </dd>
            </div>
            <div>
              <dt>Retention</dt>
              <dd>
                {fn.retentionDays !== undefined
                  ? `${fn.retentionDays} ${fn.retentionDays === 1 ? "day" : "days"}`
                  : "—"}
              </dd>
            </div>
          </>
        )}
      </dl>
      <div className="fn-card__versions">
        <span className="field-label">Versions</span>
        <span className="chips">
          {fn.versions.map((v) => (
            <span key={v} className="chip chip--mono">
              {v}
            </span>
          ))}
        </span>
        {fn.aliases.length > 0 && (
          <>
            <span className="field-label">Aliases</span>
            <span className="chips">
              {fn.aliases.map((a) => (
                <span key={a.name} className="chip chip--mono">
                  {a.name} → {a.version}
                </span>
              ))}
            </span>
          </>
        )}
      </div>
      {fn.durable ? (
        <div className="fn-card__counts">
          <div className="fn-card__counts-head">
            <span className="field-label">Executions</span>
            <Link to={`/executions?function=${encodeURIComponent(fn.name)}`} className="small-link">
              {formatCount(total)} total →
            </Link>
          </div>
          <StatusBar counts={fn.counts} total={total} />
          {total === 0 ? (
            <p className="faint fn-card__none">No executions yet.</p>
          ) : (
            <div className="count-chips">
              {EXECUTION_STATUSES.filter((s) => (fn.counts[s] ?? 0) > 0).map((s) => (
                <CountLink key={s} fn={fn.name} status={s} count={fn.counts[s] ?? 0} />
              ))}
            </div>
          )}
        </div>
      ) : (
        <p className="faint fn-card__plain">
          Not durable: invocations run once and keep no execution history.
        </p>
      )}
    </article>
  );
}

function CountLink({ fn, status, count }: { fn: string; status: ExecutionStatus; count: number }) {
  return (
    <Link
      to={`/executions?function=${encodeURIComponent(fn)}&status=${status}`}
      className={`count-chip tone-${statusTone(status)}`}
      aria-label={`${formatCount(count)} ${statusLabel(status).toLowerCase()}`}
    >
      <span className="count-chip__dot" aria-hidden="true" />
      <span className="count-chip__n">{formatCount(count)}</span>
      <span className="count-chip__label">{statusLabel(status).toLowerCase()}</span>
    </Link>
  );
}

export function StatusBar({ counts, total }: { counts: Record<ExecutionStatus, number>; total: number }) {
  if (total === 0) return <div className="status-bar status-bar--empty" aria-hidden="true" />;
  return (
    <div className="status-bar" aria-hidden="true">
      {EXECUTION_STATUSES.filter((s) => (counts[s] ?? 0) > 0).map((s) => (
        <span key={s} className={`tone-${statusTone(s)}`} style={{ flexGrow: counts[s] }} />
      ))}
    </div>
  );
}
