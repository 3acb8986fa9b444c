// One execution: header and figures, input and outcome, then the operation tree, the timeline
// and the event history as tabs. Stays current while it runs.
import type { ReactNode } from "react";
import { useEffect, useMemo, useState } from "react";
import { SplitView } from "../components/side-panel";
import { EmptyState, ErrorState, LoadingRows } from "../components/states";
import { formatCount } from "../format";
import { useNow } from "../hooks";
import { eventsByOperation } from "../model/events";
import { executionFigures, hibernationGaps, invocationActivity } from "../model/invocations";
import { buildTree, kindLabel, operationLabel } from "../model/operations";
import { Link, navigate, useLocation, withQuery } from "../router";
import { useStartExecution } from "../start-context";
import { CallbackDialog } from "./execution/callback-dialog";
import { EventsTable } from "./execution/events-table";
import { Figures } from "./execution/figures";
import { ExecutionHeader } from "./execution/header";
import { OperationDetail } from "./execution/operation-detail";
import { OperationTree } from "./execution/operation-tree";
import { Payloads } from "./execution/payloads";
import { StopDialog } from "./execution/stop-dialog";
import { Timeline } from "./execution/timeline";
import { useExecution } from "./execution/use-execution";

type Tab = "operations" | "timeline" | "events";
const TABS: Tab[] = ["operations", "timeline", "events"];

export function ExecutionView({ arn }: { arn: string }) {
  const state = useExecution(arn);
  const { search } = useLocation();
  const tab: Tab = (TABS as string[]).includes(search.get("tab") ?? "")
    ? (search.get("tab") as Tab)
    : "operations";
  const data = state.data;
  const running = data?.execution.status === "RUNNING";
  const now = useNow(1000, running);
  const start = useStartExecution();
  const [selectedOp, setSelectedOp] = useState<string>();
  const [callbackFor, setCallbackFor] = useState<{ id?: string } | null>(null);
  const [stopping, setStopping] = useState(false);

  useEffect(() => {
    document.title = `${data?.execution.name ?? "Execution"} · Dormouse`;
  }, [data?.execution.name]);

  const operations = data?.operations;
  const tree = useMemo(() => buildTree(operations ?? []), [operations]);
  const byOp = useMemo(() => eventsByOperation(state.events), [state.events]);
  const invocations = useMemo(() => data?.invocations ?? [], [data?.invocations]);
  const activity = useMemo(
    () => invocationActivity(operations ?? [], invocations, now),
    [operations, invocations, now],
  );
  const gaps = useMemo(
    () => (data ? hibernationGaps(data.execution, invocations, now) : []),
    [data, invocations, now],
  );
  const pending = useMemo(
    () =>
      tree.order
        .filter(
          (n) => n.op.Type === "CALLBACK" && n.op.Status === "STARTED" && n.op.CallbackDetails?.CallbackId,
        )
        .map((n) => ({ id: n.op.CallbackDetails!.CallbackId, name: operationLabel(n, tree) })),
    [tree],
  );

  if (!data) {
    if (state.notFound) {
      return (
        <div className="card">
          <EmptyState
            icon="search"
            title="Execution not found or purged"
            action={
              <Link to="/executions" className="btn">
                Back to executions
              </Link>
            }
          >
            No execution has this ARN. It may have been purged after its retention period ended, or the ARN is
            mistyped: <code className="break">{arn}</code>
          </EmptyState>
        </div>
      );
    }
    if (state.error) {
      return (
        <div className="card">
          <ErrorState error={state.error} onRetry={state.refresh} />
        </div>
      );
    }
    return (
      <div className="stack" aria-busy="true">
        <div className="skeleton" style={{ height: 28, width: 280 }} />
        <div className="card">
          <LoadingRows rows={5} />
        </div>
      </div>
    );
  }

  const e = data.execution;
  const figures = executionFigures(e, invocations, now);
  const selected = selectedOp ? tree.byId.get(selectedOp)?.op : undefined;
  const setTab = (t: Tab) =>
    navigate(withQuery(search, { tab: t === "operations" ? undefined : t }), { replace: true });

  const opPanel = selected ? (
    <OperationDetail
      op={selected}
      tree={tree}
      events={byOp.get(selected.Id)}
      now={now}
      executionStart={e.startedAt}
      onSelect={setSelectedOp}
      onRespond={(id) => setCallbackFor({ id })}
    />
  ) : null;
  const opTitle: ReactNode = selected ? (selected.Name ?? kindLabel(selected)) : "";

  return (
    <div className="stack">
      <ExecutionHeader
        execution={e}
        now={now}
        pendingCallbacks={pending.length}
        onCallback={() => setCallbackFor({})}
        onStop={() => setStopping(true)}
        onRunAgain={() =>
          start({
            functionName: e.functionName,
            payload: prettyInput(e.input),
            ...(e.version !== "$LATEST" ? { qualifier: e.version } : {}),
          })
        }
      />
      {state.error !== undefined && (
        <p className="field-error" role="status">
          Showing the last state received; refreshing failed.
        </p>
      )}
      <Figures figures={figures} running={running} />
      <Payloads execution={e} />

      <div className="tabs" role="tablist" aria-label="Execution views">
        {TABS.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`tab-${t}`}
            className="tab"
            aria-selected={tab === t}
            aria-controls={`panel-${t}`}
            tabIndex={tab === t ? 0 : -1}
            onClick={() => setTab(t)}
            onKeyDown={(ev) => {
              const i = TABS.indexOf(t);
              const next =
                ev.key === "ArrowRight"
                  ? TABS[(i + 1) % TABS.length]
                  : ev.key === "ArrowLeft"
                    ? TABS[(i + TABS.length - 1) % TABS.length]
                    : undefined;
              if (next) {
                ev.preventDefault();
                setTab(next);
                requestAnimationFrame(() => document.getElementById(`tab-${next}`)?.focus());
              }
            }}
          >
            {t === "operations" ? "Operations" : t === "timeline" ? "Timeline" : "Events"}
            {t !== "timeline" && (
              <span className="count">
                {formatCount(t === "operations" ? tree.order.length : data.eventCount)}
              </span>
            )}
          </button>
        ))}
      </div>

      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tabpanel">
        {tab === "events" ? (
          <EventsTable
            events={state.events}
            total={data.eventCount}
            complete={state.eventsComplete}
            error={state.eventsError}
            executionStart={e.startedAt}
          />
        ) : (
          <SplitView
            title={opTitle}
            panel={opPanel}
            onClose={() => setSelectedOp(undefined)}
            main={
              tab === "operations" ? (
                <OperationTree
                  tree={tree}
                  eventsByOp={byOp}
                  now={now}
                  selected={selectedOp}
                  onSelect={(id) => setSelectedOp((s) => (s === id ? undefined : id))}
                  onRespond={(id) => setCallbackFor({ id })}
                />
              ) : (
                <Timeline
                  execution={e}
                  tree={tree}
                  invocations={invocations}
                  activity={activity}
                  gaps={gaps}
                  now={now}
                  selectedOp={selectedOp}
                  onSelectOp={(id) => setSelectedOp((s) => (s === id ? undefined : id))}
                />
              )
            }
          />
        )}
      </div>

      {callbackFor && (
        <CallbackDialog
          pending={pending}
          {...(callbackFor.id !== undefined ? { initialId: callbackFor.id } : {})}
          onClose={() => setCallbackFor(null)}
          onDone={state.refresh}
        />
      )}
      {stopping && (
        <StopDialog arn={e.arn} name={e.name} onClose={() => setStopping(false)} onDone={state.refresh} />
      )}
    </div>
  );
}

function prettyInput(input: string): string {
  try {
    return JSON.stringify(JSON.parse(input), null, 2);
  } catch {
    return input;
  }
}
