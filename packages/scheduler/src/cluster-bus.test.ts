import { afterEach, describe, expect, it } from "vitest";
import { ClusterBus, InProcessHub, decode, encode } from "./cluster-bus.js";
import type { ClusterNotice, ExecutionNotice } from "./cluster-bus.js";
import { silentLogger } from "./ports.js";

const notice = (arn: string, rev: number, fields: Partial<ExecutionNotice> = {}): ExecutionNotice => ({
  kind: "execution",
  node: "a",
  arn,
  rev,
  status: "RUNNING",
  ...fields,
});

const buses: ClusterBus[] = [];
afterEach(async () => {
  for (const bus of buses.splice(0)) await bus.close();
});

function bus(hub: InProcessHub, node: string, maxBytes?: number) {
  const received: ClusterNotice[] = [];
  let resets = 0;
  const b = new ClusterBus(hub.channel(maxBytes), node, silentLogger);
  b.subscribe({ notice: (n) => received.push(n), reset: () => resets++ });
  buses.push(b);
  return { bus: b, received, resets: () => resets };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe("ClusterBus", () => {
  it("delivers a tick's notices to the other nodes, newest revision per execution, never back to the sender", async () => {
    const hub = new InProcessHub();
    const a = bus(hub, "a");
    const b = bus(hub, "b");
    a.bus.publish(notice("x", 3, { dueAt: 50 }));
    a.bus.publish(notice("x", 5, { status: "SUCCEEDED" }));
    a.bus.publish(notice("x", 4, { dueAt: 20 }));
    a.bus.publish(notice("y", 1));
    a.bus.publish({ kind: "functions", node: "a" });
    await settle();
    expect(a.received).toEqual([]);
    expect(b.received).toEqual([
      notice("x", 5, { status: "SUCCEEDED", dueAt: 20 }),
      notice("y", 1),
      { kind: "functions", node: "a" },
    ]);
  });

  it("passes a channel's reset on to every subscriber", async () => {
    const hub = new InProcessHub();
    const a = bus(hub, "a");
    const b = bus(hub, "b");
    hub.reset();
    expect([a.resets(), b.resets()]).toEqual([1, 1]);
  });
});

describe("encode / decode", () => {
  it("splits notices into messages that fit the channel, and reads them back", () => {
    const many = Array.from({ length: 200 }, (_, i) =>
      notice(`arn:aws:lambda:us-east-1:000000000000:function:orders:$LATEST/durable-execution/n-${i}/id`, i, {
        ...(i % 3 === 0 && { dueAt: 1_700_000_000_000 + i }),
        ...(i % 7 === 0 && { status: "PURGED" as const }),
      }),
    );
    const messages = encode("a", many, true, 2000);
    expect(messages.length).toBeGreaterThan(5);
    for (const m of messages) expect(Buffer.byteLength(m)).toBeLessThanOrEqual(2000);
    const back = messages.flatMap((m) => decode(m)!);
    expect(back.filter((n) => n.kind === "execution")).toEqual(many);
    expect(back.filter((n) => n.kind === "functions")).toEqual([{ kind: "functions", node: "a" }]);
  });

  it("refuses what is not a notice message", () => {
    for (const text of ["", "nope", "[]", '{"e":[]}', '{"n":"a","e":[["arn","1","RUNNING",null]]}']) {
      expect(decode(text), text).toBeUndefined();
    }
    expect(decode('{"n":"a"}')).toEqual([]);
  });
});
