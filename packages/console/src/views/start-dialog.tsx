// Start a new execution: pick a function (and version or alias), name it if you like, edit the
// payload. Invalid JSON is caught here; anything the server refuses is shown as it said it.
import { useId, useState } from "react";
import { Dialog } from "../components/dialog";
import { Icon } from "../components/icons";
import { jsonProblem, JsonEditor } from "../components/json-editor";
import { ErrorAlert, Spinner } from "../components/states";
import { useToast } from "../components/toasts";
import { useClient, useResource } from "../hooks";
import { executionPath, navigate } from "../router";
import type { StartRequest } from "../start-context";

const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

export function StartDialog({ initial, onClose }: { initial: StartRequest; onClose: () => void }) {
  const client = useClient();
  const toast = useToast();
  const functions = useResource("functions", (signal) => client.functions(signal));
  const durable = functions.data?.functions.filter((f) => f.durable) ?? [];
  const [functionName, setFunctionName] = useState(initial.functionName ?? "");
  const [qualifier, setQualifier] = useState(initial.qualifier ?? "");
  const [name, setName] = useState("");
  const [payload, setPayload] = useState(initial.payload ?? "{}");
  const [touched, setTouched] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>();
  const ids = { fn: useId(), q: useId(), name: useId() };

  const chosen = functionName || durable[0]?.name || "";
  const fn = durable.find((f) => f.name === chosen);
  const nameProblem =
    name !== "" && !NAME_PATTERN.test(name) ? "Use 1–64 letters, digits, - or _" : undefined;

  async function submit() {
    setTouched(true);
    setError(undefined);
    if (!chosen || nameProblem || jsonProblem(payload, true)) return;
    setSubmitting(true);
    try {
      const arn = await client.start(chosen, payload, {
        ...(qualifier ? { qualifier } : {}),
        ...(name ? { name } : {}),
      });
      toast(`Started an execution of ${chosen}`);
      onClose();
      navigate(executionPath(arn));
    } catch (err) {
      setError(err);
      setSubmitting(false);
    }
  }

  return (
    <Dialog
      title="Start an execution"
      onClose={onClose}
      wide
      onSubmit={() => void submit()}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={submitting || !chosen}>
            {submitting ? <Spinner label="Starting" /> : <Icon name="play" size={13} />}
            Start execution
          </button>
        </>
      }
    >
      <div className="form-grid">
        <div className="field">
          <label htmlFor={ids.fn}>Function</label>
          <select
            id={ids.fn}
            className="select"
            value={chosen}
            onChange={(e) => {
              setFunctionName(e.target.value);
              setQualifier("");
            }}
            disabled={!functions.data}
          >
            {!functions.data && (
              <option value="">{functions.error ? "Could not load functions" : "Loading…"}</option>
            )}
            {functions.data && durable.length === 0 && <option value="">No durable functions</option>}
            {durable.map((f) => (
              <option key={f.name} value={f.name}>
                {f.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.q}>Version or alias</label>
          <select
            id={ids.q}
            className="select"
            value={qualifier}
            onChange={(e) => setQualifier(e.target.value)}
          >
            <option value="">$LATEST</option>
            {fn?.versions
              .filter((v) => v !== "$LATEST")
              .map((v) => (
                <option key={v} value={v}>
                  Version {v}
                </option>
              ))}
            {fn?.aliases.map((a) => (
              <option key={a.name} value={a.name}>
                Alias {a.name} (→ {a.version})
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor={ids.name}>
          Execution name <span className="faint">(optional)</span>
        </label>
        <input
          id={ids.name}
          className="input mono"
          value={name}
          placeholder="generated when empty"
          onChange={(e) => setName(e.target.value)}
          aria-invalid={nameProblem ? true : undefined}
          aria-describedby={`${ids.name}-hint`}
          spellCheck={false}
          autoComplete="off"
        />
        <span id={`${ids.name}-hint`} className={nameProblem ? "field-error" : "field-hint"}>
          {nameProblem ??
            "Starting again with a name that exists returns that execution instead of a new one."}
        </span>
      </div>
      <JsonEditor
        label="Payload"
        value={payload}
        onChange={(v) => {
          setPayload(v);
          setTouched(true);
        }}
        showProblem={touched}
        allowEmpty
        rows={10}
        hint="The event your handler receives, as JSON."
      />
      {error !== undefined && <ErrorAlert error={error} />}
    </Dialog>
  );
}
