// Who and what this execution is, where it stands, and what you can do about it.
import type { ConsoleExecutionDetail } from "@dormouse/protocol";
import { CopyButton } from "../../components/copy-button";
import { Icon } from "../../components/icons";
import { StatusBadge } from "../../components/status-badge";
import { Instant } from "../../components/time";
import { formatDuration } from "../../format";
import { executionPath, Link } from "../../router";

export function ExecutionHeader({
  execution: e,
  now,
  pendingCallbacks,
  onCallback,
  onStop,
  onRunAgain,
}: {
  execution: ConsoleExecutionDetail;
  now: number;
  pendingCallbacks: number;
  onCallback: () => void;
  onStop: () => void;
  onRunAgain: () => void;
}) {
  const running = e.status === "RUNNING";
  return (
    <header className="xhead">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to="/executions">Executions</Link>
        <span aria-hidden="true">/</span>
        <Link to={`/executions?function=${encodeURIComponent(e.functionName)}`}>{e.functionName}</Link>
        <span aria-hidden="true">/</span>
        <span aria-current="page" className="truncate">
          {e.name}
        </span>
      </nav>
      <div className="xhead__top">
        <div className="xhead__title">
          <StatusBadge status={e.status} />
          <h1 className="truncate" title={e.name}>
            {e.name}
          </h1>
        </div>
        <div className="xhead__actions">
          {running && (
            <button
              type="button"
              className={`btn${pendingCallbacks > 0 ? " btn--primary" : ""}`}
              onClick={onCallback}
            >
              <Icon name="reply" size={14} />
              Send callback
              {pendingCallbacks > 0 && <span className="btn__count">{pendingCallbacks}</span>}
            </button>
          )}
          {running && (
            <button type="button" className="btn btn--danger" onClick={onStop}>
              <Icon name="stop" size={14} /> Stop
            </button>
          )}
          <button
            type="button"
            className="btn"
            onClick={onRunAgain}
            title="Start a new execution with this input"
          >
            <Icon name="play" size={13} /> Run again
          </button>
        </div>
      </div>
      <div className="arn">
        <span className="arn__label">ARN</span>
        <code className="arn__value" title={e.arn}>
          {e.arn}
        </code>
        <CopyButton text={e.arn} label="Copy ARN" />
      </div>
      <dl className="kv kv--inline">
        <div>
          <dt>Function</dt>
          <dd>
            <Link to={`/executions?function=${encodeURIComponent(e.functionName)}`}>{e.functionName}</Link>
          </dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd className="mono">{e.version}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <Instant ms={e.startedAt} now={now} />
          </dd>
        </div>
        <div>
          <dt>Ended</dt>
          <dd>
            {e.endedAt !== undefined ? (
              <Instant ms={e.endedAt} now={now} />
            ) : (
              <span className="faint">still running</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Timeout · retention</dt>
          <dd>
            {formatDuration(e.executionTimeoutSeconds * 1000)} · {e.retentionDays}{" "}
            {e.retentionDays === 1 ? "day" : "days"}
          </dd>
        </div>
        {e.parent && (
          <div>
            <dt>Started by</dt>
            <dd>
              <Link to={executionPath(e.parent.arn)} className="truncate">
                {parentLabel(e.parent.arn)}
              </Link>
            </dd>
          </div>
        )}
        {e.tenantId && (
          <div>
            <dt>Tenant</dt>
            <dd className="mono">{e.tenantId}</dd>
          </div>
        )}
      </dl>
    </header>
  );
}

function parentLabel(arn: string): string {
  const parts = arn.split("/");
  return parts.length >= 3 ? `${parts[parts.length - 2]} (parent)` : arn;
}
