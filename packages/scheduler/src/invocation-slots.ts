// Admission control: an execution takes its invocation lease only when its function has a free
// worker slot. Leasing everything that is ready at once would start every lease's deadline while
// the invocations queue for workers, so a backlog would time out instead of running. In a cluster a
// node also claims ready executions only up to its free slots (`free`), so a busy node leaves them
// to nodes with idle workers.
export class InvocationSlots {
  private readonly busy = new Map<string, number>();
  private readonly waiting = new Map<string, ((granted: boolean) => void)[]>();
  private closed = false;

  constructor(private readonly capacity: (functionName: string) => number) {}

  /** Resolves true when a slot is taken (FIFO per function), false when the slots were closed. */
  acquire(functionName: string): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    const busy = this.busy.get(functionName) ?? 0;
    if (busy < Math.max(1, this.capacity(functionName))) {
      this.busy.set(functionName, busy + 1);
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const queue = this.waiting.get(functionName) ?? [];
      queue.push(resolve);
      this.waiting.set(functionName, queue);
    });
  }

  /** Takes a slot if one is free now (never queues). */
  tryAcquire(functionName: string): boolean {
    if (this.closed) return false;
    const busy = this.busy.get(functionName) ?? 0;
    if (busy >= Math.max(1, this.capacity(functionName))) return false;
    this.busy.set(functionName, busy + 1);
    return true;
  }

  /** Free slots of each function that has any in use or waited for (absent: all of its slots). */
  free(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [name, busy] of this.busy) {
      const queued = this.waiting.get(name)?.length ?? 0;
      out.set(name, Math.max(0, Math.max(1, this.capacity(name)) - busy - queued));
    }
    return out;
  }

  release(functionName: string): void {
    const next = this.waiting.get(functionName)?.shift();
    if (next && !this.closed) {
      next(true); // the slot passes straight to the next in line
      return;
    }
    this.busy.set(functionName, Math.max(0, (this.busy.get(functionName) ?? 1) - 1));
  }

  /** Everyone still waiting gets `false`. */
  close(): void {
    this.closed = true;
    for (const queue of this.waiting.values()) for (const resolve of queue.splice(0)) resolve(false);
  }

  inUse(functionName: string): number {
    return this.busy.get(functionName) ?? 0;
  }
}
