// The page and the REST API, a plain function behind HTTP API routes (payload format 2.0):
//
//   GET  /                     the single-page app
//   GET  /orders               recent orders
//   POST /orders               start a new order ({ items: [{ sku, quantity }] }, or a sample basket)
//   GET  /orders/{id}          the order, its steps and where its time went
//   POST /orders/{id}/approve  approve the payment (answers the workflow's callback)
//   POST /orders/{id}/reject   reject it ({ reason } optional)
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  InvokeCommand,
  LambdaClient,
  SendDurableExecutionCallbackSuccessCommand,
} from "@aws-sdk/client-lambda";
import { PRODUCTS, orderProblem, sampleOrder, totalCents } from "./catalog.js";
import type { OrderLine } from "./catalog.js";
import { executionFigures } from "./execution-figures.js";
import type { ExecutionFigures } from "./execution-figures.js";
import { BadRequest, json, jsonBody, problem } from "./http.js";
import type { HttpEvent, HttpResult } from "./http.js";
import { ordersStore } from "./orders-store.js";
import type { Order } from "./orders-store.js";
import type { OrderEvent, PaymentDecision } from "./workflow.js";

// Endpoint, region and credentials come from the environment, on AWS and on Dormouse alike.
const lambda = new LambdaClient({});
const page = readFileSync(new URL("./page.html", import.meta.url), "utf8");

export const handler = async (event: HttpEvent): Promise<HttpResult> => {
  try {
    return await route(event);
  } catch (error) {
    if (error instanceof BadRequest) return problem(400, error.message);
    throw error;
  }
};

async function route(event: HttpEvent): Promise<HttpResult> {
  const id = event.pathParameters?.id ?? "";
  switch (event.routeKey) {
    case "GET /":
      return {
        statusCode: 200,
        headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
        body: page,
      };
    case "GET /orders":
      return json(200, { orders: ordersStore().list(20).map(summary) });
    case "POST /orders":
      return createOrder(event);
    case "GET /orders/{id}":
      return showOrder(id);
    case "POST /orders/{id}/approve":
      return decide(id, { approved: true });
    case "POST /orders/{id}/reject": {
      const body = jsonBody(event) as { reason?: unknown } | undefined;
      const reason = typeof body?.reason === "string" && body.reason.trim() ? body.reason.trim() : undefined;
      return decide(id, { approved: false, reason: reason ?? "payment rejected by a person" });
    }
    default:
      return problem(404, `No route for ${event.routeKey}`);
  }
}

async function createOrder(event: HttpEvent): Promise<HttpResult> {
  const body = jsonBody(event) as { items?: unknown } | undefined;
  const items = (body?.items ?? sampleOrder()) as OrderLine[];
  const invalid = orderProblem(items);
  if (invalid !== undefined) return problem(400, invalid);

  const store = ordersStore();
  const id = `ord-${randomBytes(4).toString("hex")}`;
  store.create({ id, items, totalCents: totalCents(items), now: Date.now() });
  const input: OrderEvent = { orderId: id, items };
  // The order id names the execution, so a retried start cannot start a second workflow.
  const started = await lambda.send(
    new InvokeCommand({
      FunctionName: process.env.ORDER_WORKFLOW,
      InvocationType: "Event",
      DurableExecutionName: id,
      Payload: JSON.stringify(input),
    }),
  );
  if (started.DurableExecutionArn) store.setExecution(id, started.DurableExecutionArn);
  return json(201, await view(store.get(id)!), { location: `/orders/${id}` });
}

async function showOrder(id: string): Promise<HttpResult> {
  const order = ordersStore().get(id);
  if (!order) return problem(404, `Order ${id} not found`);
  return json(200, await view(order));
}

async function decide(id: string, decision: PaymentDecision): Promise<HttpResult> {
  const store = ordersStore();
  const order = store.get(id);
  if (!order) return problem(404, `Order ${id} not found`);
  const verdict = decision.approved ? "approved" : "rejected";
  if (!order.callbackId || !store.decide(id, verdict, Date.now())) {
    return problem(409, `Order ${id} is not waiting for payment approval (it is ${order.status})`);
  }
  try {
    await lambda.send(
      new SendDurableExecutionCallbackSuccessCommand({
        CallbackId: order.callbackId,
        Result: JSON.stringify(decision),
      }),
    );
  } catch (error) {
    store.undecide(id); // so that the person can try again
    throw error;
  }
  return json(202, await view(store.get(id)!));
}

/** What the page and the scripts see of an order. */
async function view(order: Order) {
  const now = Date.now();
  let execution: ExecutionFigures | undefined;
  if (order.executionArn) execution = await executionFigures(lambda, order.executionArn, now);
  return {
    ...summary(order),
    items: order.items.map((line) => {
      const product = PRODUCTS.find((p) => p.sku === line.sku)!;
      return { ...line, name: product.name, priceCents: product.priceCents };
    }),
    steps: order.steps.map((step) => ({
      ...step,
      ...(step.startedAt === undefined ? {} : { durationMs: (step.endedAt ?? now) - step.startedAt }),
    })),
    executionArn: order.executionArn,
    callbackId: order.callbackId,
    execution,
    now,
  };
}

function summary(order: Order) {
  return {
    id: order.id,
    status: order.status,
    totalCents: order.totalCents,
    itemCount: order.items.reduce((n, line) => n + line.quantity, 0),
    decision: order.decision,
    problem: order.problem,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}
