// Zod schemas for every request part (spec §3.3–3.5, §5.1, §7, §8.2). Shapes and syntax only: the
// engine owns the semantic rules of §3.7 (allowed actions, option ranges, payload sizes).
import {
  BASE64_PATTERN,
  CLIENT_TOKEN_PATTERN,
  EXECUTION_NAME_PATTERN,
  EXECUTION_STATUSES,
  OPERATION_ACTIONS,
  OPERATION_TYPES,
  TENANT_ID_PATTERN,
  parseExecutionArn,
  parseFunctionRef,
} from "@dormouse/protocol";
import { z } from "zod";

/** Optional member; `null` counts as absent, as in AWS's own REST-JSON deserializers. */
const opt = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

const str = (min: number, max: number) => z.string().min(min).max(max);

// ---- identifiers --------------------------------------------------------------------------------

export const executionArn = z
  .string()
  .max(1024, { abort: true })
  .refine((s) => parseExecutionArn(s) !== undefined, {
    error: "must be a durable execution ARN (arn:…:function:<name>:<version>/durable-execution/<name>/<id>)",
  });

export const functionName = z
  .string()
  .min(1, { abort: true })
  .max(170, { abort: true })
  .refine((s) => parseFunctionRef(s) !== undefined, {
    error: "must be a function name, name:qualifier, partial ARN or function ARN",
  });

export const qualifier = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9$_.-]+$/, { error: "must be a version or alias name" });

export const callbackId = z
  .string()
  .min(1)
  .max(1024)
  .regex(BASE64_PATTERN, { error: "must be a base64 string" });

export const executionName = z
  .string()
  .regex(EXECUTION_NAME_PATTERN, { error: "must be 1-64 characters of a-z, A-Z, 0-9, _ and -" });

export const tenantId = z
  .string()
  .regex(TENANT_ID_PATTERN, { error: "must be 1-256 characters of a-z, A-Z, 0-9, space and ._:/=+-@" });

/** Only its presence is checked here; the format check must answer with the token prefix (data-plane.ts). */
const checkpointToken = z.string();

// ---- bodies -------------------------------------------------------------------------------------

export const errorObject = z.object({
  ErrorType: opt(z.string()),
  ErrorMessage: opt(z.string()),
  ErrorData: opt(z.string()),
  StackTrace: opt(z.array(z.string())),
});

const seconds = z.number().int().min(0);

export const operationUpdate = z.object({
  Id: str(1, 64),
  ParentId: opt(str(1, 64)),
  Name: opt(str(1, 256)),
  Type: z.enum(OPERATION_TYPES),
  SubType: opt(str(1, 32)),
  Action: z.enum(OPERATION_ACTIONS),
  Payload: opt(z.string()),
  Error: opt(errorObject),
  ContextOptions: opt(z.object({ ReplayChildren: opt(z.boolean()) })),
  StepOptions: opt(z.object({ NextAttemptDelaySeconds: opt(seconds) })),
  WaitOptions: opt(z.object({ WaitSeconds: opt(seconds) })),
  CallbackOptions: opt(z.object({ TimeoutSeconds: opt(seconds), HeartbeatTimeoutSeconds: opt(seconds) })),
  ChainedInvokeOptions: opt(
    z.object({
      FunctionName: str(1, 170),
      TenantId: opt(tenantId),
      XAmznTraceId: opt(z.string()),
    }),
  ),
});

export const checkpointBody = z.object({
  CheckpointToken: checkpointToken,
  Updates: opt(z.array(operationUpdate)),
  ClientToken: opt(
    z.string().regex(CLIENT_TOKEN_PATTERN, { error: "must be 1-64 printable ASCII characters" }),
  ),
});

// ---- query parameters ---------------------------------------------------------------------------

export const booleanParam = z
  .enum(["true", "false"], { error: "must be true or false" })
  .transform((v) => v === "true");

/** 0–1000; 0 and absent mean the default page size (spec §3.2, §7.3). */
export const maxItemsParam = z
  .string()
  .regex(/^\d{1,4}$/, { error: "must be an integer from 0 to 1000" })
  .transform(Number)
  .refine((n) => n <= 1000, { error: "must be an integer from 0 to 1000" });

/** Opaque markers made by the service; an empty one means "from the start". */
export const markerParam = z
  .string()
  .max(4096)
  .transform((m) => (m === "" ? undefined : m));

export const isoDateParam = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));

export const statusesParam = z.preprocess(
  (v) => (typeof v === "string" ? [v] : v),
  z.array(z.enum(EXECUTION_STATUSES)).max(EXECUTION_STATUSES.length),
);

// ---- per-route query and header objects ---------------------------------------------------------

export const getExecutionQuery = z.object({ IncludeExecutionData: booleanParam.optional() });

export const historyQuery = z.object({
  IncludeExecutionData: booleanParam.optional(),
  MaxItems: maxItemsParam.optional(),
  Marker: markerParam.optional(),
  ReverseOrder: booleanParam.optional(),
});

export const stateQuery = z.object({
  CheckpointToken: checkpointToken,
  Marker: markerParam.optional(),
  MaxItems: maxItemsParam.optional(),
});

export const listExecutionsQuery = z.object({
  Qualifier: qualifier.optional(),
  DurableExecutionName: executionName.optional(),
  Statuses: statusesParam.optional(),
  StartedAfter: isoDateParam.optional(),
  StartedBefore: isoDateParam.optional(),
  ReverseOrder: booleanParam.optional(),
  Marker: markerParam.optional(),
  MaxItems: maxItemsParam.optional(),
});

export const qualifierQuery = z.object({ Qualifier: qualifier.optional() });

export const listFunctionsQuery = z.object({
  Marker: markerParam.optional(),
  MaxItems: z
    .string()
    .regex(/^\d{1,5}$/, { error: "must be an integer from 1 to 10000" })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 10000, { error: "must be an integer from 1 to 10000" })
    .optional(),
  FunctionVersion: z.enum(["ALL"]).optional(),
  MasterRegion: z.string().max(64).optional(),
});

/** Invoke headers, keyed by their canonical names so that messages name them as clients send them. */
export const invokeHeaders = z.object({
  "X-Amz-Invocation-Type": z.enum(["RequestResponse", "Event", "DryRun"]).optional(),
  "X-Amz-Log-Type": z.enum(["None", "Tail"]).optional(),
  "X-Amz-Durable-Execution-Name": executionName.optional(),
  "X-Amz-Tenant-Id": tenantId.optional(),
  "X-Amz-Client-Context": z
    .string()
    .max(3583)
    .regex(BASE64_PATTERN, { error: "must be base64-encoded JSON" })
    .optional(),
});

// ---- console (/console-api, protocol/console.ts) -----------------------------------------------

/** Epoch milliseconds as digits. */
const epochMsParam = z
  .string()
  .regex(/^\d{1,15}$/, { error: "must be a time in epoch milliseconds (digits only)" })
  .transform(Number);

/** A page size from 1 to 1000. */
const consoleLimitParam = z
  .string()
  .regex(/^\d{1,4}$/, { error: "must be an integer from 1 to 1000" })
  .transform(Number)
  .refine((n) => n >= 1 && n <= 1000, { error: "must be an integer from 1 to 1000" });

export const consoleExecutionsQuery = z.object({
  function: functionName.optional(),
  status: statusesParam.optional(),
  /** A name prefix or a whole execution ARN. */
  q: z.string().max(1024).optional(),
  startedAfter: epochMsParam.optional(),
  startedBefore: epochMsParam.optional(),
  cursor: markerParam.optional(),
  limit: consoleLimitParam.optional(),
});

export const consoleEventsQuery = z.object({
  /** The eventId of the last event already seen (a page's `next`). */
  after: z
    .string()
    .regex(/^\d{1,15}$/, { error: "must be an event id (digits only)" })
    .transform(Number)
    .optional(),
  limit: consoleLimitParam.optional(),
});
