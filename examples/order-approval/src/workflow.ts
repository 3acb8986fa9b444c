// The order workflow, a durable function: validate the order, reserve the stock, wait (for as long
// as it takes, costing nothing) until a person approves or rejects the payment, then fulfil or
// cancel. Every step records its state and timing in the application's own store.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { orderProblem, totalCents } from "./catalog.js";
import type { OrderLine } from "./catalog.js";
import { ordersStore } from "./orders-store.js";
import type { OrderStatus, StepName } from "./orders-store.js";

export interface OrderEvent {
  orderId: string;
  items: OrderLine[];
}

export interface PaymentDecision {
  approved: boolean;
  reason?: string;
}

export interface OrderResult {
  orderId: string;
  status: "fulfilled" | "cancelled";
  totalCents: number;
  reservationId: string;
  shipmentId?: string;
  reason?: string;
}

/** How long a person has to decide before the order is cancelled. */
const APPROVAL_TIMEOUT = { days: 3 };

export const handler = withDurableExecution(async (event: OrderEvent, ctx): Promise<OrderResult> => {
  const { orderId } = event;

  const total = await ctx.step(
    "validate-order",
    async () =>
      timed(orderId, "validate-order", "validating", async () => {
        await work(300);
        const problem = orderProblem(event.items);
        if (problem !== undefined) {
          ordersStore().finish(orderId, "failed", Date.now(), problem);
          throw new Error(`order ${orderId} is not valid: ${problem}`);
        }
        return totalCents(event.items);
      }),
    // An invalid order stays invalid: retrying would not help.
    { retryStrategy: () => ({ shouldRetry: false }) },
  );

  const reservationId = await ctx.step("reserve-inventory", async () =>
    timed(orderId, "reserve-inventory", "reserving", async () => {
      await work(450);
      return `rsv-${orderId.slice(4)}`;
    }),
  );

  let decision: PaymentDecision;
  try {
    const answer = await ctx.waitForCallback(
      "payment-approval",
      async (callbackId) => ordersStore().awaitingPayment(orderId, callbackId, Date.now()),
      { timeout: APPROVAL_TIMEOUT },
    );
    decision = JSON.parse(answer) as PaymentDecision;
  } catch (error) {
    // The callback timed out (or was failed): nobody approved the payment.
    decision = { approved: false, reason: error instanceof Error ? error.message : String(error) };
  }
  await ctx.step("record-decision", async () =>
    ordersStore().paymentDecided(orderId, decision.approved ? "approved" : "rejected", Date.now()),
  );

  if (decision.approved) {
    const shipmentId = await ctx.step("fulfill-order", async () =>
      timed(orderId, "fulfill-order", "fulfilling", async () => {
        await work(400);
        return `shp-${orderId.slice(4)}`;
      }),
    );
    await ctx.step("complete", async () => ordersStore().finish(orderId, "fulfilled", Date.now()));
    return { orderId, status: "fulfilled", totalCents: total, reservationId, shipmentId };
  }

  await ctx.step("cancel-order", async () =>
    timed(orderId, "cancel-order", "cancelling", async () => {
      await work(250); // releases the reservation
    }),
  );
  const reason = decision.reason ?? "payment rejected";
  await ctx.step("complete", async () => ordersStore().finish(orderId, "cancelled", Date.now(), reason));
  return { orderId, status: "cancelled", totalCents: total, reservationId, reason };
});

/** Runs one step's work, recording when it started and ended (and whether it failed). */
async function timed<T>(
  orderId: string,
  step: StepName,
  status: OrderStatus,
  fn: () => Promise<T>,
): Promise<T> {
  const store = ordersStore();
  store.stepStarted(orderId, step, status, Date.now());
  try {
    const result = await fn();
    store.stepEnded(orderId, step, "succeeded", Date.now());
    return result;
  } catch (error) {
    store.stepEnded(
      orderId,
      step,
      "failed",
      Date.now(),
      error instanceof Error ? error.message : String(error),
    );
    throw error;
  }
}

/** Stands in for the real work of a step (calling a payment provider, a warehouse…). */
function work(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
