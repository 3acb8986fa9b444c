// The real AWS client against the real HTTP server: it must parse every response (timestamps as
// numbers → Date), map errors to its exception classes, and its percent-encoded paths must arrive intact.
import {
  CheckpointDurableExecutionCommand,
  DurableExecutionAlreadyStartedException,
  GetDurableExecutionCommand,
  GetDurableExecutionHistoryCommand,
  GetDurableExecutionStateCommand,
  GetFunctionCommand,
  InvalidParameterValueException,
  InvokeCommand,
  LambdaClient,
  ListDurableExecutionsByFunctionCommand,
  ResourceNotFoundException,
  SendDurableExecutionCallbackFailureCommand,
  SendDurableExecutionCallbackHeartbeatCommand,
  SendDurableExecutionCallbackSuccessCommand,
  StopDurableExecutionCommand,
} from "@aws-sdk/client-lambda";
import { DurableError, invalidToken } from "@dormouse/protocol";
import type { DurableService } from "@dormouse/scheduler";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApi } from "./app.js";
import {
  ARN,
  CALLBACK_ID,
  T0,
  eventRecord,
  executionRecord,
  fakeService,
  onlyCall,
  stepRecord,
} from "./test-service.js";

let overrides: Partial<DurableService> = {};
let service = fakeService();
// The app calls through to whatever service the current test installed.
const delegate = new Proxy({} as DurableService, {
  get: (_t, method: keyof DurableService) => service[method],
});
const app = createApi({ service: delegate });
let client: LambdaClient;

beforeAll(async () => {
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  client = new LambdaClient({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${address.port}`,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client?.destroy();
  await app.close();
});
beforeEach(() => {
  overrides = {};
  service = fakeService(overrides);
});
function use(o: Partial<DurableService>) {
  overrides = o;
  service = fakeService(overrides);
}

describe("@aws-sdk/client-lambda against the api", () => {
  it("GetDurableExecution: the ARN arrives intact and timestamps parse as dates", async () => {
    use({
      getExecution: async () =>
        executionRecord({ status: "SUCCEEDED", endedAt: T0 + 2500, result: '{"done":true}' }),
    });
    const out = await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: ARN }));
    expect(onlyCall(service, "getExecution")).toEqual([ARN]);
    expect(out.DurableExecutionArn).toBe(ARN);
    expect(out.Status).toBe("SUCCEEDED");
    expect(out.StartTimestamp).toEqual(new Date(T0));
    expect(out.EndTimestamp).toEqual(new Date(T0 + 2500));
    expect(out.Result).toBe('{"done":true}');
    expect(out.FunctionArn).toBe("arn:aws:lambda:us-east-1:000000000000:function:orders:$LATEST");
    expect(out.DurableConfig).toEqual({ ExecutionTimeout: 3600, RetentionPeriodInDays: 14 });
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("GetDurableExecutionHistory: query parameters and event details", async () => {
    use({ getHistory: async () => ({ events: [eventRecord()], nextMarker: "next+/=" }) });
    const out = await client.send(
      new GetDurableExecutionHistoryCommand({
        DurableExecutionArn: ARN,
        IncludeExecutionData: false,
        MaxItems: 7,
        Marker: "m+/=",
        ReverseOrder: true,
      }),
    );
    expect(onlyCall(service, "getHistory")).toEqual([ARN, { marker: "m+/=", maxItems: 7, reverse: true }]);
    expect(out.NextMarker).toBe("next+/=");
    const [event] = out.Events ?? [];
    expect(event?.EventType).toBe("StepSucceeded");
    expect(event?.EventTimestamp).toEqual(new Date(T0 + 51));
    expect(event?.StepSucceededDetails?.Result).toEqual({ Truncated: false });
    expect(event?.StepSucceededDetails?.RetryDetails).toEqual({ CurrentAttempt: 1 });
  });

  it("CheckpointDurableExecution: body, auto-filled ClientToken, response operations", async () => {
    use({
      checkpoint: async () => ({
        token: "VDFi+/==",
        operations: [
          stepRecord({
            Id: "c81e728d9d4c2f63",
            Type: "WAIT",
            SubType: "Wait",
            Status: "STARTED",
            EndTimestamp: undefined,
            StepDetails: undefined,
            WaitDetails: { ScheduledEndTimestamp: T0 + 5062 },
          }),
        ],
      }),
    });
    const out = await client.send(
      new CheckpointDurableExecutionCommand({
        DurableExecutionArn: ARN,
        CheckpointToken: "VDFh+/==",
        Updates: [
          {
            Id: "c81e728d9d4c2f63",
            Type: "WAIT",
            Action: "START",
            SubType: "Wait",
            WaitOptions: { WaitSeconds: 5 },
          },
        ],
      }),
    );
    const [arn, call] = onlyCall(service, "checkpoint") as [string, Record<string, unknown>];
    expect(arn).toBe(ARN);
    expect(call).toMatchObject({
      token: "VDFh+/==",
      updates: [
        {
          Id: "c81e728d9d4c2f63",
          Type: "WAIT",
          Action: "START",
          SubType: "Wait",
          WaitOptions: { WaitSeconds: 5 },
        },
      ],
    });
    expect(call.clientToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(call.bodyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(out.CheckpointToken).toBe("VDFi+/==");
    const [op] = out.NewExecutionState?.Operations ?? [];
    expect(op?.StartTimestamp).toEqual(new Date(T0 + 51));
    expect(op?.WaitDetails?.ScheduledEndTimestamp).toEqual(new Date(T0 + 5062));
  });

  it("GetDurableExecutionState: the token survives the query string", async () => {
    const out = await client.send(
      new GetDurableExecutionStateCommand({
        DurableExecutionArn: ARN,
        CheckpointToken: "VDFh+/==",
        MaxItems: 1000,
      }),
    );
    expect(onlyCall(service, "getState")).toEqual([ARN, "VDFh+/==", undefined, 1000]);
    expect(out.Operations?.[0]?.StepDetails).toEqual({ Attempt: 1, Result: '{"ok":true}' });
  });

  it("callbacks: the id with + / = reaches the route intact", async () => {
    await client.send(
      new SendDurableExecutionCallbackSuccessCommand({
        CallbackId: CALLBACK_ID,
        Result: new TextEncoder().encode('{"approved":true}'),
      }),
    );
    await client.send(
      new SendDurableExecutionCallbackFailureCommand({
        CallbackId: CALLBACK_ID,
        Error: { ErrorType: "Rejected", ErrorMessage: "no" },
      }),
    );
    await client.send(new SendDurableExecutionCallbackHeartbeatCommand({ CallbackId: CALLBACK_ID }));
    expect(service.calls.map((c) => [c.method, ...c.args])).toEqual([
      ["callbackSuccess", CALLBACK_ID, '{"approved":true}'],
      ["callbackFailure", CALLBACK_ID, { ErrorType: "Rejected", ErrorMessage: "no" }],
      ["callbackHeartbeat", CALLBACK_ID],
    ]);
  });

  it("StopDurableExecution and ListDurableExecutionsByFunction", async () => {
    const stop = await client.send(new StopDurableExecutionCommand({ DurableExecutionArn: ARN }));
    expect(stop.StopTimestamp).toEqual(new Date(T0 + 1500));
    expect(onlyCall(service, "stopExecution")).toEqual([ARN, undefined]);

    const list = await client.send(
      new ListDurableExecutionsByFunctionCommand({
        FunctionName: "orders",
        Statuses: ["RUNNING", "FAILED"],
        StartedAfter: new Date(Date.UTC(2025, 0, 1, 0, 0, 0, 500)),
        ReverseOrder: true,
        MaxItems: 10,
      }),
    );
    expect(onlyCall(service, "listExecutions")).toEqual([
      {
        functionName: "orders",
        statuses: ["RUNNING", "FAILED"],
        startedAfter: Date.UTC(2025, 0, 1, 0, 0, 0, 500),
        oldestFirst: true,
        limit: 10,
      },
    ]);
    expect(list.DurableExecutions?.[0]?.StartTimestamp).toEqual(new Date(T0));
  });

  it("Invoke: sync result, Event, and function errors", async () => {
    const sync = await client.send(
      new InvokeCommand({
        FunctionName: "orders",
        Qualifier: "$LATEST",
        Payload: '{"n":42}',
        DurableExecutionName: "o-1",
      }),
    );
    expect(sync.StatusCode).toBe(200);
    expect(new TextDecoder().decode(sync.Payload)).toBe('"ok"');
    expect(sync.DurableExecutionArn).toBe(ARN);
    expect(sync.ExecutedVersion).toBe("$LATEST");
    expect(onlyCall(service, "resolveFunction")).toEqual(["orders", "$LATEST"]);

    const event = await client.send(new InvokeCommand({ FunctionName: "orders", InvocationType: "Event" }));
    expect(event.StatusCode).toBe(202);
    expect(event.DurableExecutionArn).toBe(ARN);

    use({
      waitForTerminal: async () =>
        executionRecord({
          status: "FAILED",
          endedAt: T0 + 1,
          error: { ErrorType: "StepError", ErrorMessage: "x" },
        }),
    });
    const failed = await client.send(new InvokeCommand({ FunctionName: "orders" }));
    expect(failed.FunctionError).toBe("Unhandled");
    expect(JSON.parse(new TextDecoder().decode(failed.Payload))).toEqual({
      errorType: "StepError",
      errorMessage: "x",
    });
  });

  it("GetFunction: Configuration with DurableConfig", async () => {
    const out = await client.send(new GetFunctionCommand({ FunctionName: "orders" }));
    expect(out.Configuration?.FunctionName).toBe("orders");
    expect(out.Configuration?.DurableConfig).toEqual({ ExecutionTimeout: 3600, RetentionPeriodInDays: 14 });
  });

  it("errors become the client's exception classes", async () => {
    const notFound = await client
      .send(new GetDurableExecutionCommand({ DurableExecutionArn: ARN.replace("order-42", "ghost") }))
      .catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(ResourceNotFoundException);
    expect((notFound as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
    expect((notFound as Error).message).toMatch(/^Execution not found/);

    use({
      checkpoint: async () => {
        throw invalidToken("stale");
      },
    });
    const stale = await client
      .send(new CheckpointDurableExecutionCommand({ DurableExecutionArn: ARN, CheckpointToken: "VDFh" }))
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(InvalidParameterValueException);
    expect((stale as Error).message).toBe("Invalid Checkpoint Token: stale");

    use({
      startExecution: async () => {
        throw new DurableError("DurableExecutionAlreadyStartedException", "exists");
      },
    });
    const clash = await client
      .send(new InvokeCommand({ FunctionName: "orders", DurableExecutionName: "o-1" }))
      .catch((e: unknown) => e);
    expect(clash).toBeInstanceOf(DurableExecutionAlreadyStartedException);

    const invalid = await client
      .send(new GetDurableExecutionCommand({ DurableExecutionArn: "not-an-arn" }))
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidParameterValueException);
    expect((invalid as Error).message).toMatch(/^DurableExecutionArn: /);
  });
});
