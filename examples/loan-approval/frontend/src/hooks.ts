import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, api } from "./api";
import type { ApplicationView, Stats } from "./api";

const POLL_MS = 500;

/** The application shown, from `#/applications/<id>`, so a reload keeps it. */
export function useHashApplicationId(): [string | null, (id: string | null) => void] {
  const read = () => /^#\/applications\/([\w-]+)$/.exec(window.location.hash)?.[1] ?? null;
  const [id, setId] = useState<string | null>(read);
  useEffect(() => {
    const onChange = () => setId(read());
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  const navigate = useCallback((next: string | null) => {
    window.location.hash = next ? `/applications/${next}` : "";
    setId(next);
  }, []);
  return [id, navigate];
}

/**
 * Polls the application while its workflow runs, and once more after it ends. `refresh` asks for
 * a fetch now (after the manager answers, say).
 */
export function useApplication(id: string | null): {
  view: ApplicationView | null;
  error: string | null;
  refresh: () => void;
} {
  const [view, setView] = useState<ApplicationView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const kick = useRef<() => void>(() => undefined);

  useEffect(() => {
    setView(null);
    setError(null);
    if (!id) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      clearTimeout(timer);
      try {
        const next = await api.application(id);
        if (stopped) return;
        setView(next);
        setError(null);
        if (next.execution.status === "RUNNING") timer = setTimeout(tick, POLL_MS);
      } catch (err) {
        if (stopped) return;
        setError((err as Error).message);
        // A missing application stays missing; anything else may pass.
        if (!(err instanceof ApiError && err.status === 404)) timer = setTimeout(tick, POLL_MS * 4);
      }
    };
    kick.current = () => void tick();
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id]);

  return { view, error, refresh: useCallback(() => kick.current(), []) };
}

/** The API's counters, fetched again whenever `version` changes. */
export function useStats(version: string): Stats | null {
  const [stats, setStats] = useState<Stats | null>(null);
  useEffect(() => {
    let stopped = false;
    api
      .stats()
      .then((s) => !stopped && setStats(s))
      .catch(() => undefined);
    return () => {
      stopped = true;
    };
  }, [version]);
  return stats;
}
