// The application's own store, shared by both functions: one JSON file per order in ORDERS_DIR.
// On AWS this would be a DynamoDB table; here a directory is enough. Writes go to a temporary file
// that is then renamed over the old one, so a reader never sees half a record.
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export type OrderStatus = "AWAITING_APPROVAL" | "PROCESSED" | "CANCELLED";

export interface OrderItem {
  sku: string;
  quantity: number;
  price: number;
}

export interface Order {
  orderId: string;
  createdAt: string;
  customer: string;
  items: OrderItem[];
}

export interface OrderRecord {
  order: Order;
  total: number;
  status: OrderStatus;
  /** The execution that placed the order and the callback it waits on for approval. */
  executionArn: string;
  callbackId: string;
  approvalDeadline: string;
  reason?: string;
  updatedAt: string;
}

export function ordersDirectory(): string {
  const configured = process.env.ORDERS_DIR?.trim();
  return configured ? configured : path.join(os.tmpdir(), "dormouse-order-notification");
}

/** Order ids are made by the workflow; anything else cannot name a file of ours. */
const ORDER_ID = /^ord-[a-z0-9-]{1,64}$/;

function fileOf(orderId: string): string {
  if (!ORDER_ID.test(orderId)) throw new Error(`"${orderId}" is not an order id (ord-…)`);
  return path.join(ordersDirectory(), `${orderId}.json`);
}

export async function readOrder(orderId: string): Promise<OrderRecord | undefined> {
  try {
    return JSON.parse(await readFile(fileOf(orderId), "utf8")) as OrderRecord;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export async function writeOrder(record: OrderRecord): Promise<void> {
  const file = fileOf(record.order.orderId);
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, JSON.stringify(record, null, 2));
  await rename(temporary, file);
}

/** Changes a stored order's status (the workflow does this when it processes or cancels). */
export async function updateOrder(
  orderId: string,
  change: Pick<OrderRecord, "status"> & Partial<Pick<OrderRecord, "reason">>,
): Promise<OrderRecord> {
  const record = await readOrder(orderId);
  if (!record) throw new Error(`order ${orderId} is not in ${ordersDirectory()}`);
  const updated = { ...record, ...change, updatedAt: new Date().toISOString() };
  await writeOrder(updated);
  return updated;
}
