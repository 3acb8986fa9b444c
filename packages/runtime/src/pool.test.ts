// Warm reuse, cold starts, queueing, idle reaping, log tagging and shutdown, with real workers.
import type { WorkerEvent } from "./pool.js";
import { describe, expect, it, vi } from "vitest";
import { Runtime } from "./runtime.js";
import type { InvokeOutcome, LogLine } from "./types.js";
import {
  Recorder,
  fixture,
  isAlive,
  openGate,
  processHandles,
  request,
  withRuntime,
} from "./test-support.js";

type WorkerExited = Extract<WorkerEvent, { type: "worker-exited" }>;

function pidOf(o: InvokeOutcome): number {
  if (o.kind !== "returned") throw new Error(JSON.stringify(o.error));
  return (JSON.parse(o.payload) as { pid: number }).pid;
}

describe("worker pool", () => {
  it("reuses a warm worker for the next invocation", () =>
    withRuntime(async (rt) => {
      const def = fixture("echo.mjs");
      const a = pidOf(await rt.invoke(def, request()));
      const b = pidOf(await rt.invoke(def, request()));
      expect(b).toBe(a);
      expect(rt.stats()).toMatchObject({ coldStarts: 1, invocations: 2, workers: 1, idle: 1, busy: 0 });
    }));

  it("cold-starts workers up to the limit, then queues; queued work runs warm", async () => {
    const gate = await openGate();
    try {
      await withRuntime(
        async (rt, { logs }) => {
          const def = fixture("gate.mjs");
          const pending = [1, 2, 3].map((id) => rt.invoke(def, request({ id, gateUrl: gate.url })));
          const started = (id: number) => logs.next((l) => l.line === `started ${id}`);
          await Promise.all([started(1), started(2)]);
          expect(rt.stats()).toMatchObject({ workers: 2, busy: 2, queued: 1, coldStarts: 2 });
          expect(logs.items.some((l) => l.line === "started 3")).toBe(false);

          gate.release();
          const pids = (await Promise.all(pending)).map(pidOf);
          expect(new Set(pids).size).toBe(2);
          expect(pids.slice(0, 2)).toContain(pids[2]);
          expect(rt.stats()).toMatchObject({ workers: 2, idle: 2, queued: 0, coldStarts: 2, invocations: 3 });
        },
        { maxWorkersPerFunction: 2 },
      );
    } finally {
      await gate.close();
    }
  });

  it("a queued invocation whose deadline passes times out without running", async () => {
    const gate = await openGate();
    try {
      await withRuntime(
        async (rt, { logs }) => {
          const def = fixture("gate.mjs");
          const first = rt.invoke(def, request({ id: 1, gateUrl: gate.url }));
          await logs.next((l) => l.line === "started 1");
          const queued = await rt.invoke(def, request({ id: 2, gateUrl: gate.url }, { timeoutMs: 200 }));
          expect(queued).toMatchObject({ kind: "error", error: { ErrorType: "Sandbox.Timedout" } });
          expect(rt.stats()).toMatchObject({ queued: 0, busy: 1 });
          gate.release();
          expect((await first).kind).toBe("returned");
          expect(logs.items.some((l) => l.line === "started 2")).toBe(false);
        },
        { maxWorkersPerFunction: 1 },
      );
    } finally {
      await gate.close();
    }
  });

  it("reaps idle workers after idleTimeoutMs", () =>
    withRuntime(
      async (rt, { events }) => {
        const pid = pidOf(await rt.invoke(fixture("echo.mjs"), request()));
        const exited = await events.next((e): e is WorkerExited => e.type === "worker-exited");
        expect(exited).toMatchObject({ pid, reason: "idle" });
        expect(isAlive(pid)).toBe(false);
        expect(rt.stats().workers).toBe(0);
      },
      { idleTimeoutMs: 50 },
    ));

  it("tags every output line with the invocation that printed it, even back to back", () =>
    withRuntime(
      async (rt, { logs }) => {
        const def = fixture("printer.mjs");
        const reqs = [1, 2, 3, 4, 5].map((n) => request({ n }));
        await Promise.all(reqs.map((r) => rt.invoke(def, r)));
        expect(rt.stats().coldStarts).toBe(1);
        for (const [i, r] of reqs.entries()) {
          const n = i + 1;
          const mine = logs.items.filter((l) => l.requestId === r.requestId);
          const lines = (stream: string) => mine.filter((l) => l.stream === stream).map((l) => l.line);
          expect(lines("stdout")).toEqual([`out ${n} a`, `out ${n} b`, `partial ${n}`]);
          expect(lines("stderr")).toEqual([`err ${n}`]);
          expect(mine).toHaveLength(4);
          expect(mine.every((l) => l.functionName === "fn" && l.version === "$LATEST")).toBe(true);
        }
      },
      { maxWorkersPerFunction: 1 },
    ));

  it("tags output that is still in the pipe when the result arrives with its own invocation", () =>
    withRuntime(
      async (rt, { logs }) => {
        // Each invocation prints ~200 KB just before returning, more than a pipe buffer holds.
        const reqs = [1, 2, 3, 4, 5, 6].map((n) => request({ n }));
        await Promise.all(reqs.map((r) => rt.invoke(fixture("printer.mjs", "bulk"), r)));
        for (const [i, r] of reqs.entries()) {
          const mine = logs.items.filter((l) => l.requestId === r.requestId).map((l) => l.line);
          expect(mine).toHaveLength(51);
          expect(mine.every((l) => l.startsWith(`bulk ${i + 1} `) || l === `last ${i + 1}`)).toBe(true);
        }
      },
      { maxWorkersPerFunction: 1 },
    ));

  it("tags output with the execution ARN, and init output with no invocation", () =>
    withRuntime(async (rt, { logs }) => {
      const executionArn = "arn:aws:lambda:us-east-1:000000000000:function:fn:$LATEST/durable-execution/x/y";
      const req = request({ n: 9 }, { executionArn });
      await rt.invoke(fixture("printer.mjs"), req);
      expect(await logs.next((l) => l.line === "out 9 a")).toMatchObject({
        requestId: req.requestId,
        executionArn,
      });

      await rt.invoke(fixture("init-logging.mjs"), request());
      const init = await logs.next((l) => l.line === "module loading");
      expect(init.requestId).toBeUndefined();
    }));

  it("gives a changed definition fresh workers and retires the old ones", () =>
    withRuntime(async (rt, { events }) => {
      const v1 = fixture("env.mjs", "handler", { environment: { FLAVOUR: "one" } });
      const v2 = fixture("env.mjs", "handler", { environment: { FLAVOUR: "two" } });
      const first = await rt.invoke(v1, request());
      expect(first.kind === "returned" && JSON.parse(first.payload).FLAVOUR).toBe("one");
      const second = await rt.invoke(v2, request());
      expect(second.kind === "returned" && JSON.parse(second.payload).FLAVOUR).toBe("two");
      expect(await events.next((e): e is WorkerExited => e.type === "worker-exited")).toMatchObject({
        reason: "retired",
      });
      expect(rt.stats().functions).toHaveLength(1);
    }));

  it("recycle() makes the next invocation load the code again", () =>
    withRuntime(async (rt, { events }) => {
      const def = fixture("echo.mjs");
      const a = pidOf(await rt.invoke(def, request()));
      rt.recycle("fn");
      const b = pidOf(await rt.invoke(def, request()));
      expect(b).not.toBe(a);
      await events.next((e): e is WorkerExited => e.type === "worker-exited" && e.pid === a);
      // The fresh worker is warm from then on.
      expect(pidOf(await rt.invoke(def, request()))).toBe(b);
      expect(rt.stats().functions).toMatchObject([{ retired: false, coldStarts: 1, invocations: 2 }]);
    }));

  it("close() ends running and queued invocations and leaves no process or handle", async () => {
    const gate = await openGate();
    const handlesBefore = processHandles();
    const logs = new Recorder<LogLine>();
    const rt = new Runtime({ apiEndpoint: "http://127.0.0.1:9", onLog: logs.push, maxWorkersPerFunction: 1 });
    let pid: number | undefined;
    try {
      const def = fixture("gate.mjs");
      const running = rt.invoke(def, request({ id: 1, gateUrl: gate.url }));
      const queued = rt.invoke(def, request({ id: 2, gateUrl: gate.url }));
      await logs.next((l) => l.line === "started 1");
      expect(rt.stats()).toMatchObject({ busy: 1, queued: 1 });
      pid = rt.stats().functions[0]!.pids[0];
      await rt.close();
      for (const o of await Promise.all([running, queued])) {
        expect(o).toMatchObject({ kind: "error", error: { ErrorType: "Runtime.ExitError" } });
      }
    } finally {
      await rt.close();
      await gate.close();
    }
    expect(isAlive(pid!)).toBe(false);
    expect(processHandles()).toBe(handlesBefore);
    await expect(rt.invoke(fixture("echo.mjs"), request())).rejects.toThrow(/closed/);
  });

  it("prints output as [function requestId] line when no onLog is given", async () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const rt = new Runtime({ apiEndpoint: "http://127.0.0.1:9" });
    try {
      const req = request({ n: 5 });
      await rt.invoke(fixture("printer.mjs"), req);
      expect(write).toHaveBeenCalledWith(`[fn ${req.requestId}] out 5 a\n`);
    } finally {
      await rt.close();
      write.mockRestore();
    }
  });
});
