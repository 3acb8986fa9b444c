// One execution, kept current: the state refetches whenever the stream says it changed (the server
// reports every checkpoint) and after the connection comes back; the event history loads page by
// page in the background and then follows new events.
import type { ConsoleEvent, ConsoleExecutionResponse } from "@dormouse/protocol";
import { useCallback, useEffect, useRef, useState } from "react";
import { isAbort, ServerError } from "../../api";
import { useClient, useConnection, useExecutionStream } from "../../hooks";

const EVENT_PAGE = 1000;
/** Refetches at most this often, plus 0.5 ms per operation: a busy 3,000-operation run every ~2 s. */
const REFETCH_THROTTLE_MS = 250;

export interface ExecutionState {
  data: ConsoleExecutionResponse | undefined;
  error: unknown;
  notFound: boolean;
  events: ConsoleEvent[];
  eventsComplete: boolean;
  eventsError: unknown;
  refresh(): void;
}

export function useExecution(arn: string): ExecutionState {
  const client = useClient();
  const { epoch } = useConnection();
  const [data, setData] = useState<ConsoleExecutionResponse>();
  const [error, setError] = useState<unknown>();
  const [events, setEvents] = useState<ConsoleEvent[]>([]);
  const [eventsComplete, setEventsComplete] = useState(false);
  const [eventsError, setEventsError] = useState<unknown>();
  const [version, setVersion] = useState(0);
  const eventCursor = useRef<{ after?: string | number }>({});
  const lastFetch = useRef(0);
  const size = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const refresh = useCallback(() => {
    if (timer.current !== undefined) return;
    const throttle = REFETCH_THROTTLE_MS + size.current * 0.5;
    const wait = Math.max(0, lastFetch.current + throttle - Date.now());
    timer.current = setTimeout(() => {
      timer.current = undefined;
      setVersion((v) => v + 1);
    }, wait);
  }, []);
  useEffect(() => () => clearTimeout(timer.current), []);

  // The execution itself.
  useEffect(() => {
    const controller = new AbortController();
    lastFetch.current = Date.now();
    client.execution(arn, controller.signal).then(
      (response) => {
        size.current = response.operations.length;
        setData(response);
        setError(undefined);
      },
      (err: unknown) => {
        if (!isAbort(err)) setError(err);
      },
    );
    return () => controller.abort();
  }, [client, arn, version, epoch]);

  // Events: all pages, then whatever is new each time the execution changes.
  const eventsVersion = data?.eventCount;
  useEffect(() => {
    if (data === undefined) return;
    // A newer run (more events announced) aborts this one and continues from the same cursor.
    const cursor = eventCursor.current;
    let cancelled = false;
    const controller = new AbortController();
    (async () => {
      try {
        for (;;) {
          const page = await client.events(
            arn,
            { after: cursor.after, limit: EVENT_PAGE },
            controller.signal,
          );
          if (cancelled) return;
          const last = page.events.at(-1);
          if (page.events.length > 0) {
            setEvents((current) => {
              const seen = current.at(-1)?.eventId ?? 0;
              const fresh = page.events.filter((e) => e.eventId > seen);
              return fresh.length > 0 ? [...current, ...fresh] : current;
            });
          }
          if (last) cursor.after = last.eventId;
          setEventsError(undefined);
          if (!page.next || page.events.length === 0) break;
          cursor.after = page.next;
        }
        setEventsComplete(true);
      } catch (err) {
        if (!cancelled && !isAbort(err)) setEventsError(err);
      }
    })();
    return () => {
      cancelled = true;
      controller.abort();
    };
    // eventCount changes exactly when there is something new to fetch.
  }, [client, arn, eventsVersion, data === undefined, epoch]);

  useExecutionStream((summary) => {
    if (summary.arn === arn) refresh();
  });

  // A malformed ARN in the URL cannot name an execution either.
  const notFound =
    error instanceof ServerError &&
    (error.notFound || (error.status === 400 && error.errorType === "InvalidParameterValueException"));
  return { data, error, notFound, events, eventsComplete, eventsError, refresh };
}
