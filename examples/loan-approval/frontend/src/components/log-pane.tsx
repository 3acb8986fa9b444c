import { useEffect, useRef, useState } from "react";
import type { LogLine } from "../api";
import { clock } from "../format";

const REPLAY_TAG = "[REPLAY]";
const SERVICE_SHORT: Record<string, string> = {
  "loan-api": "api",
  "loan-workflow": "workflow",
  "fraud-check": "fraud",
};

export function LogPane({ lines, correlationId }: { lines: LogLine[]; correlationId: string }) {
  const [json, setJson] = useState(false);
  const body = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  // Follow new lines unless the reader scrolled up.
  useEffect(() => {
    const el = body.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [lines.length, json]);

  const replays = lines.filter((l) => l.replay).length;
  return (
    <section className="logs" aria-label="Live log">
      <header className="logs-head">
        <div>
          <h3>Live log</h3>
          <span className="logs-sub">
            correlationId <code>{correlationId}</code> · {lines.length}{" "}
            {lines.length === 1 ? "line" : "lines"}
            {replays > 0 && <> · {replays} replayed</>}
          </span>
        </div>
        <div className="segmented" role="group" aria-label="Log format">
          <button type="button" aria-pressed={!json} onClick={() => setJson(false)}>
            Text
          </button>
          <button type="button" aria-pressed={json} onClick={() => setJson(true)}>
            JSON
          </button>
        </div>
      </header>
      <div
        className="logs-body"
        ref={body}
        onScroll={(e) => {
          const el = e.currentTarget;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {lines.length === 0 && <div className="logs-empty">Waiting for the first line…</div>}
        {lines.map((l) =>
          json ? (
            <pre key={l.seq} className={`log-json${l.replay ? " replay" : ""}`}>
              {JSON.stringify(l.entry)}
            </pre>
          ) : (
            <div
              key={l.seq}
              className={`log-line level-${l.level.toLowerCase()}${l.replay ? " replay" : ""}`}
              data-replay={l.replay}
            >
              <time>{clock(l.timestamp)}</time>
              <span className={`svc svc-${SERVICE_SHORT[l.service] ?? "other"}`}>
                {SERVICE_SHORT[l.service] ?? l.service}
              </span>
              <span className="msg">
                {l.replay && l.message.startsWith(REPLAY_TAG) ? (
                  <>
                    <span className="replay-tag">{REPLAY_TAG}</span>
                    {l.message.slice(REPLAY_TAG.length)}
                  </>
                ) : (
                  l.message
                )}
              </span>
            </div>
          ),
        )}
      </div>
    </section>
  );
}
