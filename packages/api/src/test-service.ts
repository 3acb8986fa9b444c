// A recording DurableService for the api's routing and shaping tests. It returns literal records;
// the real behaviour behind these calls is tested end to end, not here.
import type { EventRecord, ExecutionRecord, OperationRecord, ResolvedFunction } from "@dormouse/engine";
import { notFound, parseFunctionRef } from "@dormouse/protocol";
import type { DurableService, FunctionSummary } from "@dormouse/scheduler";

export const ARN =
  "arn:aws:lambda:us-east-1:000000000000:function:orders:$LATEST/durable-execution/order-42/6f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
/** What the AWS client puts in the path for ARN (spec §1.2). */
export const ENCODED_ARN = encodeURIComponent(ARN);
export const CALLBACK_ID = "Q2FsbGJhY2s6+/x==";
export const T0 = 1_795_321_200_000;

export function executionRecord(overrides: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    arn: ARN,
    executionId: "6f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
    name: "order-42",
    functionName: "orders",
    version: "$LATEST",
    status: "RUNNING",
    startedAt: T0,
    input: '{"n":42}',
    executionOpId: "0b6f7b9e-4c1d-4f5e-9a55-2f7c1e0d9a11",
    config: { executionTimeoutSeconds: 3600, retentionDays: 14, functionTimeoutSeconds: 60 },
    nextEventId: 2,
    nextSeq: 1,
    lastEpoch: 1,
    dirty: [],
    consecutiveFailures: 0,
    rev: 1,
    ...overrides,
  };
}

export function stepRecord(overrides: Partial<OperationRecord> = {}): OperationRecord {
  return {
    seq: 1,
    Id: "c4ca4238a0b92382",
    Name: "validate",
    Type: "STEP",
    SubType: "Step",
    Status: "SUCCEEDED",
    StartTimestamp: T0 + 51,
    EndTimestamp: T0 + 51,
    StepDetails: { Attempt: 1, Result: '{"ok":true}' },
    ...overrides,
  };
}

export function eventRecord(overrides: Partial<EventRecord> = {}): EventRecord {
  return {
    eventId: 3,
    type: "StepSucceeded",
    timestamp: T0 + 51,
    operationId: "c4ca4238a0b92382",
    name: "validate",
    subType: "Step",
    details: { Result: { Payload: '{"ok":true}', Truncated: false }, RetryDetails: { CurrentAttempt: 1 } },
    ...overrides,
  };
}

export const FUNCTIONS: FunctionSummary[] = [
  {
    name: "orders",
    version: "$LATEST",
    durable: true,
    timeoutSeconds: 60,
    memoryMb: 256,
    executionTimeoutSeconds: 3600,
    retentionDays: 14,
    handler: "index.handler",
    runtime: "nodejs20.x",
  },
  {
    name: "plain",
    version: "$LATEST",
    durable: false,
    timeoutSeconds: 3,
    memoryMb: 128,
    handler: "plain.handler",
    runtime: "nodejs20.x",
  },
];

function resolve(ref: string, qualifier?: string): ResolvedFunction {
  const parsed = parseFunctionRef(ref);
  const fn = FUNCTIONS.find((f) => f.name === parsed?.name);
  if (!parsed || !fn) throw notFound(`Function not found: ${ref}`);
  return {
    functionName: fn.name,
    version: qualifier ?? parsed.qualifier ?? "$LATEST",
    durable: fn.durable,
    executionTimeoutSeconds: fn.executionTimeoutSeconds ?? 0,
    retentionDays: fn.retentionDays ?? 0,
    functionTimeoutSeconds: fn.timeoutSeconds,
  };
}

export interface Call {
  method: keyof DurableService;
  args: unknown[];
}

/**
 * Every method records its arguments in `calls` and then runs `overrides[method]` or a default that
 * returns the fixtures above (unknown ARNs and callback ids are "not found").
 */
export function fakeService(overrides: Partial<DurableService> = {}): DurableService & { calls: Call[] } {
  const calls: Call[] = [];
  const defaults: DurableService = {
    resolveFunction: resolve,
    listFunctions: () => FUNCTIONS,
    startExecution: async () => ({ execution: executionRecord(), created: true }),
    waitForTerminal: async () => executionRecord({ status: "SUCCEEDED", endedAt: T0 + 900, result: '"ok"' }),
    invokePlain: async () => ({ ok: true, payload: '{"plain":true}' }),
    getExecution: async (arn) => {
      if (arn !== ARN) throw notFound(`Execution not found: ${arn}`);
      return executionRecord();
    },
    getHistory: async () => ({ events: [eventRecord()] }),
    listExecutions: async () => ({ items: [executionRecord()] }),
    stopExecution: async () => ({ stoppedAt: T0 + 1500 }),
    getState: async () => ({ operations: [stepRecord()] }),
    checkpoint: async () => ({ token: "VDFi", operations: [stepRecord()] }),
    callbackSuccess: async () => undefined,
    callbackFailure: async () => undefined,
    callbackHeartbeat: async () => undefined,
  };
  const service = { calls } as DurableService & { calls: Call[] };
  for (const method of Object.keys(defaults) as (keyof DurableService)[]) {
    const impl = (overrides[method] ?? defaults[method]) as (...args: unknown[]) => unknown;
    (service as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      calls.push({ method, args });
      return impl(...args);
    };
  }
  return service;
}

/** The arguments of the only call to `method`. */
export function onlyCall(service: { calls: Call[] }, method: keyof DurableService): unknown[] {
  const matching = service.calls.filter((c) => c.method === method);
  if (matching.length !== 1) throw new Error(`expected one ${method} call, got ${matching.length}`);
  return matching[0]!.args;
}

/** The AWS error carried by an injected response, in one comparable object. */
export function awsError(res: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  const body = JSON.parse(res.body) as Record<string, unknown>;
  return {
    status: res.statusCode,
    name: res.headers["x-amzn-errortype"],
    type: body.Type,
    message: (body.message ?? body.Message) as string,
  };
}
