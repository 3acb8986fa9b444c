// Stop a running execution, optionally recording why.
import { useId, useState } from "react";
import { Dialog } from "../../components/dialog";
import { Icon } from "../../components/icons";
import { ErrorAlert, Spinner } from "../../components/states";
import { useToast } from "../../components/toasts";
import { useClient } from "../../hooks";

export function StopDialog({
  arn,
  name,
  onClose,
  onDone,
}: {
  arn: string;
  name: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const client = useClient();
  const toast = useToast();
  const ids = { type: useId(), message: useId() };
  const [errorType, setErrorType] = useState("");
  const [errorMessage, setErrorMessage] = useState("");
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>();

  async function submit() {
    setSubmitting(true);
    setError(undefined);
    try {
      const reason =
        errorType || errorMessage
          ? {
              ...(errorType ? { ErrorType: errorType } : {}),
              ...(errorMessage ? { ErrorMessage: errorMessage } : {}),
            }
          : undefined;
      await client.stop(arn, reason);
      toast("Execution stopped");
      onDone();
      onClose();
    } catch (err) {
      setError(err);
      setSubmitting(false);
    }
  }

  return (
    <Dialog
      title="Stop this execution?"
      onClose={onClose}
      onSubmit={() => void submit()}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--danger-solid" disabled={submitting}>
            {submitting ? <Spinner label="Stopping" /> : <Icon name="stop" size={14} />}
            Stop execution
          </button>
        </>
      }
    >
      <p className="muted">
        <strong className="text">{name}</strong> ends now with status Stopped. Pending waits, retries and
        callbacks are cancelled and the function is not invoked again. This cannot be undone.
      </p>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={ids.type}>
            Error type <span className="faint">(optional)</span>
          </label>
          <input
            id={ids.type}
            className="input"
            value={errorType}
            placeholder="StoppedByOperator"
            onChange={(e) => setErrorType(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.message}>
            Reason <span className="faint">(optional)</span>
          </label>
          <input
            id={ids.message}
            className="input"
            value={errorMessage}
            placeholder="Why it was stopped"
            onChange={(e) => setErrorMessage(e.target.value)}
          />
        </div>
      </div>
      {error !== undefined && <ErrorAlert error={error} />}
    </Dialog>
  );
}
