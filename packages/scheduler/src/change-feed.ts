// Tells subscribers (the console's live stream) which executions changed. The orchestrator publishes
// every committed decision; subscribers get the newest record of each changed execution once per tick,
// so a burst of checkpoints on one execution costs them one notification.
import type { ExecutionRecord } from "@dormouse/engine";
import type { Logger } from "./ports.js";

export type ExecutionChangeListener = (execution: ExecutionRecord) => void;

export interface ExecutionChangeSource {
  /** Calls `listener` after committed changes to an execution; returns the unsubscribe function. */
  onExecutionChange(listener: ExecutionChangeListener): () => void;
}

export class ExecutionChangeFeed implements ExecutionChangeSource {
  private readonly listeners = new Set<ExecutionChangeListener>();
  /** Newest record per execution since the last delivery, in first-change order. */
  private pending = new Map<string, ExecutionRecord>();
  private scheduled: NodeJS.Immediate | undefined;

  constructor(private readonly log: Logger) {}

  onExecutionChange(listener: ExecutionChangeListener): () => void {
    // Wrapped so that subscribing one function twice gives two independent subscriptions.
    const entry: ExecutionChangeListener = (execution) => listener(execution);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  /** Whether anyone listens (so that reading what another node changed is worth it). */
  get listening(): boolean {
    return this.listeners.size > 0;
  }

  publish(execution: ExecutionRecord): void {
    if (this.listeners.size === 0) return;
    this.pending.set(execution.arn, execution);
    this.scheduled ??= setImmediate(() => this.deliver());
  }

  /** Drops what is not delivered yet; later publishes still work (nothing holds the process open). */
  close(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    this.pending = new Map();
  }

  private deliver(): void {
    this.scheduled = undefined;
    const batch = this.pending;
    this.pending = new Map();
    for (const execution of batch.values()) {
      for (const listener of [...this.listeners]) {
        if (!this.listeners.has(listener)) continue; // unsubscribed by an earlier listener
        try {
          listener(execution);
        } catch (err) {
          this.log.error({ err, arn: execution.arn }, "execution change listener failed");
        }
      }
    }
  }
}
