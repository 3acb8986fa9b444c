import type { ExecutionRecord } from "@dormouse/engine";
import { describe, expect, it } from "vitest";
import { ExecutionChangeFeed } from "./change-feed.js";

const record = (arn: string, rev: number) => ({ arn, rev }) as ExecutionRecord;
const nextTick = () => new Promise((resolve) => setImmediate(resolve));

describe("ExecutionChangeFeed", () => {
  it("delivers the newest record of each changed execution once per tick", async () => {
    const feed = new ExecutionChangeFeed({ info() {}, warn() {}, error() {} });
    const seen: [string, number][] = [];
    feed.onExecutionChange((e) => seen.push([e.arn, e.rev]));
    feed.publish(record("a", 1));
    feed.publish(record("b", 1));
    feed.publish(record("a", 2));
    expect(seen).toEqual([]);
    await nextTick();
    expect(seen).toEqual([
      ["a", 2],
      ["b", 1],
    ]);
    feed.publish(record("a", 3));
    await nextTick();
    expect(seen.at(-1)).toEqual(["a", 3]);
  });

  it("stops calling a listener once unsubscribed, and isolates a failing listener", async () => {
    const errors: unknown[] = [];
    const feed = new ExecutionChangeFeed({ info() {}, warn() {}, error: (obj) => errors.push(obj) });
    const first: string[] = [];
    const second: string[] = [];
    feed.onExecutionChange(() => {
      throw new Error("listener bug");
    });
    const unsubscribe = feed.onExecutionChange((e) => first.push(e.arn));
    feed.onExecutionChange((e) => second.push(e.arn));
    feed.publish(record("a", 1));
    await nextTick();
    expect([first, second, errors.length]).toEqual([["a"], ["a"], 1]);

    unsubscribe();
    unsubscribe();
    feed.publish(record("b", 1));
    await nextTick();
    expect([first, second]).toEqual([["a"], ["a", "b"]]);
  });

  it("keeps nothing without listeners, and drops what is pending on close", async () => {
    const feed = new ExecutionChangeFeed({ info() {}, warn() {}, error() {} });
    feed.publish(record("early", 1));
    const seen: string[] = [];
    feed.onExecutionChange((e) => seen.push(e.arn));
    feed.publish(record("dropped", 1));
    feed.close();
    await nextTick();
    expect(seen).toEqual([]);
    feed.publish(record("later", 1));
    await nextTick();
    expect(seen).toEqual(["later"]);
  });
});
