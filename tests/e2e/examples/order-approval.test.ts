// examples/order-approval end to end, driven as a person would: through its REST API, its shell
// scripts and its web page in Chromium, to both outcomes (approve → fulfilled, reject → cancelled).
// Each outcome is checked in what the person sees (the API's answers, the page) and in the
// execution's recorded history.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { Event } from "@aws-sdk/client-lambda";
import type { ConsoleFunctionsResponse } from "@dormouse/protocol";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventsOf, onlyEvent } from "../../support/e2e.js";
import { gatewayRequest } from "../../support/gateway-client.js";
import { expectGoldenHistory } from "../../support/golden-history.js";
import { eventually, history, startTestServer, tempDir, waitForStatus } from "../../support/harness.js";
import type { TestServer } from "../../support/harness.js";
import { launchChromium } from "../../support/browser.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const EXAMPLE = path.join(ROOT, "examples/order-approval");
const SCREENSHOT = path.join(ROOT, "docs/screenshots/order-approval.png");
const golden = (scenario: string) => path.join(EXAMPLE, "histories", `${scenario}.json`);
const run = promisify(execFile);

interface OrderView {
  id: string;
  status: string;
  totalCents: number;
  decision?: string;
  problem?: string;
  executionArn: string;
  callbackId?: string;
  items: { sku: string; quantity: number; name: string; priceCents: number }[];
  steps: { name: string; state: string; startedAt?: number; endedAt?: number; durationMs?: number }[];
  execution?: {
    status: string;
    startedAt: number;
    endedAt?: number;
    wallMs: number;
    activeMs: number;
    hibernationMs: number;
    invocations: number;
  };
}

let t: TestServer;
let api: string;
let dataDir: string;

beforeAll(async () => {
  dataDir = tempDir("dormouse-order-approval-");
  t = await startTestServer({
    template: path.join(EXAMPLE, "template.yaml"),
    dataDir,
    parameterOverrides: { OrdersDatabase: path.join(dataDir, "orders.db") },
  });
  api = t.gatewayUrl!;
}, 60_000);
afterAll(async () => {
  await t?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function call(method: string, route: string, body?: unknown) {
  const res = await gatewayRequest(`${api}${route}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  return { status: res.status, body: res.json as OrderView & { message?: string }, headers: res.headers };
}

function waitForOrder(id: string, status: string): Promise<OrderView> {
  return eventually(`order ${id} ${status}`, async () => {
    const { body } = await call("GET", `/orders/${id}`);
    return body.status === status ? body : undefined;
  });
}

const stepState = (order: OrderView) => Object.fromEntries(order.steps.map((s) => [s.name, s.state]));

/** Active compute as the history records it: the invocations' own durations. */
function activeMsOf(events: Event[]): number {
  return eventsOf(events, "InvocationCompleted").reduce((sum, e) => {
    const d = e.InvocationCompletedDetails!;
    return sum + d.EndTimestamp!.getTime() - d.StartTimestamp!.getTime();
  }, 0);
}

describe("order-approval over HTTP", () => {
  it("approve: validated, reserved, waits for payment approval, then fulfilled", async () => {
    const created = await call("POST", "/orders", {
      items: [
        { sku: "MUG-01", quantity: 2 },
        { sku: "BAG-03", quantity: 1 },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/orders/${created.body.id}`);
    expect(created.body).toMatchObject({ totalCents: 2 * 1200 + 3900, itemCount: 3 });
    const { id } = created.body;

    await waitForOrder(id, "awaiting-payment");
    // The order waits as soon as the callback is created; the invocation that created it ends just after.
    const waiting = await eventually("the first invocation to end", async () => {
      const { body } = await call("GET", `/orders/${id}`);
      return body.execution?.invocations === 1 ? body : undefined;
    });
    expect(stepState(waiting)).toEqual({
      "validate-order": "succeeded",
      "reserve-inventory": "succeeded",
      "payment-approval": "waiting",
      "fulfill-order": "pending",
      "cancel-order": "pending",
    });
    for (const step of waiting.steps.slice(0, 2)) expect(step.durationMs).toBeGreaterThan(0);
    // Hibernating: the execution runs, no invocation does, and the figures add up.
    const figures = waiting.execution!;
    expect(figures.status).toBe("RUNNING");
    expect(figures.invocations).toBe(1);
    expect(figures.hibernationMs).toBe(figures.wallMs - figures.activeMs);
    const events = await history(t.client, waiting.executionArn);
    expect(figures.activeMs).toBe(activeMsOf(events));
    expect(onlyEvent(events, "CallbackStarted").CallbackStartedDetails?.CallbackId).toBe(waiting.callbackId);

    // Asked again later, wall time has grown and active compute has not.
    const later = await eventually("wall time to grow", async () => {
      const { body } = await call("GET", `/orders/${id}`);
      return body.execution!.wallMs > figures.wallMs ? body : undefined;
    });
    expect(later.execution!.activeMs).toBe(figures.activeMs);

    const approved = await call("POST", `/orders/${id}/approve`);
    expect(approved.status).toBe(202);
    expect(approved.body.decision).toBe("approved");
    const done = await waitForOrder(id, "fulfilled");
    expect(stepState(done)).toMatchObject({
      "payment-approval": "succeeded",
      "fulfill-order": "succeeded",
      "cancel-order": "skipped",
    });

    const execution = await waitForStatus(t.client, done.executionArn, ["SUCCEEDED", "FAILED"]);
    expect(execution.Status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.Result!)).toMatchObject({
      orderId: id,
      status: "fulfilled",
      totalCents: 6300,
    });
    const final = await history(t.client, done.executionArn);
    expect(eventsOf(final, "StepSucceeded").map((e) => e.Name)).toEqual([
      "validate-order",
      "reserve-inventory",
      undefined, // waitForCallback's submitter: an unnamed step inside the payment-approval context
      "record-decision",
      "fulfill-order",
      "complete",
    ]);
    expect(
      JSON.parse(onlyEvent(final, "CallbackSucceeded").CallbackSucceededDetails!.Result!.Payload!),
    ).toEqual({ approved: true });
    expectGoldenHistory(final, golden("approved"));
    const settled = (await call("GET", `/orders/${id}`)).body;
    expect(settled.execution).toMatchObject({ status: "SUCCEEDED", invocations: 2 });
    expect(settled.execution!.activeMs).toBe(activeMsOf(final));

    // The callback was answered once: a second click is refused.
    const again = await call("POST", `/orders/${id}/approve`);
    expect(again.status).toBe(409);
    expect(again.body.message).toBe(`Order ${id} is not waiting for payment approval (it is fulfilled)`);
  });

  it("reject: waits for payment approval, then cancelled with the reason, never fulfilled", async () => {
    const { body: created } = await call("POST", "/orders", {});
    expect(created.items.length).toBeGreaterThan(0); // a sample basket
    await waitForOrder(created.id, "awaiting-payment");

    const rejected = await call("POST", `/orders/${created.id}/reject`, { reason: "card declined" });
    expect(rejected.status).toBe(202);
    const done = await waitForOrder(created.id, "cancelled");
    expect(done.problem).toBe("card declined");
    expect(stepState(done)).toMatchObject({
      "payment-approval": "rejected",
      "fulfill-order": "skipped",
      "cancel-order": "succeeded",
    });

    const execution = await waitForStatus(t.client, done.executionArn, ["SUCCEEDED", "FAILED"]);
    expect(JSON.parse(execution.Result!)).toMatchObject({ status: "cancelled", reason: "card declined" });
    const events = await history(t.client, done.executionArn);
    expect(eventsOf(events, "StepSucceeded", "fulfill-order")).toHaveLength(0);
    expect(eventsOf(events, "StepSucceeded", "cancel-order")).toHaveLength(1);
    expect(
      JSON.parse(onlyEvent(events, "CallbackSucceeded").CallbackSucceededDetails!.Result!.Payload!),
    ).toEqual({ approved: false, reason: "card declined" });
    expectGoldenHistory(events, golden("rejected"));
  });

  it("answers what it cannot do with a status and a message", async () => {
    expect(await call("GET", "/orders/ord-missing")).toMatchObject({
      status: 404,
      body: { message: "Order ord-missing not found" },
    });
    expect((await call("POST", "/orders/ord-missing/approve")).status).toBe(404);
    expect(await call("POST", "/orders", { items: [{ sku: "NOPE", quantity: 1 }] })).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('unknown sku "NOPE"') },
    });
    const notJson = await gatewayRequest(`${api}/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(notJson.status).toBe(400);
    expect(notJson.json).toEqual({ message: "the request body must be JSON" });
    expect((await call("DELETE", "/orders/x")).body).toEqual({ message: "Not Found" });
    const page = await gatewayRequest(`${api}/`);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.text).toContain("Start new order");
  });

  it("keeps the orders in its own SQLite file, not in Dormouse's", async () => {
    expect(fs.existsSync(path.join(dataDir, "orders.db"))).toBe(true);
    const { orders } = (await call("GET", "/orders")).body as unknown as { orders: { id: string }[] };
    expect(orders.length).toBeGreaterThanOrEqual(2);
  });

  it("shows both functions in the console, the workflow as durable", async () => {
    const res = await fetch(`${t.url}/console-api/functions`);
    const { functions } = (await res.json()) as ConsoleFunctionsResponse;
    const byName = Object.fromEntries(functions.map((f) => [f.name, f]));
    expect(byName["order-workflow"]).toMatchObject({
      durable: true,
      aliases: [{ name: "live", version: "1" }],
    });
    expect(byName["order-approval-api"]).toMatchObject({ durable: false });
  });
});

describe("order-approval with its shell scripts", () => {
  const script = (name: string, ...args: string[]) =>
    run(path.join(EXAMPLE, name), args, { env: { ...process.env, ORDER_API: api } });

  it("start-order.sh, check-status.sh and approve-order.sh take an order to fulfilled", async () => {
    const started = await script("start-order.sh", '[{"sku":"CAP-04","quantity":3}]');
    const order = JSON.parse(started.stdout) as OrderView;
    expect(order.totalCents).toBe(4500);
    expect(started.stderr).toContain(`Order ${order.id} started`);
    await waitForOrder(order.id, "awaiting-payment");

    const status = JSON.parse((await script("check-status.sh", order.id)).stdout) as OrderView;
    expect(status).toMatchObject({ id: order.id, status: "awaiting-payment" });

    const approved = JSON.parse((await script("approve-order.sh", order.id)).stdout) as OrderView;
    expect(approved.decision).toBe("approved");
    await waitForOrder(order.id, "fulfilled");
  });

  it("approve-order.sh --reject cancels with the reason; check-status.sh fails on an unknown order", async () => {
    const order = JSON.parse((await script("start-order.sh")).stdout) as OrderView;
    await waitForOrder(order.id, "awaiting-payment");
    await script("approve-order.sh", "--reject", order.id, 'out of "stock"');
    expect((await waitForOrder(order.id, "cancelled")).problem).toBe('out of "stock"');
    await expect(script("check-status.sh", "ord-missing")).rejects.toMatchObject({
      stdout: expect.stringContaining("Order ord-missing not found"),
    });
  });
});

describe("order-approval in the browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function startOrder(page: Page): Promise<string> {
    await page.goto(`${api}/`);
    await page.getByTestId("start-order").click();
    const status = page.getByTestId("order-status");
    await status.filter({ hasText: "awaiting payment" }).waitFor({ timeout: 20_000 });
    return (await page.getByTestId("order-id").textContent())!;
  }

  it("Start new order, see it wait with its figures, Approve, see it fulfilled", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 860 }, deviceScaleFactor: 1 });
    try {
      const id = await startOrder(page);
      expect(id).toMatch(/^ord-[0-9a-f]{8}$/);
      await expect
        .poll(() => page.getByTestId("step-payment-approval").getAttribute("data-state"))
        .toBe("waiting");
      expect(await page.getByTestId("step-reserve-inventory").getAttribute("data-state")).toBe("succeeded");

      // Once the invocation that created the callback has ended, wall time keeps growing while
      // active compute stays where it was.
      await page.getByTestId("figure-invocations").filter({ hasText: "1 invocation so far" }).waitFor();
      const active = await page.getByTestId("figure-active").textContent();
      const wall = await page.getByTestId("figure-wall").textContent();
      expect(active).toMatch(/\d/);
      await expect
        .poll(() => page.getByTestId("figure-wall").textContent(), { timeout: 10_000 })
        .not.toBe(wall);
      expect(await page.getByTestId("figure-active").textContent()).toBe(active);
      expect(await page.getByTestId("figure-hibernation").textContent()).toMatch(/\d/);
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, animations: "disabled" });

      await page.getByTestId("approve").click();
      await page.getByTestId("order-status").filter({ hasText: "fulfilled" }).waitFor({ timeout: 20_000 });
      await expect.poll(() => page.getByTestId("outcome").textContent()).toContain("Fulfilled");
      expect(await page.getByTestId("step-fulfill-order").getAttribute("data-state")).toBe("succeeded");
      expect(await page.getByTestId("step-cancel-order").getAttribute("data-state")).toBe("skipped");
      expect((await call("GET", `/orders/${id}`)).body.status).toBe("fulfilled");
    } finally {
      await page.close();
    }
  });

  it("Reject: the order is cancelled and nothing ships", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 860 } });
    try {
      const id = await startOrder(page);
      await page.getByTestId("reject").click();
      await page.getByTestId("order-status").filter({ hasText: "cancelled" }).waitFor({ timeout: 20_000 });
      await expect.poll(() => page.getByTestId("outcome").textContent()).toContain("Cancelled.");
      expect(await page.getByTestId("step-payment-approval").getAttribute("data-state")).toBe("rejected");
      expect(await page.getByTestId("step-fulfill-order").getAttribute("data-state")).toBe("skipped");
      // The order is in the list, and the execution recorded the rejection.
      await expect
        .poll(() => page.locator(`nav [data-order-id="${id}"]`).textContent())
        .toContain("cancelled");
      const { body } = await call("GET", `/orders/${id}`);
      const events = await history(t.client, body.executionArn);
      expect(
        JSON.parse(onlyEvent(events, "CallbackSucceeded").CallbackSucceededDetails!.Result!.Payload!),
      ).toMatchObject({ approved: false });
    } finally {
      await page.close();
    }
  });
});
