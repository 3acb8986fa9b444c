// Reading history events: their details member, a tone for their type, a one-line summary, and
// what they add to the operation tree (retry delays, the child execution of a chained invoke).
import type { ConsoleEvent, ErrorObject, EventType } from "@dormouse/protocol";
import { formatBytes, formatDuration } from "../format";

/** The event's details, whether served as the bare content or wrapped in `<Type>Details`. */
export function eventDetails(e: ConsoleEvent): Record<string, unknown> {
  const wrapped = e.details[`${e.type}Details`];
  if (wrapped && typeof wrapped === "object" && Object.keys(e.details).length === 1) {
    return wrapped as Record<string, unknown>;
  }
  return e.details;
}

export function eventTone(type: EventType): string {
  if (type === "InvocationCompleted") return "violet";
  if (type.endsWith("Started")) return "blue";
  if (type.endsWith("Succeeded")) return "green";
  if (type.endsWith("Failed")) return "red";
  if (type.endsWith("TimedOut")) return "orange";
  return "gray";
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === "object" ? (v as Record<string, unknown>) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}

/** Epoch seconds (the REST shape) or ms: anything before year 2100 in seconds is seconds. */
export function toMs(t: number): number {
  return t < 4_102_444_800 ? t * 1000 : t;
}

export function eventError(d: Record<string, unknown>): ErrorObject | undefined {
  const payload = obj(obj(d.Error)?.Payload);
  return payload as ErrorObject | undefined;
}

export function eventResult(d: Record<string, unknown>): string | undefined {
  return str(obj(d.Result)?.Payload) ?? str(obj(d.Input)?.Payload);
}

function preview(text: string | undefined, max = 80): string | undefined {
  if (text === undefined) return undefined;
  const flat = text.replace(/\s+/g, " ");
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function errorLine(e: ErrorObject | undefined): string | undefined {
  if (!e) return undefined;
  const parts = [e.ErrorType, e.ErrorMessage].filter(Boolean);
  return parts.length > 0 ? parts.join(": ") : "error";
}

/** One line for the events table. */
export function summarizeEvent(e: ConsoleEvent): string {
  const d = eventDetails(e);
  const retry = obj(d.RetryDetails);
  const attempt = num(retry?.CurrentAttempt);
  const delay = num(retry?.NextAttemptDelaySeconds);
  const parts: string[] = [];
  switch (e.type) {
    case "ExecutionStarted": {
      const input = str(obj(d.Input)?.Payload);
      if (input !== undefined) parts.push(`input ${preview(input, 60)}`);
      const timeout = num(d.ExecutionTimeout);
      if (timeout !== undefined) parts.push(`timeout ${formatDuration(timeout * 1000)}`);
      break;
    }
    case "InvocationCompleted": {
      const start = num(d.StartTimestamp);
      const end = num(d.EndTimestamp);
      if (start !== undefined && end !== undefined) parts.push(formatDuration(toMs(end) - toMs(start)));
      const req = str(d.RequestId);
      if (req) parts.push(`request ${req.slice(0, 8)}`);
      const err = errorLine(eventError(d));
      if (err) parts.push(err);
      break;
    }
    case "WaitStarted": {
      const duration = num(d.Duration);
      if (duration !== undefined) parts.push(`for ${formatDuration(duration * 1000)}`);
      break;
    }
    case "WaitSucceeded": {
      const duration = num(d.Duration);
      if (duration !== undefined) parts.push(`waited ${formatDuration(duration * 1000)}`);
      break;
    }
    case "CallbackStarted": {
      const id = str(d.CallbackId);
      if (id) parts.push(`id ${preview(id, 28)}`);
      const timeout = num(d.Timeout);
      if (timeout) parts.push(`timeout ${formatDuration(timeout * 1000)}`);
      const hb = num(d.HeartbeatTimeout);
      if (hb) parts.push(`heartbeat ${formatDuration(hb * 1000)}`);
      break;
    }
    case "ChainedInvokeStarted": {
      const fn = str(d.FunctionName);
      if (fn) parts.push(`→ ${fn}`);
      break;
    }
    default: {
      if (attempt !== undefined) parts.push(`attempt ${attempt}`);
      const err = errorLine(eventError(d));
      if (err) parts.push(err);
      else {
        const result = str(obj(d.Result)?.Payload);
        if (result !== undefined) parts.push(preview(result, 60)!);
      }
      if (delay !== undefined) parts.push(`retry in ${formatDuration(delay * 1000)}`);
      const truncated = obj(d.Result)?.Truncated === true || obj(d.Error)?.Truncated === true;
      if (truncated) parts.push("(truncated)");
    }
  }
  return parts.join(" · ");
}

export function eventsByOperation(events: readonly ConsoleEvent[]): Map<string, ConsoleEvent[]> {
  const map = new Map<string, ConsoleEvent[]>();
  for (const e of events) {
    if (!e.operationId) continue;
    const list = map.get(e.operationId);
    if (list) list.push(e);
    else map.set(e.operationId, [e]);
  }
  return map;
}

/** The durable execution a chained invoke started, when the target is durable. */
export function childExecutionArn(opEvents: readonly ConsoleEvent[] | undefined): string | undefined {
  const started = opEvents?.find((e) => e.type === "ChainedInvokeStarted");
  return started ? str(eventDetails(started).DurableExecutionArn) : undefined;
}

export function chainedFunctionName(opEvents: readonly ConsoleEvent[] | undefined): string | undefined {
  const started = opEvents?.find((e) => e.type === "ChainedInvokeStarted");
  return started ? str(eventDetails(started).FunctionName) : undefined;
}

export interface Attempt {
  attempt: number;
  at: number;
  outcome: "succeeded" | "failed";
  error?: ErrorObject;
  /** The delay before the next attempt, when this one was retried. */
  retryDelaySeconds?: number;
}

/** A step's attempts, from its StepSucceeded/StepFailed events. */
export function stepAttempts(opEvents: readonly ConsoleEvent[] | undefined): Attempt[] {
  const attempts: Attempt[] = [];
  for (const e of opEvents ?? []) {
    if (e.type !== "StepFailed" && e.type !== "StepSucceeded") continue;
    const d = eventDetails(e);
    const retry = obj(d.RetryDetails);
    const error = eventError(d);
    const delay = num(retry?.NextAttemptDelaySeconds);
    attempts.push({
      attempt: num(retry?.CurrentAttempt) ?? attempts.length + 1,
      at: e.timestamp,
      outcome: e.type === "StepFailed" ? "failed" : "succeeded",
      ...(error ? { error } : {}),
      ...(delay !== undefined ? { retryDelaySeconds: delay } : {}),
    });
  }
  return attempts;
}

export function payloadSize(text: string | undefined): string | undefined {
  return text === undefined ? undefined : formatBytes(new TextEncoder().encode(text).length);
}
