// Recently used execution states, kept current by applying each committed decision. A stale entry
// (another node wrote) shows up as a ConflictError at commit; the orchestrator then reloads. In a
// cluster, other nodes' notices drop entries older than what they committed.
import type { Decision, ExecutionState, OperationRecord } from "@dormouse/engine";

export class StateCache {
  private readonly entries = new Map<
    string,
    { execution: ExecutionState["execution"]; operations: Map<string, OperationRecord> }
  >();

  constructor(private readonly capacity: number) {}

  get(arn: string): ExecutionState | undefined {
    const e = this.entries.get(arn);
    if (!e) return undefined;
    this.entries.delete(arn);
    this.entries.set(arn, e);
    return e;
  }

  /** The entry without counting it as a use. */
  peek(arn: string): ExecutionState | undefined {
    return this.entries.get(arn);
  }

  put(state: ExecutionState): void {
    this.entries.delete(state.execution.arn);
    this.entries.set(state.execution.arn, {
      execution: state.execution,
      operations: new Map(state.operations),
    });
    this.evict();
  }

  /** Brings the cached state up to date with a decision that was just committed. */
  apply(decision: Decision): void {
    const arn = decision.execution.arn;
    if (decision.purge) {
      this.entries.delete(arn);
      return;
    }
    const e = this.entries.get(arn);
    if (!e) {
      if (decision.created)
        this.put({ execution: decision.execution, operations: toMap(decision.operations) });
      return;
    }
    e.execution = decision.execution;
    for (const op of decision.operations) e.operations.set(op.Id, op);
    // A finished execution is rarely touched again; do not let it hold memory.
    if (decision.execution.status !== "RUNNING" && !decision.execution.invocation) this.entries.delete(arn);
  }

  delete(arn: string): void {
    this.entries.delete(arn);
  }

  clear(): void {
    this.entries.clear();
  }

  private evict(): void {
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) return;
      this.entries.delete(oldest);
    }
  }
}

const toMap = (ops: OperationRecord[]) => new Map(ops.map((op) => [op.Id, op]));
