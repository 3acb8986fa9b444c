// What each invocation did. Every invocation runs the handler from the top: operations that had
// completed before it started are replayed (their recorded results are returned), the others are
// executed. Between invocations the execution hibernates: no process, no compute.
import type { ConsoleExecutionDetail, ConsoleInvocation, ConsoleOperation } from "@dormouse/protocol";

export interface InvocationActivity {
  invocation: ConsoleInvocation;
  /** Completed before this invocation started. */
  replayed: ConsoleOperation[];
  /** Started or completed while this invocation ran. */
  executed: ConsoleOperation[];
}

export function invocationEnd(inv: ConsoleInvocation, now: number): number {
  return inv.endedAt ?? Math.max(now, inv.startedAt);
}

export function invocationActivity(
  operations: readonly ConsoleOperation[],
  invocations: readonly ConsoleInvocation[],
  now: number,
): InvocationActivity[] {
  const ops = operations.filter((op) => op.Type !== "EXECUTION");
  return [...invocations]
    .sort((a, b) => a.number - b.number)
    .map((invocation) => {
      const start = invocation.startedAt;
      const end = invocationEnd(invocation, now);
      const replayed: ConsoleOperation[] = [];
      const executed: ConsoleOperation[] = [];
      for (const op of ops) {
        const ended = op.EndTimestamp;
        if (ended !== undefined && ended < start) replayed.push(op);
        else if (
          (op.StartTimestamp >= start && op.StartTimestamp <= end) ||
          (ended !== undefined && ended >= start && ended <= end)
        ) {
          executed.push(op);
        }
      }
      return { invocation, replayed, executed };
    });
}

export interface ExecutionFigures {
  wallMs: number;
  /** Sum of the invocations' durations. */
  activeMs: number;
  /** Wall time minus active compute. */
  hibernatingMs: number;
  invocations: number;
  /** Invocations after the first: each one replayed the handler from the top. */
  replays: number;
}

export function executionFigures(
  execution: Pick<ConsoleExecutionDetail, "startedAt" | "endedAt">,
  invocations: readonly ConsoleInvocation[],
  now: number,
): ExecutionFigures {
  const end = execution.endedAt ?? Math.max(now, execution.startedAt);
  const wallMs = Math.max(0, end - execution.startedAt);
  const activeMs = invocations.reduce(
    (sum, inv) => sum + Math.max(0, invocationEnd(inv, now) - inv.startedAt),
    0,
  );
  return {
    wallMs,
    activeMs,
    hibernatingMs: Math.max(0, wallMs - activeMs),
    invocations: invocations.length,
    replays: Math.max(0, invocations.length - 1),
  };
}

export interface Gap {
  start: number;
  end: number;
}

/** The stretches between invocations (and before the first), when nothing ran. */
export function hibernationGaps(
  execution: Pick<ConsoleExecutionDetail, "startedAt" | "endedAt">,
  invocations: readonly ConsoleInvocation[],
  now: number,
): Gap[] {
  const end = execution.endedAt ?? Math.max(now, execution.startedAt);
  const spans = [...invocations]
    .map((inv) => ({ start: inv.startedAt, end: invocationEnd(inv, now) }))
    .sort((a, b) => a.start - b.start);
  const gaps: Gap[] = [];
  let cursor = execution.startedAt;
  for (const span of spans) {
    if (span.start > cursor) gaps.push({ start: cursor, end: span.start });
    cursor = Math.max(cursor, span.end);
  }
  if (end > cursor) gaps.push({ start: cursor, end });
  return gaps;
}
