// Where an order's time went, from Dormouse's (or AWS's) own record of the execution: wall time
// since it started, active compute (the invocations' own durations, from their InvocationCompleted
// events) and hibernation (the rest: the function was not running, and cost nothing).
import { GetDurableExecutionCommand, GetDurableExecutionHistoryCommand } from "@aws-sdk/client-lambda";
import type { Event, LambdaClient } from "@aws-sdk/client-lambda";

export interface ExecutionFigures {
  status: string;
  startedAt: number;
  endedAt?: number;
  wallMs: number;
  activeMs: number;
  hibernationMs: number;
  invocations: number;
}

export async function executionFigures(
  lambda: LambdaClient,
  arn: string,
  now: number,
): Promise<ExecutionFigures> {
  const [execution, events] = await Promise.all([
    lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn })),
    history(lambda, arn),
  ]);
  const startedAt = execution.StartTimestamp?.getTime() ?? now;
  const endedAt = execution.EndTimestamp?.getTime();
  const invocations = events.flatMap((e) => {
    const d = e.InvocationCompletedDetails;
    return e.EventType === "InvocationCompleted" && d?.StartTimestamp && d.EndTimestamp
      ? [d.EndTimestamp.getTime() - d.StartTimestamp.getTime()]
      : [];
  });
  const wallMs = Math.max(0, (endedAt ?? now) - startedAt);
  const activeMs = Math.min(
    wallMs,
    invocations.reduce((sum, ms) => sum + ms, 0),
  );
  return {
    status: execution.Status ?? "UNKNOWN",
    startedAt,
    ...(endedAt === undefined ? {} : { endedAt }),
    wallMs,
    activeMs,
    hibernationMs: wallMs - activeMs,
    invocations: invocations.length,
  };
}

async function history(lambda: LambdaClient, arn: string): Promise<Event[]> {
  const events: Event[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(
      new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, Marker: marker, MaxItems: 1000 }),
    );
    events.push(...(page.Events ?? []));
    marker = page.NextMarker;
  } while (marker);
  return events;
}
