// The invocations as a list: when each ran, for how long, and what it replayed and executed.
import type { ConsoleOperation } from "@dormouse/protocol";
import { ErrorView } from "../../components/error-view";
import { VirtualRows } from "../../components/virtual-rows";
import { formatCount, formatDuration } from "../../format";
import type { InvocationActivity } from "../../model/invocations";
import { invocationEnd } from "../../model/invocations";

const SHOW_NAMES = 12;
const IROW = 34;

export function InvocationList({
  activity,
  executionStart,
  now,
  selected,
  onSelect,
}: {
  activity: InvocationActivity[];
  executionStart: number;
  now: number;
  selected: number | undefined;
  onSelect: (n: number) => void;
}) {
  if (activity.length === 0) return null;
  const chosen = activity.find((a) => a.invocation.number === selected);
  return (
    <section className="invocations" aria-labelledby="inv-h">
      <h3 id="inv-h">Invocations and replays</h3>
      <p className="faint invocations__intro">
        Each invocation runs the handler from the top. Operations completed before it started are{" "}
        <em>replayed</em> (their recorded results are returned without running them); the rest are{" "}
        <em>executed</em>. Select one to highlight it above.
      </p>
      {chosen && (
        <div className="inv-detail card">
          <h4>Invocation #{chosen.invocation.number}</h4>
          <p className="faint mono">request {chosen.invocation.requestId}</p>
          <OpNames label="Replayed" ops={chosen.replayed} />
          <OpNames label="Executed" ops={chosen.executed} />
          {chosen.invocation.error && <ErrorView error={chosen.invocation.error} />}
        </div>
      )}
      <div className="itable">
        <div className="irow irow--head" aria-hidden="true">
          <span>#</span>
          <span>Started</span>
          <span>Duration</span>
          <span>Replayed</span>
          <span>Executed</span>
          <span>Outcome</span>
        </div>
        <VirtualRows
          count={activity.length}
          rowHeight={IROW}
          renderRow={(i, style) => {
            const { invocation: inv, replayed, executed } = activity[i]!;
            return (
              <button
                type="button"
                key={inv.number}
                style={style}
                className={`irow${selected === inv.number ? " is-selected" : ""}`}
                aria-pressed={selected === inv.number}
                onClick={() => onSelect(inv.number)}
              >
                <span className="irow__n">#{inv.number}</span>
                <span>+{formatDuration(inv.startedAt - executionStart)}</span>
                <span>{formatDuration(invocationEnd(inv, now) - inv.startedAt)}</span>
                <span>
                  <span className="irow__k">replayed </span>
                  {formatCount(replayed.length)}
                </span>
                <span>
                  <span className="irow__k">executed </span>
                  {formatCount(executed.length)}
                </span>
                <span className={inv.error ? "irow__err" : inv.endedAt === undefined ? "irow__run" : "faint"}>
                  {inv.error
                    ? (inv.error.ErrorType ?? "failed")
                    : inv.endedAt === undefined
                      ? "running"
                      : "returned"}
                </span>
              </button>
            );
          }}
        />
      </div>
    </section>
  );
}

function OpNames({ label, ops }: { label: string; ops: ConsoleOperation[] }) {
  return (
    <p>
      <strong>
        {label} {formatCount(ops.length)}:
      </strong>{" "}
      {ops.length === 0 ? (
        <span className="faint">nothing</span>
      ) : (
        <>
          {ops
            .slice(0, SHOW_NAMES)
            .map((op) => op.Name ?? op.Id)
            .join(", ")}
          {ops.length > SHOW_NAMES && (
            <span className="faint"> and {formatCount(ops.length - SHOW_NAMES)} more</span>
          )}
        </>
      )}
    </p>
  );
}
