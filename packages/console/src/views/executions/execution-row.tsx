// One execution in a list: status, name and id, function and version, when, how long.
import type { ConsoleExecutionSummary } from "@dormouse/protocol";
import type { CSSProperties } from "react";
import { StatusBadge } from "../../components/status-badge";
import { Duration, Instant } from "../../components/time";
import { executionPath, Link } from "../../router";
import { executionId } from "./query";

export const ROW_HEIGHT = 52;
export const ROW_HEIGHT_PHONE = 68;

export function ExecutionRow({
  execution: e,
  now,
  fresh,
  style,
}: {
  execution: ConsoleExecutionSummary;
  now: number;
  fresh: boolean;
  style?: CSSProperties;
}) {
  const running = e.status === "RUNNING";
  return (
    <Link
      to={executionPath(e.arn)}
      className={`xrow${fresh ? " is-fresh" : ""}`}
      style={style}
      data-arn={e.arn}
    >
      <span className="xrow__status">
        <StatusBadge status={e.status} />
      </span>
      <span className="xrow__name">
        <span className="xrow__title truncate">{e.name}</span>
        <span className="xrow__id mono faint truncate">{executionId(e.arn)}</span>
      </span>
      <span className="xrow__fn truncate">
        {e.functionName}
        <span className="faint">:{e.version}</span>
      </span>
      <span className="xrow__when">
        <Instant ms={e.startedAt} now={now} relative />
      </span>
      <span className="xrow__dur">
        <Duration ms={(e.endedAt ?? now) - e.startedAt} live={running} />
      </span>
    </Link>
  );
}

export function ExecutionHeaderRow() {
  return (
    <div className="xrow xrow--head" aria-hidden="true">
      <span>Status</span>
      <span>Name</span>
      <span className="xrow__fn">Function</span>
      <span className="xrow__when">Started</span>
      <span className="xrow__dur">Duration</span>
    </div>
  );
}
