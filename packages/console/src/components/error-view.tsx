// An ErrorObject as people read it: type, message, data and the stack trace (folded).
import type { ErrorObject } from "@dormouse/protocol";
import { JsonView } from "./json-view";

export function ErrorView({ error }: { error: ErrorObject }) {
  return (
    <div className="error-view">
      <div className="error-view__type">{error.ErrorType ?? "Error"}</div>
      {error.ErrorMessage && <div className="error-view__message">{error.ErrorMessage}</div>}
      {error.ErrorData !== undefined && error.ErrorData !== "" && (
        <div className="error-view__section">
          <h4 className="field-label">Error data</h4>
          <JsonView text={error.ErrorData} />
        </div>
      )}
      {error.StackTrace && error.StackTrace.length > 0 && (
        <details className="error-view__stack">
          <summary>Stack trace ({error.StackTrace.length} frames)</summary>
          <pre>{error.StackTrace.join("\n")}</pre>
        </details>
      )}
    </div>
  );
}
