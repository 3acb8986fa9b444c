// Everything about one operation: identity, timing, what its kind records, its payload, its
// attempts, and its own slice of the event history.
import type { ConsoleEvent, ConsoleOperation } from "@dormouse/protocol";
import { CopyButton } from "../../components/copy-button";
import { ErrorView } from "../../components/error-view";
import { Icon } from "../../components/icons";
import { JsonView } from "../../components/json-view";
import { StatusBadge } from "../../components/status-badge";
import { Duration, Instant } from "../../components/time";
import { formatDuration, formatFullInstant } from "../../format";
import {
  chainedFunctionName,
  childExecutionArn,
  eventTone,
  stepAttempts,
  summarizeEvent,
} from "../../model/events";
import type { OpTree } from "../../model/operations";
import { kindLabel, operationDuration, operationOutcome } from "../../model/operations";
import { executionPath, Link } from "../../router";

export function OperationDetail({
  op,
  tree,
  events,
  now,
  executionStart,
  onSelect,
  onRespond,
}: {
  op: ConsoleOperation;
  tree: OpTree;
  events: ConsoleEvent[] | undefined;
  now: number;
  executionStart: number;
  onSelect: (id: string) => void;
  onRespond: (callbackId: string) => void;
}) {
  const outcome = operationOutcome(op);
  const parent = op.ParentId ? tree.byId.get(op.ParentId) : undefined;
  const node = tree.byId.get(op.Id);
  const attempts = op.Type === "STEP" ? stepAttempts(events) : [];
  const childArn = op.Type === "CHAINED_INVOKE" ? childExecutionArn(events) : undefined;
  const target = op.Type === "CHAINED_INVOKE" ? chainedFunctionName(events) : undefined;
  const callbackId = op.CallbackDetails?.CallbackId;

  return (
    <div className="opdetail">
      <div className="opdetail__status">
        <span className={`kind kind--${op.Type.toLowerCase()}`}>{kindLabel(op)}</span>
        <StatusBadge status={op.Status} />
      </div>
      <dl className="kv">
        <div>
          <dt>Id</dt>
          <dd className="mono kv__copy">
            <span className="truncate">{op.Id}</span>
            <CopyButton text={op.Id} label="Copy operation id" />
          </dd>
        </div>
        {parent && (
          <div>
            <dt>Parent</dt>
            <dd>
              <button type="button" className="linklike" onClick={() => onSelect(parent.op.Id)}>
                {parent.op.Name ?? parent.op.Id}
              </button>{" "}
              <span className="faint">({kindLabel(parent.op)})</span>
            </dd>
          </div>
        )}
        {node && node.children.length > 0 && (
          <div>
            <dt>Children</dt>
            <dd>
              {node.children.length} direct, {node.descendants} in all
            </dd>
          </div>
        )}
        <div>
          <dt>Started</dt>
          <dd title={formatFullInstant(op.StartTimestamp)}>
            <Instant ms={op.StartTimestamp} now={now} />{" "}
            <span className="faint">(+{formatDuration(op.StartTimestamp - executionStart)})</span>
          </dd>
        </div>
        <div>
          <dt>Ended</dt>
          <dd>
            {op.EndTimestamp !== undefined ? (
              <Instant ms={op.EndTimestamp} now={now} />
            ) : (
              <span className="faint">—</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>
            <Duration ms={operationDuration(op, now)} live={op.EndTimestamp === undefined} />
          </dd>
        </div>
        {op.StepDetails?.Attempt !== undefined && (
          <div>
            <dt>Attempts</dt>
            <dd>{op.StepDetails.Attempt}</dd>
          </div>
        )}
        {op.StepDetails?.NextAttemptTimestamp !== undefined && (
          <div>
            <dt>Next attempt</dt>
            <dd>
              <Instant ms={op.StepDetails.NextAttemptTimestamp} now={now} />
            </dd>
          </div>
        )}
        {op.WaitDetails && (
          <div>
            <dt>Scheduled end</dt>
            <dd>
              <Instant ms={op.WaitDetails.ScheduledEndTimestamp} now={now} />{" "}
              <span className="faint">
                ({formatDuration(op.WaitDetails.ScheduledEndTimestamp - op.StartTimestamp)} wait)
              </span>
            </dd>
          </div>
        )}
        {callbackId && (
          <div>
            <dt>Callback id</dt>
            <dd className="mono kv__copy">
              <span className="truncate" title={callbackId}>
                {callbackId}
              </span>
              <CopyButton text={callbackId} label="Copy callback id" />
            </dd>
          </div>
        )}
        {op.ContextDetails?.ReplayChildren !== undefined && (
          <div>
            <dt>Replay children</dt>
            <dd>{op.ContextDetails.ReplayChildren ? "yes" : "no"}</dd>
          </div>
        )}
        {target && (
          <div>
            <dt>Invoked</dt>
            <dd className="mono">{target}</dd>
          </div>
        )}
        {childArn && (
          <div>
            <dt>Child execution</dt>
            <dd>
              <Link to={executionPath(childArn)}>
                <Icon name="link" size={12} /> Open child execution
              </Link>
            </dd>
          </div>
        )}
      </dl>
      {op.Type === "CALLBACK" && op.Status === "STARTED" && callbackId && (
        <button type="button" className="btn btn--primary" onClick={() => onRespond(callbackId)}>
          <Icon name="reply" size={14} /> Respond to this callback
        </button>
      )}
      {outcome.error && (
        <section className="opdetail__section">
          <h3>Error</h3>
          <ErrorView error={outcome.error} />
        </section>
      )}
      {(outcome.result !== undefined || !outcome.error) && op.Type !== "WAIT" && (
        <section className="opdetail__section">
          <h3>Result</h3>
          <JsonView
            text={outcome.result}
            empty={op.EndTimestamp === undefined ? "Not finished yet" : "No result recorded"}
          />
        </section>
      )}
      {attempts.length > 0 && (
        <section className="opdetail__section">
          <h3>Attempts</h3>
          <ol className="attempts">
            {attempts.map((a, i) => (
              <li key={i} className={`attempt attempt--${a.outcome}`}>
                <span className="attempt__n">#{a.attempt}</span>
                <span className="attempt__text">
                  {a.outcome === "failed" ? (
                    <>
                      failed{a.error?.ErrorType ? `: ${a.error.ErrorType}` : ""}
                      {a.error?.ErrorMessage ? ` — ${a.error.ErrorMessage}` : ""}
                    </>
                  ) : (
                    "succeeded"
                  )}
                  {a.retryDelaySeconds !== undefined && (
                    <span className="faint">
                      {" "}
                      · retried after {formatDuration(a.retryDelaySeconds * 1000)}
                    </span>
                  )}
                </span>
                <span className="faint attempt__at">
                  <Instant ms={a.at} now={now} />
                </span>
              </li>
            ))}
          </ol>
        </section>
      )}
      {events && events.length > 0 && (
        <section className="opdetail__section">
          <h3>Events</h3>
          <ol className="mini-events">
            {events.map((e) => (
              <li key={e.eventId}>
                <span className={`dot tone-${eventTone(e.type)}`} aria-hidden="true" />
                <span className="mini-events__type">{e.type}</span>
                <span className="faint truncate">{summarizeEvent(e)}</span>
                <span className="faint mini-events__at">+{formatDuration(e.timestamp - executionStart)}</span>
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}
