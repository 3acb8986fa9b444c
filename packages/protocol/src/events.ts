// History events (spec §7.3). EventTimestamp is epoch seconds on the wire.
import type { ErrorObject } from "./operation.js";

export const EVENT_TYPES = [
  "ExecutionStarted",
  "ExecutionSucceeded",
  "ExecutionFailed",
  "ExecutionTimedOut",
  "ExecutionStopped",
  "InvocationCompleted",
  "StepStarted",
  "StepSucceeded",
  "StepFailed",
  "WaitStarted",
  "WaitSucceeded",
  "WaitCancelled",
  "CallbackStarted",
  "CallbackSucceeded",
  "CallbackFailed",
  "CallbackTimedOut",
  "ContextStarted",
  "ContextSucceeded",
  "ContextFailed",
  "ChainedInvokeStarted",
  "ChainedInvokeSucceeded",
  "ChainedInvokeFailed",
  "ChainedInvokeTimedOut",
  "ChainedInvokeStopped",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface EventInput {
  Payload?: string;
  Truncated?: boolean;
}
export interface EventResult {
  Payload?: string;
  Truncated?: boolean;
}
export interface EventError {
  Payload?: ErrorObject;
  Truncated?: boolean;
}
export interface RetryDetails {
  CurrentAttempt: number;
  NextAttemptDelaySeconds?: number;
}

/** Details member content per event type; the member name is `${EventType}Details`. */
export interface EventDetailsByType {
  ExecutionStarted: { Input: EventInput; ExecutionTimeout: number };
  ExecutionSucceeded: { Result: EventResult };
  ExecutionFailed: { Error: EventError };
  ExecutionTimedOut: { Error?: EventError };
  ExecutionStopped: { Error: EventError };
  InvocationCompleted: {
    StartTimestamp: number;
    EndTimestamp: number;
    RequestId: string;
    Error?: EventError;
  };
  StepStarted: Record<string, never>;
  StepSucceeded: { Result: EventResult; RetryDetails: RetryDetails };
  StepFailed: { Error: EventError; RetryDetails: RetryDetails };
  WaitStarted: { Duration: number; ScheduledEndTimestamp: number };
  WaitSucceeded: { Duration: number };
  WaitCancelled: { Error?: EventError };
  CallbackStarted: { CallbackId: string; Timeout?: number; HeartbeatTimeout?: number };
  CallbackSucceeded: { Result: EventResult };
  CallbackFailed: { Error: EventError };
  CallbackTimedOut: { Error: EventError };
  ContextStarted: Record<string, never>;
  ContextSucceeded: { Result: EventResult };
  ContextFailed: { Error: EventError };
  ChainedInvokeStarted: {
    FunctionName: string;
    TenantId?: string;
    Input: EventInput;
    ExecutedVersion?: string;
    DurableExecutionArn?: string;
  };
  ChainedInvokeSucceeded: { Result: EventResult };
  ChainedInvokeFailed: { Error: EventError };
  ChainedInvokeTimedOut: { Error: EventError };
  ChainedInvokeStopped: { Error: EventError };
}

/** A history event as served by GetDurableExecutionHistory (plus the one details member). */
export interface HistoryEvent {
  EventType: EventType;
  EventId: number;
  EventTimestamp: number;
  Id?: string;
  Name?: string;
  SubType?: string;
  ParentId?: string;
  [detailsMember: `${string}Details`]: unknown;
}
