// The event history: every event, windowed (only the rows on screen exist), with its details.
import type { ConsoleEvent } from "@dormouse/protocol";
import { useMemo, useState } from "react";
import { describeError } from "../../api";
import { JsonView } from "../../components/json-view";
import { SplitView } from "../../components/side-panel";
import { EmptyState, Spinner } from "../../components/states";
import { VirtualRows } from "../../components/virtual-rows";
import { formatCount, formatDuration, formatFullInstant } from "../../format";
import { PHONE_QUERY, useMediaQuery } from "../../hooks";
import { eventDetails, eventTone, summarizeEvent } from "../../model/events";

const ROW = 36;
const ROW_PHONE = 56;

export function EventsTable({
  events,
  total,
  complete,
  error,
  executionStart,
}: {
  events: ConsoleEvent[];
  total: number;
  complete: boolean;
  error: unknown;
  executionStart: number;
}) {
  const [selected, setSelected] = useState<number>();
  const [filter, setFilter] = useState("");
  const phone = useMediaQuery(PHONE_QUERY);
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    if (!f) return events;
    return events.filter(
      (e) =>
        e.type.toLowerCase().includes(f) ||
        (e.name ?? "").toLowerCase().includes(f) ||
        (e.operationId ?? "").toLowerCase().includes(f),
    );
  }, [events, filter]);
  const current = selected === undefined ? undefined : events.find((e) => e.eventId === selected);

  const main = (
    <div className="events">
      <div className="toolbar">
        <label className="visually-hidden" htmlFor="event-filter">
          Filter events
        </label>
        <input
          id="event-filter"
          className="input toolbar__search"
          type="search"
          placeholder="Filter by type or operation"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <span className="faint toolbar__end">
          {!complete && !error && <Spinner label="Loading events" />}{" "}
          {filter ? `${formatCount(shown.length)} of ` : ""}
          {formatCount(events.length)}
          {!complete && total > events.length ? ` of ${formatCount(total)}` : ""} events
        </span>
      </div>
      {error !== undefined && (
        <p className="field-error">Could not load all events: {describeError(error)}</p>
      )}
      {shown.length === 0 ? (
        complete ? (
          <EmptyState icon="list" title={filter ? "No events match" : "No events"} />
        ) : null
      ) : (
        <div className="etable" aria-label="Event history">
          <div className="erow erow--head" aria-hidden="true">
            <span>#</span>
            <span>Time</span>
            <span>Type</span>
            <span>Operation</span>
            <span className="erow__details">Details</span>
          </div>
          <VirtualRows
            count={shown.length}
            rowHeight={phone ? ROW_PHONE : ROW}
            renderRow={(i, style) => {
              const e = shown[i]!;
              const isSelected = e.eventId === selected;
              return (
                <button
                  type="button"
                  key={e.eventId}
                  className={`erow${isSelected ? " is-selected" : ""}`}
                  style={style}
                  aria-pressed={isSelected}
                  onClick={() => setSelected(isSelected ? undefined : e.eventId)}
                  data-event-type={e.type}
                >
                  <span className="erow__id faint">{e.eventId}</span>
                  <span className="erow__time" title={formatFullInstant(e.timestamp)}>
                    +{formatDuration(e.timestamp - executionStart)}
                  </span>
                  <span className="erow__type">
                    <span className={`dot tone-${eventTone(e.type)}`} aria-hidden="true" />
                    {e.type}
                  </span>
                  <span className="erow__op truncate">
                    {e.name ?? (e.operationId ? <span className="mono faint">{e.operationId}</span> : "")}
                  </span>
                  <span className="erow__details truncate faint">{summarizeEvent(e)}</span>
                </button>
              );
            }}
          />
        </div>
      )}
    </div>
  );

  return (
    <SplitView
      main={main}
      title={current ? `#${current.eventId} ${current.type}` : ""}
      onClose={() => setSelected(undefined)}
      panel={current ? <EventDetail event={current} executionStart={executionStart} /> : null}
    />
  );
}

function EventDetail({ event: e, executionStart }: { event: ConsoleEvent; executionStart: number }) {
  const details = eventDetails(e);
  return (
    <div className="opdetail">
      <dl className="kv">
        <div>
          <dt>Event</dt>
          <dd>
            #{e.eventId} <span className={`dot tone-${eventTone(e.type)}`} aria-hidden="true" /> {e.type}
          </dd>
        </div>
        <div>
          <dt>Time</dt>
          <dd>
            {formatFullInstant(e.timestamp)}{" "}
            <span className="faint">(+{formatDuration(e.timestamp - executionStart)})</span>
          </dd>
        </div>
        {e.operationId && (
          <div>
            <dt>Operation</dt>
            <dd className="mono">{e.operationId}</dd>
          </div>
        )}
        {e.name && (
          <div>
            <dt>Name</dt>
            <dd>{e.name}</dd>
          </div>
        )}
        {e.subType && (
          <div>
            <dt>Sub type</dt>
            <dd>{e.subType}</dd>
          </div>
        )}
        {e.parentId && (
          <div>
            <dt>Parent</dt>
            <dd className="mono">{e.parentId}</dd>
          </div>
        )}
      </dl>
      <section className="opdetail__section">
        <h3>Details</h3>
        <JsonView text={JSON.stringify(details)} empty="No details" />
      </section>
      <section className="opdetail__section">
        <h3>Raw event</h3>
        <JsonView text={JSON.stringify(e)} />
      </section>
    </div>
  );
}
