// Wire shapes of operations (spec §3.4, §3.5). Timestamps are plain numbers here; their unit depends on
// where they travel (epoch ms in the invocation event, epoch seconds in REST responses, spec §1.7).

export const OPERATION_TYPES = [
  "EXECUTION",
  "CONTEXT",
  "STEP",
  "WAIT",
  "CALLBACK",
  "CHAINED_INVOKE",
] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];

export const OPERATION_STATUSES = [
  "STARTED",
  "PENDING",
  "READY",
  "SUCCEEDED",
  "FAILED",
  "CANCELLED",
  "TIMED_OUT",
  "STOPPED",
] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

export const TERMINAL_OPERATION_STATUSES: ReadonlySet<OperationStatus> = new Set([
  "SUCCEEDED",
  "FAILED",
  "CANCELLED",
  "TIMED_OUT",
  "STOPPED",
]);

export const OPERATION_ACTIONS = ["START", "SUCCEED", "FAIL", "RETRY", "CANCEL"] as const;
export type OperationAction = (typeof OPERATION_ACTIONS)[number];

export interface ErrorObject {
  ErrorType?: string;
  ErrorMessage?: string;
  ErrorData?: string;
  StackTrace?: string[];
}

export interface ExecutionDetails {
  InputPayload?: string;
}
export interface ContextDetails {
  ReplayChildren?: boolean;
  Result?: string;
  Error?: ErrorObject;
}
export interface StepDetails {
  Attempt?: number;
  NextAttemptTimestamp?: number;
  Result?: string;
  Error?: ErrorObject;
}
export interface WaitDetails {
  ScheduledEndTimestamp: number;
}
export interface CallbackDetails {
  CallbackId: string;
  Result?: string;
  Error?: ErrorObject;
}
export interface ChainedInvokeDetails {
  Result?: string;
  Error?: ErrorObject;
}

export interface Operation {
  Id: string;
  ParentId?: string;
  Name?: string;
  Type: OperationType;
  SubType?: string;
  Status: OperationStatus;
  StartTimestamp: number;
  EndTimestamp?: number;
  ExecutionDetails?: ExecutionDetails;
  ContextDetails?: ContextDetails;
  StepDetails?: StepDetails;
  WaitDetails?: WaitDetails;
  CallbackDetails?: CallbackDetails;
  ChainedInvokeDetails?: ChainedInvokeDetails;
}

export interface OperationUpdate {
  Id: string;
  ParentId?: string;
  Name?: string;
  Type: OperationType;
  SubType?: string;
  Action: OperationAction;
  Payload?: string;
  Error?: ErrorObject;
  ContextOptions?: { ReplayChildren?: boolean };
  StepOptions?: { NextAttemptDelaySeconds?: number };
  WaitOptions?: { WaitSeconds?: number };
  CallbackOptions?: { TimeoutSeconds?: number; HeartbeatTimeoutSeconds?: number };
  ChainedInvokeOptions?: { FunctionName: string; TenantId?: string; XAmznTraceId?: string };
}
