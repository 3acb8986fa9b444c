// A paged, live list of executions: the first page loads with the filters, more pages load as the
// user scrolls, and updates from the stream are merged in (batched, so a burst of thousands of
// changes costs a few renders).
import type { ConsoleExecutionSummary } from "@dormouse/protocol";
import { useCallback, useEffect, useRef, useState } from "react";
import type { ExecutionFilters } from "../../api";
import { isAbort } from "../../api";
import { useClient, useConnection, useExecutionStream } from "../../hooks";
import { matches } from "./query";

export interface ExecutionList {
  rows: ConsoleExecutionSummary[];
  hasMore: boolean;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
  /** ARNs that changed or appeared recently (for a brief highlight). */
  fresh: ReadonlySet<string>;
  loadMore(): void;
  reload(): void;
}

const FLUSH_MS = 150;
const FRESH_MS = 2500;

export function useExecutionList(
  filters: ExecutionFilters,
  pageSize = 50,
  maxRows = Infinity,
): ExecutionList {
  const client = useClient();
  const { epoch } = useConnection();
  const key = JSON.stringify(filters);
  const [rows, setRows] = useState<ConsoleExecutionSummary[]>([]);
  const [next, setNext] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>();
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [nonce, setNonce] = useState(0);
  const generation = useRef(0);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const state = useRef({ next, loadingMore, rows });
  state.current = { next, loadingMore, rows };

  useEffect(() => {
    const controller = new AbortController();
    const gen = ++generation.current;
    setLoading(true);
    setError(undefined);
    client.executions(JSON.parse(key) as ExecutionFilters, { limit: pageSize }, controller.signal).then(
      (page) => {
        if (gen !== generation.current) return;
        setRows(page.executions.slice(0, maxRows));
        setNext(page.next);
        setLoading(false);
      },
      (err: unknown) => {
        if (isAbort(err) || gen !== generation.current) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [client, key, pageSize, maxRows, epoch, nonce]);

  const loadMore = useCallback(() => {
    const { next: cursor, loadingMore: busy } = state.current;
    if (!cursor || busy) return;
    const gen = generation.current;
    setLoadingMore(true);
    client.executions(filtersRef.current, { cursor, limit: pageSize }).then(
      (page) => {
        if (gen !== generation.current) return;
        setRows((current) => {
          const seen = new Set(current.map((r) => r.arn));
          return [...current, ...page.executions.filter((e) => !seen.has(e.arn))];
        });
        setNext(page.next);
        setLoadingMore(false);
      },
      (err: unknown) => {
        if (gen !== generation.current) return;
        setError(err);
        setLoadingMore(false);
      },
    );
  }, [client, pageSize]);

  // Live updates, buffered and applied together.
  const pending = useRef(new Map<string, ConsoleExecutionSummary>());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  useExecutionStream((summary) => {
    pending.current.set(summary.arn, summary);
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      const updates = [...pending.current.values()];
      pending.current.clear();
      const f = filtersRef.current;
      const complete = state.current.next === undefined;
      const known = new Set(state.current.rows.map((r) => r.arn));
      const oldestLoaded = state.current.rows.at(-1)?.startedAt ?? -Infinity;
      const belongs = (u: ConsoleExecutionSummary) =>
        known.has(u.arn) || (matches(f, u) && (complete || u.startedAt >= oldestLoaded));
      const changed = new Set(updates.filter(belongs).map((u) => u.arn));
      if (changed.size === 0) return;
      setRows((current) => {
        const index = new Map(current.map((r, i) => [r.arn, i]));
        const result = [...current];
        const added: ConsoleExecutionSummary[] = [];
        const oldest = current.at(-1)?.startedAt ?? -Infinity;
        for (const u of updates) {
          const at = index.get(u.arn);
          if (at !== undefined) result[at] = u;
          else if (matches(f, u) && (complete || u.startedAt >= oldest)) added.push(u);
        }
        if (added.length === 0) return result;
        const merged = [...added, ...result].sort((a, b) => b.startedAt - a.startedAt);
        return merged.length > maxRows ? merged.slice(0, maxRows) : merged;
      });
      if (changed.size > 0) {
        setFresh((f0) => new Set([...f0, ...changed]));
        setTimeout(() => {
          setFresh((f0) => {
            const n = new Set(f0);
            for (const arn of changed) n.delete(arn);
            return n;
          });
        }, FRESH_MS);
      }
    }, FLUSH_MS);
  });

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { rows, hasMore: next !== undefined, loading, loadingMore, error, fresh, loadMore, reload };
}
