import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { OrdersStore, ordersDatabasePath } from "./orders-store.js";

const dirs: string[] = [];
const stores: OrdersStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function open(): { store: OrdersStore; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "order-approval-store-"));
  dirs.push(dir);
  const file = path.join(dir, "nested", "orders.db");
  const store = new OrdersStore(file);
  stores.push(store);
  return { store, file };
}

const states = (store: OrdersStore, id: string) =>
  Object.fromEntries(store.get(id)!.steps.map((s) => [s.name, s.state]));

describe("OrdersStore", () => {
  it("follows an order through its steps, recording when each started and ended", () => {
    const { store } = open();
    store.create({ id: "ord-1", items: [{ sku: "MUG-01", quantity: 1 }], totalCents: 1200, now: 1000 });
    expect(store.get("ord-1")).toMatchObject({ status: "placed", createdAt: 1000 });
    expect(states(store, "ord-1")).toEqual({
      "validate-order": "pending",
      "reserve-inventory": "pending",
      "payment-approval": "pending",
      "fulfill-order": "pending",
      "cancel-order": "pending",
    });

    store.stepStarted("ord-1", "validate-order", "validating", 1100);
    expect(store.get("ord-1")!.status).toBe("validating");
    store.stepEnded("ord-1", "validate-order", "succeeded", 1400);
    store.awaitingPayment("ord-1", "cb-1", 1500);
    const waiting = store.get("ord-1")!;
    expect(waiting).toMatchObject({ status: "awaiting-payment", callbackId: "cb-1" });
    expect(waiting.steps[0]).toEqual({
      name: "validate-order",
      state: "succeeded",
      startedAt: 1100,
      endedAt: 1400,
    });
    expect(waiting.steps[2]).toEqual({ name: "payment-approval", state: "waiting", startedAt: 1500 });

    expect(store.decide("ord-1", "rejected", 2000)).toBe(true);
    expect(store.get("ord-1")).toMatchObject({ status: "cancelling", decision: "rejected" });
    expect(states(store, "ord-1")).toMatchObject({
      "payment-approval": "rejected",
      "fulfill-order": "skipped",
    });
    // The workflow's own record of the decision keeps the person's time.
    store.paymentDecided("ord-1", "rejected", 2500);
    expect(store.get("ord-1")!.steps[2]!.endedAt).toBe(2000);
    store.finish("ord-1", "cancelled", 3000, "card declined");
    expect(store.get("ord-1")).toMatchObject({
      status: "cancelled",
      problem: "card declined",
      updatedAt: 3000,
    });
    expect(states(store, "ord-1")).toMatchObject({
      "reserve-inventory": "skipped",
      "cancel-order": "skipped",
    });
  });

  it("takes a decision once, and only while the order waits for one", () => {
    const { store } = open();
    store.create({ id: "ord-2", items: [{ sku: "MUG-01", quantity: 1 }], totalCents: 1200, now: 1 });
    expect(store.decide("ord-2", "approved", 2)).toBe(false); // not waiting yet
    store.awaitingPayment("ord-2", "cb-2", 3);
    expect(store.decide("ord-2", "approved", 4)).toBe(true);
    expect(store.decide("ord-2", "rejected", 5)).toBe(false);
    store.undecide("ord-2"); // the callback could not be sent
    expect(store.get("ord-2")).toMatchObject({ status: "awaiting-payment" });
    expect(store.get("ord-2")).not.toHaveProperty("decision");
    expect(store.decide("ord-2", "rejected", 6)).toBe(true);
  });

  it("is shared through the file, newest orders first", () => {
    const { store, file } = open();
    const other = new OrdersStore(file);
    stores.push(other);
    store.create({ id: "ord-a", items: [], totalCents: 0, now: 1 });
    other.create({ id: "ord-b", items: [], totalCents: 0, now: 2 });
    expect(store.list(10).map((o) => o.id)).toEqual(["ord-b", "ord-a"]);
    expect(store.list(1)).toHaveLength(1);
    expect(store.get("ord-missing")).toBeUndefined();
  });

  it("takes its file from ORDERS_DB, else the system temp directory", () => {
    expect(ordersDatabasePath({ ORDERS_DB: "/data/orders.db" })).toBe("/data/orders.db");
    expect(ordersDatabasePath({ ORDERS_DB: "  " })).toBe(
      path.join(os.tmpdir(), "dormouse-order-approval", "orders.db"),
    );
    expect(ordersDatabasePath({})).toBe(path.join(os.tmpdir(), "dormouse-order-approval", "orders.db"));
  });
});
