// approve-order: a plain (not durable) function a person or another system calls with
// `{"orderId": "...", "approved": true|false}`. It finds the callback the order's workflow waits on
// in the order store and answers it with the Lambda API: SendDurableExecutionCallbackSuccess to
// approve, SendDurableExecutionCallbackFailure to reject. The client needs no configuration: on AWS
// the Lambda environment provides region and credentials, and so does Dormouse (plus the endpoint).
import {
  LambdaClient,
  SendDurableExecutionCallbackFailureCommand,
  SendDurableExecutionCallbackSuccessCommand,
} from "@aws-sdk/client-lambda";
import { ordersDirectory, readOrder } from "./order-store.js";

interface ApproveOrderEvent {
  orderId?: unknown;
  approved?: unknown;
  by?: unknown;
  reason?: unknown;
}

const lambda = new LambdaClient({});

export const handler = async (event: ApproveOrderEvent) => {
  const { orderId, approved } = event;
  if (typeof orderId !== "string" || typeof approved !== "boolean") {
    throw new TypeError(
      `expected {"orderId": "ord-…", "approved": true|false}, got ${JSON.stringify(event)}`,
    );
  }
  const record = await readOrder(orderId);
  if (!record) throw new Error(`order ${orderId} is not waiting for approval (not in ${ordersDirectory()})`);
  if (record.status !== "AWAITING_APPROVAL") {
    const why = record.reason ? ` (${record.reason})` : "";
    throw new Error(`order ${orderId} is already ${record.status}${why}`);
  }

  const by = typeof event.by === "string" && event.by !== "" ? event.by : "someone";
  if (approved) {
    await lambda.send(
      new SendDurableExecutionCallbackSuccessCommand({
        CallbackId: record.callbackId,
        Result: new TextEncoder().encode(JSON.stringify({ approved: true, by })),
      }),
    );
  } else {
    const reason = typeof event.reason === "string" && event.reason !== "" ? event.reason : "no reason given";
    await lambda.send(
      new SendDurableExecutionCallbackFailureCommand({
        CallbackId: record.callbackId,
        Error: { ErrorType: "OrderRejected", ErrorMessage: `${reason} (by ${by})` },
      }),
    );
  }
  return { orderId, decision: approved ? "approved" : "rejected", by, executionArn: record.executionArn };
};
