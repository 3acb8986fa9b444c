// examples/order-notification end to end, driven as a person would: orders placed and approved
// through the AWS SDK (Invoke of place-order, then of approve-order with the order id), through the
// `dormouse` CLI, and left unanswered until the approval times out. Each outcome is checked in what
// the person sees (the results, the errors, the order store) and in the execution's history.
import fs from "node:fs";
import path from "node:path";
import { InvokeCommand } from "@aws-sdk/client-lambda";
import type { Event, LambdaClient } from "@aws-sdk/client-lambda";
import type { ConsoleFunctionsResponse } from "@dormouse/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDev, dormouse } from "../../support/dormouse-cli.js";
import type { DevProcess } from "../../support/dormouse-cli.js";
import { eventsOf, finished, onlyEvent, startAsync } from "../../support/e2e.js";
import { expectGoldenHistory } from "../../support/golden-history.js";
import { startTestServer, tempDir, waitForEvent } from "../../support/harness.js";
import type { TestServer } from "../../support/harness.js";

const EXAMPLE = path.resolve(import.meta.dirname, "../../../examples/order-notification");
const TEMPLATE = path.join(EXAMPLE, "template.yaml");
const golden = (scenario: string) => path.join(EXAMPLE, "histories", `${scenario}.json`);

const ORDER = { customer: "ada@example.com", items: [{ sku: "book", quantity: 2, price: 12.5 }] };

interface OrderResult {
  orderId: string;
  total: number;
  status: "PROCESSED" | "CANCELLED";
  approvedBy?: string;
  confirmation?: string;
  reason?: string;
  notification: { to: string; message: string };
}

/** Waits until the order asks for approval (its record is stored) and returns its id. */
async function awaitingApproval(client: LambdaClient, arn: string): Promise<string> {
  await waitForEvent(client, arn, (e) => e.EventType === "StepSucceeded" && e.Name === "request-approval");
  const created = await waitForEvent(
    client,
    arn,
    (e) => e.Name === "create-order" && e.EventType === "StepSucceeded",
  );
  return (JSON.parse(created.StepSucceededDetails!.Result!.Payload!) as { orderId: string }).orderId;
}

/** Invokes approve-order and returns what it answered (its result, or its error). */
async function answer(
  client: LambdaClient,
  payload: unknown,
): Promise<{ ok: boolean; body: Record<string, unknown> }> {
  const out = await client.send(
    new InvokeCommand({ FunctionName: "approve-order", Payload: JSON.stringify(payload) }),
  );
  const body = JSON.parse(new TextDecoder().decode(out.Payload)) as Record<string, unknown>;
  return { ok: out.FunctionError === undefined, body };
}

function storedOrder(ordersDir: string, orderId: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(ordersDir, `${orderId}.json`), "utf8")) as Record<
    string,
    unknown
  >;
}

function resultOf(execution: { Result?: string }): OrderResult {
  return JSON.parse(execution.Result!) as OrderResult;
}

describe("order-notification through the AWS SDK", () => {
  let t: TestServer;
  let ordersDir: string;

  beforeAll(async () => {
    ordersDir = tempDir("dormouse-orders-");
    t = await startTestServer({ template: TEMPLATE, parameterOverrides: { OrdersDirectory: ordersDir } });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(ordersDir, { recursive: true, force: true });
  });

  it("approved: the order is processed and the customer told so", async () => {
    const arn = await startAsync(t.client, "place-order", ORDER);
    const orderId = await awaitingApproval(t.client, arn);
    expect(orderId).toMatch(/^ord-[0-9a-f]{8}$/);
    // The store holds the callback the execution waits on, for approve-order to find.
    const pending = storedOrder(ordersDir, orderId);
    expect(pending).toMatchObject({ status: "AWAITING_APPROVAL", executionArn: arn, total: 25 });

    const approved = await answer(t.client, { orderId, approved: true, by: "grace" });
    expect(approved).toEqual({
      ok: true,
      body: { orderId, decision: "approved", by: "grace", executionArn: arn },
    });

    const { execution, events } = await finished(t.client, arn);
    expect(execution.Status).toBe("SUCCEEDED");
    const result = resultOf(execution);
    expect(result).toMatchObject({ orderId, total: 25, status: "PROCESSED", approvedBy: "grace" });
    expect(result.notification).toEqual(
      expect.objectContaining({
        to: "ada@example.com",
        message: `Your order ${orderId} is confirmed (${result.confirmation}).`,
      }),
    );
    expect(storedOrder(ordersDir, orderId)).toMatchObject({ status: "PROCESSED" });

    // The history: the callback the store named, its five-minute timeout, and the answer.
    const started = onlyEvent(events, "CallbackStarted", "approval");
    expect(started.CallbackStartedDetails).toMatchObject({ CallbackId: pending.callbackId, Timeout: 300 });
    expect(
      JSON.parse(onlyEvent(events, "CallbackSucceeded").CallbackSucceededDetails!.Result!.Payload!),
    ).toEqual({
      approved: true,
      by: "grace",
    });
    // The id and timestamp were made once, in the step: what the step recorded is what was used.
    const created = JSON.parse(
      onlyEvent(events, "StepSucceeded", "create-order").StepSucceededDetails!.Result!.Payload!,
    );
    expect(created).toMatchObject({ orderId, customer: "ada@example.com" });
    expect(eventsOf(events, "StepStarted", "cancel-order")).toEqual([]);
    expectGoldenHistory(events, golden("approved"));

    // A second answer is refused: the order is no longer waiting.
    expect(await answer(t.client, { orderId, approved: false })).toMatchObject({
      ok: false,
      body: { errorType: "Error", errorMessage: `order ${orderId} is already PROCESSED` },
    });
  });

  it("rejected: the order is cancelled with the reason, and the customer told so", async () => {
    const arn = await startAsync(t.client, "place-order", {
      customer: "bob@example.com",
      items: [{ sku: "lamp", quantity: 1, price: 40 }],
    });
    const orderId = await awaitingApproval(t.client, arn);
    const rejected = await answer(t.client, {
      orderId,
      approved: false,
      by: "grace",
      reason: "out of stock",
    });
    expect(rejected).toMatchObject({ ok: true, body: { decision: "rejected" } });

    const { execution, events } = await finished(t.client, arn);
    expect(execution.Status).toBe("SUCCEEDED");
    const result = resultOf(execution);
    expect(result).toMatchObject({
      orderId,
      status: "CANCELLED",
      reason: "rejected: out of stock (by grace)",
    });
    expect(result.notification.message).toBe(
      `Your order ${orderId} was cancelled: rejected: out of stock (by grace).`,
    );
    expect(storedOrder(ordersDir, orderId)).toMatchObject({
      status: "CANCELLED",
      reason: "rejected: out of stock (by grace)",
    });
    expect(
      onlyEvent(events, "CallbackFailed", "approval").CallbackFailedDetails!.Error!.Payload,
    ).toMatchObject({
      ErrorType: "OrderRejected",
      ErrorMessage: "out of stock (by grace)",
    });
    expect(eventsOf(events, "StepStarted", "process-order")).toEqual([]);
    expectGoldenHistory(events, golden("rejected"));
  });

  it("invalid: the execution fails naming every problem, and no approval is asked for", async () => {
    const arn = await startAsync(t.client, "place-order", {
      customer: "not an email",
      items: [{ sku: "book", quantity: 0, price: 3 }],
    });
    const { execution, events } = await finished(t.client, arn);
    expect(execution.Status).toBe("FAILED");
    expect(execution.Error).toMatchObject({ ErrorType: "StepError" });
    expect(execution.Error!.ErrorMessage).toMatch(
      /^order ord-[0-9a-f]{8} is invalid: customer must be an email address; items\[0\]\.quantity must be a whole number of at least 1$/,
    );
    const failed = onlyEvent(events, "StepFailed", "validate-order");
    expect(failed.StepFailedDetails!.Error!.Payload).toMatchObject({
      ErrorType: "InvalidOrderError",
      ErrorMessage: execution.Error!.ErrorMessage,
    });
    expect(eventsOf(events, "CallbackStarted")).toEqual([]);
    expectGoldenHistory(events, golden("invalid"));
  });

  it("approve-order refuses what it cannot answer, saying why", async () => {
    expect(await answer(t.client, { orderId: "ord-00000000", approved: true })).toMatchObject({
      ok: false,
      body: { errorMessage: `order ord-00000000 is not waiting for approval (not in ${ordersDir})` },
    });
    expect(await answer(t.client, { orderId: "../../etc/passwd", approved: true })).toMatchObject({
      ok: false,
      body: { errorMessage: '"../../etc/passwd" is not an order id (ord-…)' },
    });
    expect(await answer(t.client, { orderId: "ord-1" })).toMatchObject({
      ok: false,
      body: {
        errorType: "TypeError",
        errorMessage: 'expected {"orderId": "ord-…", "approved": true|false}, got {"orderId":"ord-1"}',
      },
    });
  });

  it("shows both functions in the console, the workflow as durable", async () => {
    const res = await fetch(`${t.url}/console-api/functions`);
    const { functions } = (await res.json()) as ConsoleFunctionsResponse;
    const byName = Object.fromEntries(functions.map((f) => [f.name, f]));
    expect(byName["place-order"]).toMatchObject({ durable: true, aliases: [{ name: "live", version: "1" }] });
    expect(byName["approve-order"]).toMatchObject({ durable: false });
  });
});

describe("order-notification: an approval nobody gives (ApprovalTimeoutSeconds=2)", () => {
  let t: TestServer;
  let ordersDir: string;

  beforeAll(async () => {
    ordersDir = tempDir("dormouse-orders-");
    t = await startTestServer({
      template: TEMPLATE,
      parameterOverrides: { OrdersDirectory: ordersDir, ApprovalTimeoutSeconds: "2" },
    });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(ordersDir, { recursive: true, force: true });
  });

  it("cancels the order when the approval times out", async () => {
    const arn = await startAsync(t.client, "place-order", ORDER);
    const { execution, events } = await finished(t.client, arn);
    expect(execution.Status).toBe("SUCCEEDED");
    const result = resultOf(execution);
    expect(result).toMatchObject({ status: "CANCELLED", reason: "no approval within 2 seconds" });
    expect(result.notification.message).toBe(
      `Your order ${result.orderId} was cancelled: no approval within 2 seconds.`,
    );

    expect(onlyEvent(events, "CallbackStarted", "approval").CallbackStartedDetails!.Timeout).toBe(2);
    expect(
      onlyEvent(events, "CallbackTimedOut", "approval").CallbackTimedOutDetails!.Error!.Payload,
    ).toMatchObject({ ErrorType: "Callback.Timeout" });
    expectGoldenHistory(events, golden("timed-out"));

    // Too late: approve-order says the order was cancelled, and why.
    expect(await answer(t.client, { orderId: result.orderId, approved: true })).toMatchObject({
      ok: false,
      body: { errorMessage: `order ${result.orderId} is already CANCELLED (no approval within 2 seconds)` },
    });
  });
});

describe("order-notification through the dormouse CLI", () => {
  let dev: DevProcess;
  let dataDir: string;
  let ordersDir: string;

  beforeAll(async () => {
    dataDir = tempDir("dormouse-orders-cli-");
    ordersDir = path.join(dataDir, "orders");
    dev = await startDev([
      "--template",
      "examples/order-notification/template.yaml",
      "--port",
      "0",
      "--data",
      path.join(dataDir, "db"),
      "--parameter-overrides",
      `OrdersDirectory=${ordersDir}`,
    ]);
  });
  afterAll(async () => {
    try {
      if (dev) expect(await dev.stop()).toBe(0);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("places an order, approves it with the command the server printed, and reads the outcome", async () => {
    const env = { DORMOUSE_ENDPOINT: dev.url };
    const place = ["invoke", "place-order", "--payload", JSON.stringify(ORDER), "--name", "cli-order-1"];
    const started = await dormouse([...place, "--async"], env);
    expect(started.code, started.stderr).toBe(0);
    const arn = started.stdout.trim();

    // The person copies the approval command from the dev server's output.
    const [, payload] = await dev.waitForOutput(
      /dormouse invoke approve-order --payload '(\{"orderId":"ord-[0-9a-f]{8}","approved":true[^']*\})'/,
    );
    const orderId = (JSON.parse(payload!) as { orderId: string }).orderId;
    const approved = await dormouse(["invoke", "approve-order", "--payload", payload!], env);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toContain(`"decision":"approved"`);

    // Invoking again with the same name and payload waits for that execution's result.
    const outcome = await dormouse(place, env);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toContain(`execution: ${arn}`);
    expect(outcome.stdout).toContain(`"status":"PROCESSED","approvedBy":"you"`);
    await dev.waitForOutput(new RegExp(`To ada@example.com: Your order ${orderId} is confirmed`));

    const history = await dormouse(["executions", "history", arn, "--json"], env);
    expect(history.code, history.stderr).toBe(0);
    const events = (JSON.parse(history.stdout) as { Events: Event[] }).Events;
    expect(events.map((e) => e.EventType)).toEqual(
      expect.arrayContaining(["CallbackStarted", "CallbackSucceeded"]),
    );
    expect(events.at(-1)!.EventType).toBe("ExecutionSucceeded");

    // Approving twice is refused with the reason, exit code 1.
    const again = await dormouse(["invoke", "approve-order", "--payload", payload!], env);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain(`order ${orderId} is already PROCESSED`);
  });
});
