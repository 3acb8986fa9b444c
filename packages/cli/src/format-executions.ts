// Readable output for the `executions` commands. `offsetMinutes` pins the time zone in tests;
// left out, times are shown in the machine's local zone.
import type { Event, Execution, GetDurableExecutionResponse } from "@aws-sdk/client-lambda";
import { describeEvent } from "./describe-event.js";
import {
  formatDuration,
  formatErrorObject,
  formatRecord,
  formatSeconds,
  formatTable,
  formatTime,
} from "./format.js";

export function formatExecutionList(executions: Execution[], offsetMinutes?: number): string {
  if (executions.length === 0) return "no executions";
  const time = timeIn(offsetMinutes);
  return formatTable(
    ["NAME", "STATUS", "STARTED", "ENDED", "ARN"],
    executions.map((e) => [
      e.DurableExecutionName,
      e.Status,
      time(e.StartTimestamp),
      time(e.EndTimestamp),
      e.DurableExecutionArn,
    ]),
  );
}

export function formatExecution(execution: GetDurableExecutionResponse, offsetMinutes?: number): string {
  const time = timeIn(offsetMinutes);
  const { StartTimestamp: start, EndTimestamp: end, DurableConfig: config } = execution;
  return formatRecord([
    ["name", execution.DurableExecutionName],
    ["arn", execution.DurableExecutionArn],
    ["function", execution.FunctionArn],
    ["version", execution.Version],
    ["status", execution.Status],
    ["started", start && time(start)],
    ["ended", end && time(end)],
    ["took", start && end ? formatDuration(end.getTime() - start.getTime()) : undefined],
    ["input", execution.InputPayload],
    ["result", execution.Result],
    ["error", formatErrorObject(execution.Error)],
    ["timeout", config?.ExecutionTimeout === undefined ? undefined : formatSeconds(config.ExecutionTimeout)],
    [
      "retention",
      config?.RetentionPeriodInDays === undefined ? undefined : `${config.RetentionPeriodInDays} days`,
    ],
  ]);
}

export function formatHistory(events: Event[], offsetMinutes?: number): string {
  if (events.length === 0) return "no events";
  const time = timeIn(offsetMinutes);
  return formatTable(
    ["#", "TIME", "EVENT", "NAME", "DETAIL"],
    events.map((e) => [
      e.EventId,
      time(e.EventTimestamp),
      e.EventType,
      e.Name,
      describeEvent(e, offsetMinutes),
    ]),
  );
}

function timeIn(offsetMinutes: number | undefined): (date: Date | undefined) => string {
  return (date) => (offsetMinutes === undefined ? formatTime(date) : formatTime(date, offsetMinutes));
}
