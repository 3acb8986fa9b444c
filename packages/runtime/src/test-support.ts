// Helpers for this package's tests: fixture definitions, and ways to await what a worker does
// (log lines, worker events, a gate a handler blocks on) instead of sleeping.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { WorkerEvent } from "./pool.js";
import { Runtime, type RuntimeOptions } from "./runtime.js";
import type { FunctionDefinition, InvokeRequest, LogLine } from "./types.js";

export const FIXTURES = fileURLToPath(new URL("../test-fixtures/", import.meta.url));

export function fixture(
  file: string,
  handlerExport = "handler",
  overrides: Partial<FunctionDefinition> = {},
): FunctionDefinition {
  return {
    name: "fn",
    version: "$LATEST",
    handlerFile: `${FIXTURES}${file}`,
    handlerExport,
    handler: `${file}.${handlerExport}`,
    runtime: "nodejs20.x",
    codeDir: FIXTURES,
    timeoutSeconds: 30,
    memoryMb: 256,
    environment: {},
    ...overrides,
  };
}

let seq = 0;
export function request(
  event: unknown = {},
  overrides: Partial<InvokeRequest> & { timeoutMs?: number } = {},
) {
  const { timeoutMs = 30_000, ...rest } = overrides;
  const req: InvokeRequest = {
    requestId: `req-${++seq}`,
    payload: JSON.stringify(event),
    deadline: Date.now() + timeoutMs,
    ...rest,
  };
  return req;
}

/** Collects values as they happen; `next` resolves with the first (past or future) match. */
export class Recorder<T> {
  readonly items: T[] = [];
  private waiters: { match: (x: T) => boolean; resolve: (x: T) => void }[] = [];

  readonly push = (x: T): void => {
    this.items.push(x);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(x)) return true;
      w.resolve(x);
      return false;
    });
  };

  next<S extends T>(match: (x: T) => x is S): Promise<S>;
  next(match: (x: T) => boolean): Promise<T>;
  next(match: (x: T) => boolean): Promise<T> {
    const seen = this.items.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }
}

/** An HTTP endpoint that holds every request until `release()`; later requests pass at once. */
export async function openGate() {
  const held: ServerResponse[] = [];
  let open = false;
  const server = createServer((_req, res) => {
    if (open) res.end("open");
    else held.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    release(): void {
      open = true;
      for (const res of held.splice(0)) res.end("open");
    },
    async close(): Promise<void> {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function processHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "ProcessWrap").length;
}

/** Runs `fn` against a fresh runtime that records logs and worker events, and always closes it. */
export async function withRuntime<T>(
  fn: (rt: Runtime, rec: { logs: Recorder<LogLine>; events: Recorder<WorkerEvent> }) => Promise<T>,
  options: Partial<RuntimeOptions> = {},
): Promise<T> {
  const logs = new Recorder<LogLine>();
  const events = new Recorder<WorkerEvent>();
  const rt = new Runtime({
    apiEndpoint: "http://127.0.0.1:9",
    onLog: logs.push,
    onWorkerEvent: events.push,
    ...options,
  });
  try {
    return await fn(rt, { logs, events });
  } finally {
    await rt.close();
  }
}
