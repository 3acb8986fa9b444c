// Input and outcome (result or error), each collapsible.
import type { ConsoleExecutionDetail } from "@dormouse/protocol";
import { ErrorView } from "../../components/error-view";
import { JsonView } from "../../components/json-view";

export function Payloads({ execution: e }: { execution: ConsoleExecutionDetail }) {
  return (
    <div className="payloads">
      <details className="card payload" open>
        <summary>
          <h2>Input</h2>
        </summary>
        <JsonView text={e.input} empty="No input" label="Input" />
      </details>
      {e.error ? (
        <details className="card payload payload--error" open>
          <summary>
            <h2>Error</h2>
          </summary>
          <ErrorView error={e.error} />
        </details>
      ) : (
        <details className="card payload" open>
          <summary>
            <h2>Result</h2>
          </summary>
          {e.status === "RUNNING" ? (
            <p className="json-empty faint">No result yet: the execution is still running.</p>
          ) : (
            <JsonView text={e.result} empty="No result (the handler returned nothing)" label="Result" />
          )}
        </details>
      )}
    </div>
  );
}
