import { describe, expect, it } from "vitest";
import { InvocationSlots } from "./invocation-slots.js";

describe("InvocationSlots", () => {
  it("grants up to the capacity per function and hands freed slots over in order", async () => {
    const slots = new InvocationSlots((fn) => (fn === "a" ? 2 : 1));
    expect(await slots.acquire("a")).toBe(true);
    expect(await slots.acquire("a")).toBe(true);
    expect(await slots.acquire("b")).toBe(true);
    const order: string[] = [];
    const third = slots.acquire("a").then((ok) => order.push(`third:${ok}`));
    const fourth = slots.acquire("a").then((ok) => order.push(`fourth:${ok}`));
    await Promise.resolve();
    expect(order).toEqual([]);
    slots.release("a");
    await third;
    expect(order).toEqual(["third:true"]);
    expect(slots.inUse("a")).toBe(2);
    slots.release("a");
    await fourth;
    expect(order).toEqual(["third:true", "fourth:true"]);
    slots.release("a");
    slots.release("a");
    expect(slots.inUse("a")).toBe(0);
  });

  it("takes a free slot without queueing, and says how many are free per function in use", async () => {
    const slots = new InvocationSlots((fn) => (fn === "a" ? 2 : 1));
    expect(slots.free()).toEqual(new Map());
    expect(slots.tryAcquire("a")).toBe(true);
    expect(slots.free()).toEqual(new Map([["a", 1]]));
    expect(slots.tryAcquire("a")).toBe(true);
    expect(slots.tryAcquire("a")).toBe(false);
    expect(slots.tryAcquire("b")).toBe(true);
    const queued = slots.acquire("b");
    // A waiter counts against what is free.
    expect(slots.free()).toEqual(
      new Map([
        ["a", 0],
        ["b", 0],
      ]),
    );
    slots.release("b");
    expect(await queued).toBe(true);
    slots.release("a");
    expect(slots.free().get("a")).toBe(1);
    slots.close();
    expect(slots.tryAcquire("c")).toBe(false);
  });

  it("answers false to waiters and new requests once closed", async () => {
    const slots = new InvocationSlots(() => 1);
    expect(await slots.acquire("a")).toBe(true);
    const waiting = slots.acquire("a");
    slots.close();
    expect(await waiting).toBe(false);
    expect(await slots.acquire("b")).toBe(false);
  });
});
