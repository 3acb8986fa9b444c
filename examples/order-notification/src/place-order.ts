// place-order: creates an order, validates it, and waits (up to APPROVAL_TIMEOUT_SECONDS, five
// minutes by default) for someone to approve it through the approve-order function. Approved
// orders are processed, rejected or unanswered ones cancelled; the customer is notified either way.
// While it waits for the answer the function is not running at all.
import { randomUUID } from "node:crypto";
import {
  CallbackError,
  CallbackTimeoutError,
  defaultSerdes,
  retryPresets,
  withDurableExecution,
} from "@aws/durable-execution-sdk-js";
import { updateOrder, writeOrder } from "./order-store.js";
import type { Order, OrderItem } from "./order-store.js";

interface PlaceOrderEvent {
  customer?: unknown;
  items?: unknown;
}

/** What approve-order sends when someone approves (a rejection is sent as a callback failure). */
interface Approval {
  approved?: boolean;
  by?: string;
  comment?: string;
}

class InvalidOrderError extends Error {
  override readonly name = "InvalidOrderError";
}

export const handler = withDurableExecution(async (event: PlaceOrderEvent, ctx) => {
  const timeoutSeconds = approvalTimeoutSeconds();

  // The id and the timestamp are made inside the step: replays see the recorded ones.
  const order = await ctx.step("create-order", async (): Promise<Order> => ({
    orderId: `ord-${randomUUID().slice(0, 8)}`,
    createdAt: new Date().toISOString(),
    customer: String(event.customer ?? ""),
    items: Array.isArray(event.items) ? (event.items as OrderItem[]) : [],
  }));

  // An invalid order will not become valid by trying again: no retries, the execution fails.
  const total = await ctx.step("validate-order", async () => validate(order), {
    retryStrategy: retryPresets.noRetry,
  });

  const [approval, callbackId] = await ctx.createCallback<Approval | undefined>("approval", {
    timeout: { seconds: timeoutSeconds },
    serdes: defaultSerdes, // approve-order sends JSON
  });

  // Stored in a step, so a replay does not write it again; approve-order finds the callback id here.
  await ctx.step("request-approval", async () => {
    const deadline = new Date(Date.now() + timeoutSeconds * 1000).toISOString();
    await writeOrder({
      order,
      total,
      status: "AWAITING_APPROVAL",
      executionArn: ctx.executionContext.durableExecutionArn,
      callbackId,
      approvalDeadline: deadline,
      updatedAt: new Date().toISOString(),
    });
    console.log(`Order ${order.orderId} (${total.toFixed(2)}) awaits approval until ${deadline}:`);
    console.log(
      `  dormouse invoke approve-order --payload '{"orderId":"${order.orderId}","approved":true,"by":"you"}'`,
    );
    console.log(
      `  dormouse invoke approve-order --payload '{"orderId":"${order.orderId}","approved":false,"reason":"out of stock"}'`,
    );
  });

  const outcome = await answerOf(approval, timeoutSeconds);

  const result = outcome.approved
    ? await ctx.step("process-order", async () => {
        await updateOrder(order.orderId, { status: "PROCESSED" });
        return {
          status: "PROCESSED" as const,
          approvedBy: outcome.by,
          confirmation: `CONF-${randomUUID().slice(0, 6).toUpperCase()}`,
          processedAt: new Date().toISOString(),
        };
      })
    : await ctx.step("cancel-order", async () => {
        await updateOrder(order.orderId, { status: "CANCELLED", reason: outcome.reason });
        return {
          status: "CANCELLED" as const,
          reason: outcome.reason,
          cancelledAt: new Date().toISOString(),
        };
      });

  const notification = await ctx.step("notify-customer", async () => {
    const message =
      result.status === "PROCESSED"
        ? `Your order ${order.orderId} is confirmed (${result.confirmation}).`
        : `Your order ${order.orderId} was cancelled: ${result.reason}.`;
    console.log(`To ${order.customer}: ${message}`);
    return { to: order.customer, message, sentAt: new Date().toISOString() };
  });

  return { orderId: order.orderId, total, ...result, notification };
});

type Outcome = { approved: true; by: string } | { approved: false; reason: string };

/** The approval's answer; a rejection (a callback failure) or no answer in time cancels. */
async function answerOf(
  approval: PromiseLike<Approval | undefined>,
  timeoutSeconds: number,
): Promise<Outcome> {
  try {
    const answer = await approval;
    return answer?.approved === true
      ? { approved: true, by: answer.by ?? "someone" }
      : { approved: false, reason: answer?.comment ?? "not approved" };
  } catch (error) {
    if (error instanceof CallbackTimeoutError) {
      return { approved: false, reason: `no approval within ${timeoutSeconds} seconds` };
    }
    if (error instanceof CallbackError) return { approved: false, reason: `rejected: ${error.message}` };
    throw error;
  }
}

function validate(order: Order): number {
  const problems: string[] = [];
  if (!/^[^@\s]+@[^@\s]+$/.test(order.customer)) problems.push("customer must be an email address");
  if (order.items.length === 0) problems.push("items must list at least one item");
  order.items.forEach((item, i) => {
    if (typeof item?.sku !== "string" || item.sku === "") problems.push(`items[${i}].sku is missing`);
    if (!Number.isInteger(item?.quantity) || item.quantity < 1) {
      problems.push(`items[${i}].quantity must be a whole number of at least 1`);
    }
    if (typeof item?.price !== "number" || !(item.price >= 0)) {
      problems.push(`items[${i}].price must be a number of at least 0`);
    }
  });
  if (problems.length > 0) {
    throw new InvalidOrderError(`order ${order.orderId} is invalid: ${problems.join("; ")}`);
  }
  return Math.round(order.items.reduce((sum, item) => sum + item.quantity * item.price, 0) * 100) / 100;
}

function approvalTimeoutSeconds(): number {
  const seconds = Number(process.env.APPROVAL_TIMEOUT_SECONDS ?? 300);
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new Error(`APPROVAL_TIMEOUT_SECONDS must be a whole number of seconds, got "${seconds}"`);
  }
  return seconds;
}
