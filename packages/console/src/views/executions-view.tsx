// All executions across functions: filtered, searched, newest first, paged as you scroll, live.
import { useEffect } from "react";
import { describeError } from "../api";
import { Icon } from "../components/icons";
import { EmptyState, ErrorState, LoadingRows, Spinner } from "../components/states";
import { VirtualRows } from "../components/virtual-rows";
import { formatCount } from "../format";
import { PHONE_QUERY, useClient, useMediaQuery, useNow, useResource } from "../hooks";
import { navigate, useLocation, withQuery } from "../router";
import { useStartExecution } from "../start-context";
import { ExecutionHeaderRow, ExecutionRow, ROW_HEIGHT, ROW_HEIGHT_PHONE } from "./executions/execution-row";
import { Filters } from "./executions/filters";
import type { ListQuery } from "./executions/query";
import { hasFilters, readQuery, toFilters } from "./executions/query";
import { useExecutionList } from "./executions/use-execution-list";

export function ExecutionsView() {
  const { search } = useLocation();
  const client = useClient();
  const query = readQuery(search);
  const filters = toFilters(query);
  const list = useExecutionList(filters);
  const functions = useResource("functions", (signal) => client.functions(signal));
  const phone = useMediaQuery(PHONE_QUERY);
  const anyRunning = list.rows.some((r) => r.status === "RUNNING");
  const now = useNow(1000, anyRunning);
  const start = useStartExecution();

  useEffect(() => {
    document.title = "Executions · Dormouse";
  }, []);

  const change = (changes: Partial<ListQuery>) => {
    const next: Record<string, string | string[] | undefined> = {};
    if ("functionName" in changes) next.function = changes.functionName;
    if ("statuses" in changes) next.status = changes.statuses;
    if ("q" in changes) next.q = changes.q;
    if ("after" in changes) next.after = changes.after;
    if ("before" in changes) next.before = changes.before;
    navigate(withQuery(search, next), { replace: true });
  };

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Executions</h1>
          <p className="muted">
            Every durable execution, newest first. New ones and status changes appear as they happen.
          </p>
        </div>
      </div>
      <Filters query={query} functions={functions.data?.functions} onChange={change} />
      {list.loading && list.rows.length === 0 ? (
        <div className="card">
          <LoadingRows />
        </div>
      ) : list.error && list.rows.length === 0 ? (
        <div className="card">
          <ErrorState error={list.error} onRetry={list.reload} />
        </div>
      ) : list.rows.length === 0 ? (
        <div className="card">
          {hasFilters(query) ? (
            <EmptyState icon="search" title="No executions match these filters">
              Try another status or function, widen the time range, or clear the filters.
            </EmptyState>
          ) : (
            <EmptyState
              title="No executions yet"
              action={
                <button type="button" className="btn btn--primary" onClick={() => start()}>
                  <Icon name="play" size={13} /> Start an execution
                </button>
              }
            >
              Invoke a durable function (from the CLI, an AWS SDK, or here) and it shows up at once.
            </EmptyState>
          )}
        </div>
      ) : (
        <div className="card card--flush xtable" aria-label="Executions" aria-busy={list.loading}>
          <ExecutionHeaderRow />
          <VirtualRows
            count={list.rows.length}
            rowHeight={phone ? ROW_HEIGHT_PHONE : ROW_HEIGHT}
            onEndReached={list.loadMore}
            renderRow={(i, style) => {
              const e = list.rows[i]!;
              return (
                <ExecutionRow
                  key={e.arn}
                  execution={e}
                  now={now}
                  fresh={list.fresh.has(e.arn)}
                  style={style}
                />
              );
            }}
          />
          <div className="xtable__foot">
            {list.loadingMore ? (
              <>
                <Spinner /> Loading more…
              </>
            ) : list.error ? (
              <span className="field-error">{describeError(list.error)}</span>
            ) : list.hasMore ? (
              <button type="button" className="btn btn--sm" onClick={list.loadMore}>
                Load more
              </button>
            ) : (
              <span className="faint">
                {formatCount(list.rows.length)} {list.rows.length === 1 ? "execution" : "executions"}
              </span>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
