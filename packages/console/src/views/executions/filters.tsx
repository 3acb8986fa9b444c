// The filter bar: search, function, statuses, started between.
import type { ConsoleFunction, ExecutionStatus } from "@dormouse/protocol";
import { EXECUTION_STATUSES } from "@dormouse/protocol";
import { useEffect, useId, useState } from "react";
import { Icon } from "../../components/icons";
import { statusLabel, statusTone } from "../../components/status-badge";
import { useDebounced } from "../../hooks";
import type { ListQuery } from "./query";
import { hasFilters } from "./query";

export function Filters({
  query,
  functions,
  onChange,
}: {
  query: ListQuery;
  functions: ConsoleFunction[] | undefined;
  onChange: (changes: Partial<ListQuery>) => void;
}) {
  const ids = { search: useId(), fn: useId(), after: useId(), before: useId() };
  const [text, setText] = useState(query.q);
  const debounced = useDebounced(text, 250);
  useEffect(() => {
    if (debounced !== query.q) onChange({ q: debounced });
    // Only the typed text drives this; URL changes update `text` below.
  }, [debounced]);
  useEffect(() => setText(query.q), [query.q]);

  const toggle = (s: ExecutionStatus) =>
    onChange({
      statuses: query.statuses.includes(s) ? query.statuses.filter((x) => x !== s) : [...query.statuses, s],
    });

  return (
    <div className="filters" role="search">
      <div className="filters__row">
        <div className="search">
          <label htmlFor={ids.search} className="visually-hidden">
            Search by name or ARN
          </label>
          <Icon name="search" size={15} className="search__icon" />
          <input
            id={ids.search}
            className="input search__input"
            type="search"
            placeholder="Search by name prefix or ARN"
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <div className="filters__fn">
          <label htmlFor={ids.fn} className="visually-hidden">
            Function
          </label>
          <select
            id={ids.fn}
            className="select"
            value={query.functionName}
            onChange={(e) => onChange({ functionName: e.target.value })}
          >
            <option value="">All functions</option>
            {functions
              ?.filter((f) => f.durable)
              .map((f) => (
                <option key={f.name} value={f.name}>
                  {f.name}
                </option>
              ))}
            {query.functionName && !functions?.some((f) => f.name === query.functionName) && (
              <option value={query.functionName}>{query.functionName}</option>
            )}
          </select>
        </div>
      </div>
      <div className="filters__row">
        <div className="status-filter" role="group" aria-label="Status">
          {EXECUTION_STATUSES.map((s) => (
            <button
              key={s}
              type="button"
              className={`status-chip tone-${statusTone(s)}`}
              aria-pressed={query.statuses.includes(s)}
              onClick={() => toggle(s)}
            >
              <span className="status-chip__dot" aria-hidden="true" />
              {statusLabel(s)}
            </button>
          ))}
        </div>
        <div className="filters__dates">
          <label htmlFor={ids.after} className="filters__date-label">
            Started after
          </label>
          <input
            id={ids.after}
            className="input filters__date"
            type="datetime-local"
            value={query.after}
            onChange={(e) => onChange({ after: e.target.value })}
          />
          <label htmlFor={ids.before} className="filters__date-label">
            before
          </label>
          <input
            id={ids.before}
            className="input filters__date"
            type="datetime-local"
            value={query.before}
            onChange={(e) => onChange({ before: e.target.value })}
          />
        </div>
        {hasFilters(query) && (
          <button
            type="button"
            className="btn btn--ghost btn--sm"
            onClick={() => {
              setText("");
              onChange({ functionName: "", statuses: [], q: "", after: "", before: "" });
            }}
          >
            <Icon name="x" size={13} /> Clear
          </button>
        )}
      </div>
    </div>
  );
}
