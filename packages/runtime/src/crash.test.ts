// Crash containment: whatever a handler does to its process, the server gets an outcome, the
// worker is discarded, and the next invocation runs on a fresh one.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import type { WorkerEvent } from "./pool.js";
import { describe, expect, it } from "vitest";
import type { InvokeOutcome } from "./types.js";
import { FIXTURES, fixture, isAlive, openGate, request, withRuntime } from "./test-support.js";

type WorkerExited = Extract<WorkerEvent, { type: "worker-exited" }>;

function exitError(o: InvokeOutcome) {
  expect(o.kind).toBe("error");
  if (o.kind !== "error") throw new Error("unreachable");
  expect(o.error.ErrorType).toBe("Runtime.ExitError");
  return o.error;
}

describe("crash containment", () => {
  it("process.exit in a handler is Runtime.ExitError; output before it is kept", () =>
    withRuntime(async (rt, { logs, events }) => {
      const def = fixture("exit.mjs");
      const req = request({ code: 3 });
      const err = exitError(await rt.invoke(def, req));
      expect(err.ErrorMessage).toMatch(/exited with code 3/);
      expect(logs.items).toContainEqual(
        expect.objectContaining({ requestId: req.requestId, line: "about to exit" }),
      );
      expect(await events.next((e): e is WorkerExited => e.type === "worker-exited")).toMatchObject({
        reason: "crashed",
      });
      expect(await rt.invoke(def, request())).toEqual({ kind: "returned", payload: '"alive"' });
      expect(rt.stats()).toMatchObject({ coldStarts: 2, workers: 1 });
    }));

  it("an uncaught exception outside the handler promise is Runtime.ExitError with its message", () =>
    withRuntime(async (rt) => {
      const def = fixture("uncaught.mjs");
      const err = exitError(await rt.invoke(def, request({ mode: "throw" })));
      expect(err.ErrorMessage).toMatch(/exited with code 1 .*Runtime\.UncaughtException: Error: async boom/);
      expect(await rt.invoke(def, request())).toEqual({ kind: "returned", payload: '"alive"' });
    }));

  it("an unhandled rejection is Runtime.ExitError with its message", () =>
    withRuntime(async (rt) => {
      const err = exitError(await rt.invoke(fixture("uncaught.mjs"), request({ mode: "reject" })));
      expect(err.ErrorMessage).toMatch(/Runtime\.UnhandledPromiseRejection: Error: nobody catches this/);
    }));

  it("running out of memory (memoryMb) is Runtime.ExitError", () =>
    withRuntime(async (rt) => {
      const err = exitError(await rt.invoke(fixture("oom.mjs", "handler", { memoryMb: 64 }), request()));
      expect(err.ErrorMessage).toMatch(/exited with (signal|code) .*out of memory/);
    }));

  it("a handler past its deadline is killed and the invocation is Sandbox.Timedout", () =>
    withRuntime(async (rt, { events }) => {
      const def = fixture("loop.mjs");
      const outcome = await rt.invoke(def, request({ loop: true }, { timeoutMs: 1000 }));
      expect(outcome).toMatchObject({ kind: "error", error: { ErrorType: "Sandbox.Timedout" } });
      // Measured from when the runtime accepted the invocation, a hair after the deadline was set.
      const message = outcome.kind === "error" ? (outcome.error.ErrorMessage ?? "") : "";
      const seconds = Number(/^Task timed out after (\d+\.\d\d) seconds$/.exec(message)?.[1]);
      expect(seconds).toBeGreaterThan(0.9);
      expect(seconds).toBeLessThanOrEqual(1);
      const exited = await events.next((e): e is WorkerExited => e.type === "worker-exited");
      expect(exited.reason).toBe("timed out");
      expect(isAlive(exited.pid!)).toBe(false);
      expect(await rt.invoke(def, request())).toEqual({ kind: "returned", payload: '"alive"' });
    }));

  it("a worker killed with SIGKILL mid-invocation is Runtime.ExitError; the next invocation works", async () => {
    const gate = await openGate();
    try {
      await withRuntime(async (rt, { logs }) => {
        const def = fixture("gate.mjs");
        const first = request({ id: 1, gateUrl: gate.url });
        const pending = rt.invoke(def, first);
        await logs.next((l) => l.requestId === first.requestId && l.line === "started 1");
        const [pid] = rt.stats().functions[0]!.pids;
        process.kill(pid!, "SIGKILL");
        expect(exitError(await pending).ErrorMessage).toMatch(/exited with signal SIGKILL/);

        gate.release();
        const next = await rt.invoke(def, request({ id: 2, gateUrl: gate.url }));
        expect(next.kind).toBe("returned");
        expect(next.kind === "returned" && JSON.parse(next.payload).pid).not.toBe(pid);
      });
    } finally {
      await gate.close();
    }
  });

  it("a worker exits when the server process dies", async () => {
    // The fixture worker holds a TCP connection to us; it closes only when that process is gone.
    const connected: Socket[] = [];
    const server = createServer((s) => connected.push(s));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const host = spawn(process.execPath, ["--import", tsx, `${FIXTURES}host.mts`, String(port)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const [line] = (await once(createInterface({ input: host.stdout }), "line")) as [string];
      const outcome = JSON.parse(line) as InvokeOutcome;
      expect(outcome.kind).toBe("returned");
      const socket = connected[0] ?? (await once(server, "connection"))[0];
      const socketClosed = once(socket as Socket, "close");
      host.kill("SIGKILL");
      await socketClosed;
    } finally {
      if (host.exitCode === null && host.signalCode === null) {
        host.kill("SIGKILL");
        await once(host, "exit");
      }
      server.close();
    }
  });
});
