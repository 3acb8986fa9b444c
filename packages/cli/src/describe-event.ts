// One line of detail per history event for `dormouse executions history`. Every event carries one
// `<EventType>Details` member (protocol §7.3.1); its fields share a few shapes (Input, Result,
// Error, RetryDetails), so they are summarised by shape rather than with one branch per event type.
import type { Event } from "@aws-sdk/client-lambda";
import { formatDuration, formatErrorObject, formatSeconds, formatTime, truncate } from "./format.js";
import type { ErrorLike } from "./format.js";

interface Details {
  Input?: { Payload?: string };
  Result?: { Payload?: string };
  Error?: { Payload?: ErrorLike };
  RetryDetails?: { CurrentAttempt?: number; NextAttemptDelaySeconds?: number };
  ExecutionTimeout?: number;
  Duration?: number;
  ScheduledEndTimestamp?: Date;
  CallbackId?: string;
  Timeout?: number;
  HeartbeatTimeout?: number;
  FunctionName?: string;
  StartTimestamp?: Date;
  EndTimestamp?: Date;
}

export function describeEvent(event: Event, offsetMinutes?: number): string {
  const details = (event as Record<string, unknown>)[`${event.EventType ?? ""}Details`] as
    Details | undefined;
  if (details === undefined) return "";
  const parts: string[] = [];
  const time = (date: Date) =>
    offsetMinutes === undefined ? formatTime(date) : formatTime(date, offsetMinutes);

  if (details.FunctionName !== undefined) parts.push(details.FunctionName);
  if (details.Input !== undefined) parts.push(`input ${payloadText(details.Input.Payload)}`);
  if (details.ExecutionTimeout !== undefined)
    parts.push(`timeout ${formatSeconds(details.ExecutionTimeout)}`);
  if (details.Duration !== undefined) parts.push(formatSeconds(details.Duration));
  if (details.ScheduledEndTimestamp !== undefined) parts.push(`until ${time(details.ScheduledEndTimestamp)}`);
  if (details.CallbackId !== undefined) parts.push(`callback ${details.CallbackId}`);
  if (details.Timeout) parts.push(`timeout ${formatSeconds(details.Timeout)}`);
  if (details.HeartbeatTimeout) parts.push(`heartbeat ${formatSeconds(details.HeartbeatTimeout)}`);
  if (details.StartTimestamp !== undefined && details.EndTimestamp !== undefined) {
    parts.push(`took ${formatDuration(details.EndTimestamp.getTime() - details.StartTimestamp.getTime())}`);
  }
  if (details.Result !== undefined) parts.push(`result ${payloadText(details.Result.Payload)}`);
  if (details.Error !== undefined) parts.push(`error ${formatErrorObject(details.Error.Payload ?? {})}`);
  const retry = details.RetryDetails;
  if (retry?.CurrentAttempt !== undefined && (retry.CurrentAttempt > 1 || retry.NextAttemptDelaySeconds)) {
    parts.push(`attempt ${retry.CurrentAttempt}`);
  }
  if (retry?.NextAttemptDelaySeconds !== undefined) {
    parts.push(`retry in ${formatSeconds(retry.NextAttemptDelaySeconds)}`);
  }
  return parts.join(", ");
}

/** Payloads may be absent (a void result) or elided (IncludeExecutionData=false). */
function payloadText(payload: string | undefined): string {
  return payload === undefined ? "(none)" : truncate(payload);
}
