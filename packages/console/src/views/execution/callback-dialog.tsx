// Answer a callback by hand: succeed with a JSON result, fail with an error, or send a heartbeat.
// The same REST calls an external system would make; whatever the server says is shown.
import type { ErrorObject } from "@dormouse/protocol";
import { useId, useState } from "react";
import { Dialog } from "../../components/dialog";
import { Icon } from "../../components/icons";
import { jsonProblem, JsonEditor } from "../../components/json-editor";
import { ErrorAlert, Spinner } from "../../components/states";
import { useToast } from "../../components/toasts";
import { middleEllipsis } from "../../format";
import { useClient } from "../../hooks";

export interface PendingCallback {
  id: string;
  name: string;
}

type Mode = "succeed" | "fail" | "heartbeat";
const OTHER = "\u0000other";

export function CallbackDialog({
  pending,
  initialId,
  onClose,
  onDone,
}: {
  pending: PendingCallback[];
  initialId?: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const client = useClient();
  const toast = useToast();
  const ids = { choice: useId(), other: useId(), type: useId(), message: useId(), data: useId() };
  const [choice, setChoice] = useState(initialId ?? pending[0]?.id ?? OTHER);
  const [otherId, setOtherId] = useState(
    initialId && !pending.some((p) => p.id === initialId) ? initialId : "",
  );
  const [mode, setMode] = useState<Mode>("succeed");
  const [result, setResult] = useState('{\n  "approved": true\n}');
  const [errorType, setErrorType] = useState("");
  const [errorMessage, setErrorMessage] = useState("");
  const [errorData, setErrorData] = useState("");
  const [touched, setTouched] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>();

  const callbackId = choice === OTHER ? otherId.trim() : choice;
  const idMissing = callbackId === "";

  async function submit() {
    setTouched(true);
    setError(undefined);
    if (idMissing) return;
    if (mode === "succeed" && jsonProblem(result, true)) return;
    setSubmitting(true);
    try {
      if (mode === "succeed") await client.callbackSucceed(callbackId, result.trim() === "" ? "" : result);
      else if (mode === "fail") {
        const body: ErrorObject = {};
        if (errorType) body.ErrorType = errorType;
        if (errorMessage) body.ErrorMessage = errorMessage;
        if (errorData) body.ErrorData = errorData;
        await client.callbackFail(callbackId, body);
      } else await client.callbackHeartbeat(callbackId);
      toast(
        mode === "heartbeat"
          ? "Heartbeat sent"
          : mode === "succeed"
            ? "Callback succeeded"
            : "Callback failed",
      );
      onDone();
      onClose();
    } catch (err) {
      setError(err);
      setSubmitting(false);
    }
  }

  return (
    <Dialog
      title="Send a callback"
      onClose={onClose}
      wide
      onSubmit={() => void submit()}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className={`btn ${mode === "fail" ? "btn--danger-solid" : "btn--primary"}`}
            disabled={submitting}
          >
            {submitting ? (
              <Spinner label="Sending" />
            ) : (
              <Icon name={mode === "heartbeat" ? "heart" : "reply"} size={14} />
            )}
            {mode === "succeed" ? "Send success" : mode === "fail" ? "Send failure" : "Send heartbeat"}
          </button>
        </>
      }
    >
      <div className="field">
        <label htmlFor={ids.choice}>Callback</label>
        <select id={ids.choice} className="select" value={choice} onChange={(e) => setChoice(e.target.value)}>
          {pending.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} · {middleEllipsis(p.id, 36)}
            </option>
          ))}
          <option value={OTHER}>Another callback id…</option>
        </select>
        {pending.length === 0 && (
          <span className="field-hint">No callback of this execution is waiting right now.</span>
        )}
      </div>
      {choice === OTHER && (
        <div className="field">
          <label htmlFor={ids.other}>Callback id</label>
          <input
            id={ids.other}
            className="input mono"
            value={otherId}
            onChange={(e) => setOtherId(e.target.value)}
            aria-invalid={touched && idMissing ? true : undefined}
            spellCheck={false}
            autoComplete="off"
          />
          {touched && idMissing && <span className="field-error">Enter the callback id</span>}
        </div>
      )}
      <fieldset className="field fieldset">
        <legend className="field-label">Response</legend>
        <div className="toggle-group">
          {(["succeed", "fail", "heartbeat"] as const).map((m) => (
            <label key={m}>
              <input
                type="radio"
                name="callback-mode"
                value={m}
                checked={mode === m}
                onChange={() => setMode(m)}
              />
              {m === "succeed" ? "Success" : m === "fail" ? "Failure" : "Heartbeat"}
            </label>
          ))}
        </div>
      </fieldset>
      {mode === "succeed" && (
        <JsonEditor
          label="Result"
          value={result}
          onChange={(v) => {
            setResult(v);
            setTouched(true);
          }}
          showProblem={touched}
          allowEmpty
          hint="Delivered to the function as the callback's result. Leave empty for no result."
        />
      )}
      {mode === "fail" && (
        <>
          <div className="form-grid">
            <div className="field">
              <label htmlFor={ids.type}>Error type</label>
              <input
                id={ids.type}
                className="input"
                value={errorType}
                placeholder="Rejected"
                onChange={(e) => setErrorType(e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor={ids.message}>Error message</label>
              <input
                id={ids.message}
                className="input"
                value={errorMessage}
                placeholder="The reviewer declined"
                onChange={(e) => setErrorMessage(e.target.value)}
              />
            </div>
          </div>
          <div className="field">
            <label htmlFor={ids.data}>
              Error data <span className="faint">(optional)</span>
            </label>
            <textarea
              id={ids.data}
              className="textarea"
              rows={3}
              value={errorData}
              onChange={(e) => setErrorData(e.target.value)}
            />
          </div>
        </>
      )}
      {mode === "heartbeat" && (
        <p className="muted">
          Tells the server the callback is still being worked on, resetting its heartbeat timeout.
        </p>
      )}
      {error !== undefined && <ErrorAlert error={error} />}
    </Dialog>
  );
}
