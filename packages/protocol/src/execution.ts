import type { ErrorObject, Operation, OperationUpdate } from "./operation.js";

export const EXECUTION_STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export interface DurableConfig {
  ExecutionTimeout: number;
  RetentionPeriodInDays: number;
  KMSKeyArn?: string;
}

/** Event passed to the handler on every invocation (spec §2.2). Timestamps in epoch ms. */
export interface InvocationEvent {
  DurableExecutionArn: string;
  CheckpointToken: string;
  InitialExecutionState: { Operations: Operation[]; NextMarker?: string };
  UpdatedOperationIds?: string[];
}

/** What the handler returns (spec §2.3). */
export type InvocationOutput =
  | { Status: "SUCCEEDED"; Result?: string }
  | { Status: "FAILED"; Error?: ErrorObject }
  | { Status: "PENDING" };

export interface CheckpointRequest {
  CheckpointToken: string;
  Updates?: OperationUpdate[];
  ClientToken?: string;
}

export interface CheckpointResponse {
  CheckpointToken?: string;
  NewExecutionState: { Operations: Operation[] };
}

export interface GetStateResponse {
  Operations: Operation[];
  NextMarker?: string;
}

export interface GetDurableExecutionResponse {
  DurableExecutionArn: string;
  DurableExecutionName: string;
  FunctionArn: string;
  Status: ExecutionStatus;
  StartTimestamp: number;
  EndTimestamp?: number;
  InputPayload?: string;
  Result?: string;
  Error?: ErrorObject;
  Version: string;
  ExecutionDataIncluded: boolean;
  DurableConfig: DurableConfig;
  TraceHeader?: { XAmznTraceId?: string };
}

export interface ExecutionSummary {
  DurableExecutionArn: string;
  DurableExecutionName: string;
  FunctionArn: string;
  Status: ExecutionStatus;
  StartTimestamp: number;
  EndTimestamp?: number;
}
