// A textarea for JSON that says what is wrong and where, and can format what is right.
import { useId } from "react";
import type { JsonProblem } from "../format";
import { checkJson } from "../format";

export function jsonProblem(text: string, allowEmpty: boolean): JsonProblem | undefined {
  if (text.trim() === "") return allowEmpty ? undefined : { message: 'Enter a JSON value, e.g. {} or "ok"' };
  return checkJson(text);
}

export function JsonEditor({
  label,
  value,
  onChange,
  showProblem,
  allowEmpty = false,
  hint,
  rows = 8,
  id,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Problems show once the user has typed or tried to submit. */
  showProblem: boolean;
  allowEmpty?: boolean;
  hint?: string;
  rows?: number;
  id?: string;
}) {
  const generated = useId();
  const inputId = id ?? generated;
  const problem = jsonProblem(value, allowEmpty);
  const visible = showProblem && problem;
  const format = () => {
    if (!problem && value.trim() !== "") onChange(JSON.stringify(JSON.parse(value), null, 2));
  };
  return (
    <div className="field">
      <div className="field__top">
        <label htmlFor={inputId}>{label}</label>
        <button
          type="button"
          className="btn btn--ghost btn--sm"
          onClick={format}
          disabled={!!problem || value.trim() === ""}
        >
          Format
        </button>
      </div>
      <textarea
        id={inputId}
        className="textarea"
        rows={rows}
        value={value}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        aria-invalid={visible ? true : undefined}
        aria-describedby={`${inputId}-msg`}
        onChange={(e) => onChange(e.target.value)}
      />
      <div
        id={`${inputId}-msg`}
        className={visible ? "field-error" : "field-hint"}
        role={visible ? "alert" : undefined}
      >
        {visible
          ? `Invalid JSON${problem.line !== undefined ? ` (line ${problem.line}, column ${problem.column})` : ""}: ${problem.message}`
          : hint}
      </div>
    </div>
  );
}
