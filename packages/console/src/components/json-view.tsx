// A payload as formatted, collapsible JSON (or as the text it is, when it is not JSON).
import type { ReactNode } from "react";
import { useMemo, useState } from "react";
import { formatBytes, parsePayload } from "../format";
import { CopyButton } from "./copy-button";

const PAGE = 100;

export function JsonView({
  text,
  empty = "Nothing recorded",
  label,
}: {
  text: string | undefined;
  empty?: string;
  label?: string;
}) {
  const parsed = useMemo(() => parsePayload(text), [text]);
  const [raw, setRaw] = useState(false);
  if (parsed.kind === "empty") return <p className="json-empty faint">{empty}</p>;
  const pretty = parsed.kind === "json" ? JSON.stringify(parsed.value, null, 2) : parsed.text;
  const structured =
    parsed.kind === "json" &&
    ((typeof parsed.value === "object" && parsed.value !== null) ||
      (typeof parsed.value === "string" && embeddedJson(parsed.value) !== undefined));
  return (
    <div className="json" aria-label={label}>
      <div className="json__bar">
        <span className="faint">
          {parsed.kind === "json" ? "JSON" : "Text"} ·{" "}
          {formatBytes(new TextEncoder().encode(text ?? "").length)}
        </span>
        <span className="json__tools">
          {structured && (
            <button type="button" className="btn btn--ghost btn--sm" onClick={() => setRaw((r) => !r)}>
              {raw ? "Tree" : "Raw"}
            </button>
          )}
          <CopyButton text={pretty} label="Copy payload" />
        </span>
      </div>
      {structured && !raw ? (
        <div className="json__tree">
          <JsonNode value={parsed.value} depth={0} />
        </div>
      ) : (
        <pre className="json__raw">
          {parsed.kind === "json" ? <Scalar value={parsed.value} raw={pretty} /> : pretty}
        </pre>
      )}
    </div>
  );
}

function Scalar({ value, raw }: { value: unknown; raw?: string }) {
  const text = raw ?? JSON.stringify(value);
  if (typeof value === "string") return <span className="j-str">{text}</span>;
  if (typeof value === "number") return <span className="j-num">{text}</span>;
  if (typeof value === "boolean") return <span className="j-bool">{text}</span>;
  if (value === null) return <span className="j-null">null</span>;
  return <span>{text}</span>;
}

function JsonNode({ name, value, depth }: { name?: string; value: unknown; depth: number }) {
  const key =
    name === undefined ? null : (
      <>
        <span className="j-key">{name}</span>
        <span className="j-punct">: </span>
      </>
    );
  if (typeof value === "string") {
    const nested = embeddedJson(value);
    if (nested !== undefined)
      return <EmbeddedJson keyLabel={key} text={value} value={nested} depth={depth} />;
  }
  if (typeof value !== "object" || value === null) {
    return (
      <div className="j-line">
        {key}
        <Scalar value={value} />
      </div>
    );
  }
  return <JsonBranch keyLabel={key} value={value} depth={depth} />;
}

function JsonBranch({
  keyLabel,
  value,
  depth,
  extra,
}: {
  keyLabel: ReactNode;
  value: object;
  depth: number;
  extra?: ReactNode;
}) {
  const isArray = Array.isArray(value);
  const entries = useMemo(
    () => (isArray ? (value as unknown[]).map((v, i) => [String(i), v] as const) : Object.entries(value)),
    [value, isArray],
  );
  const [shown, setShown] = useState(PAGE);
  const [open, setOpen] = useState(depth < 2 && entries.length <= 50);
  const [openBrace, closeBrace] = isArray ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) {
    return (
      <div className="j-line">
        {keyLabel}
        <span className="j-punct">
          {openBrace}
          {closeBrace}
        </span>
      </div>
    );
  }
  return (
    <div>
      <button type="button" className="j-toggle" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        <span className={`j-caret${open ? " is-open" : ""}`} aria-hidden="true">
          ▸
        </span>
        {keyLabel}
        <span className="j-punct">{openBrace}</span>
        {!open && (
          <>
            <span className="j-summary">
              {isArray
                ? `${entries.length} items`
                : `${entries.length} ${entries.length === 1 ? "key" : "keys"}`}
            </span>
            <span className="j-punct">{closeBrace}</span>
          </>
        )}
      </button>
      {extra && <> {extra}</>}
      {open && (
        <div className="j-children">
          {entries.slice(0, shown).map(([k, v]) => (
            <JsonNode key={k} name={isArray ? undefined : JSON.stringify(k)} value={v} depth={depth + 1} />
          ))}
          {entries.length > shown && (
            <button
              type="button"
              className="btn btn--ghost btn--sm j-more"
              onClick={() => setShown((s) => s + PAGE * 5)}
            >
              Show {Math.min(PAGE * 5, entries.length - shown)} more of {entries.length - shown}
            </button>
          )}
        </div>
      )}
      {open && <div className="j-punct j-close">{closeBrace}</div>}
    </div>
  );
}

/** Payloads inside payloads (a callback result, an event's Result.Payload) are JSON in a string. */
function embeddedJson(text: string): object | undefined {
  const t = text.trimStart();
  if (!(t.startsWith("{") || t.startsWith("["))) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === "object" && v !== null ? v : undefined;
  } catch {
    return undefined;
  }
}

function EmbeddedJson({
  keyLabel,
  text,
  value,
  depth,
}: {
  keyLabel: ReactNode;
  text: string;
  value: object;
  depth: number;
}) {
  const [parsed, setParsed] = useState(false);
  const toggle = (
    <button type="button" className="j-embed" onClick={() => setParsed((p) => !p)} aria-pressed={parsed}>
      {parsed ? "as text" : "as JSON"}
    </button>
  );
  if (!parsed) {
    return (
      <div className="j-line">
        {keyLabel}
        <Scalar value={text} /> {toggle}
      </div>
    );
  }
  return (
    <div className="j-embedded">
      <JsonBranch keyLabel={keyLabel} value={value} depth={depth} extra={toggle} />
    </div>
  );
}
