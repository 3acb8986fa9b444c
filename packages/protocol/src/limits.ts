// Identifier shapes and default limits (spec §8.2). Defaults are AWS's; the server makes them settings.

export const ID_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const EXECUTION_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const NAME_PATTERN = /^[\x20-\x7E]{1,256}$/;
export const SUBTYPE_PATTERN = /^[a-zA-Z0-9_-]{1,32}$/;
export const BASE64_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;
export const CLIENT_TOKEN_PATTERN = /^[\x21-\x7E]{1,64}$/;
export const TENANT_ID_PATTERN = /^[a-zA-Z0-9._:/=+\-@ ]{1,256}$/;

const MiB = 1024 * 1024;

export interface Limits {
  invokePayloadSyncBytes: number;
  invokePayloadAsyncBytes: number;
  operationPayloadBytes: number;
  executionPayloadBytes: number;
  errorObjectBytes: number;
  callbackResultBytes: number;
  checkpointBodyBytes: number;
  operationsPerExecution: number;
  maxWaitSeconds: number;
  defaultExecutionTimeoutSeconds: number;
  defaultRetentionDays: number;
  syncInvokeMaxSeconds: number;
  clientTokenWindowSeconds: number;
}

export const DEFAULT_LIMITS: Limits = Object.freeze({
  invokePayloadSyncBytes: 6 * MiB,
  invokePayloadAsyncBytes: 1 * MiB,
  operationPayloadBytes: 1 * MiB,
  executionPayloadBytes: 6 * MiB,
  errorObjectBytes: 1 * MiB,
  callbackResultBytes: 1 * MiB,
  checkpointBodyBytes: 7 * MiB,
  operationsPerExecution: 3000,
  maxWaitSeconds: 31_622_400,
  defaultExecutionTimeoutSeconds: 86_400,
  defaultRetentionDays: 14,
  syncInvokeMaxSeconds: 900,
  clientTokenWindowSeconds: 900,
});
