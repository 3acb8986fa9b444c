// GET /console-api/stream: Server-Sent Events. One subscription to the service's change feed per
// client; `event: execution` with a ConsoleExecutionSummary per change, `event: ping` to keep
// proxies and idle timeouts from closing the connection. A client that cannot keep up is dropped
// (EventSource reconnects, and the console refetches what it shows).
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { ExecutionRecord } from "@dormouse/engine";
import type { ConsoleService } from "@dormouse/scheduler";
import type { FastifyReply, FastifyRequest } from "fastify";
import { summaryToConsole } from "../console-wire.js";

const DEFAULT_PING_MS = 15_000;
/** Unsent bytes after which a client counts as stuck. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** What EventSource waits before reconnecting, ms. */
const RETRY_MS = 2000;

export class ConsoleStreams {
  private readonly streams = new Set<ServerResponse>();

  constructor(
    private readonly service: ConsoleService,
    private readonly pingMs = DEFAULT_PING_MS,
  ) {}

  open(request: FastifyRequest, reply: FastifyReply): void {
    reply.hijack();
    const res = reply.raw;
    const send = (chunk: string): void => {
      if (res.writableEnded || res.destroyed) return;
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        request.log.warn({ reqId: request.id }, "console stream client too slow; dropped");
        res.destroy();
        return;
      }
      res.write(chunk);
    };
    const unsubscribe = this.service.onExecutionChange((execution: ExecutionRecord) => {
      send(`event: execution\ndata: ${JSON.stringify(summaryToConsole(execution))}\n\n`);
    });
    const ping = setInterval(() => send(`event: ping\ndata: {}\n\n`), this.pingMs);
    ping.unref();
    this.streams.add(res);
    // 'close' on the response fires both when the client goes away and when we end the stream.
    res.on("close", () => {
      this.streams.delete(res);
      clearInterval(ping);
      unsubscribe();
    });

    // Hijacked: headers set on the reply (the request id) must be copied over by hand.
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) headers[name] = value;
    }
    res.writeHead(200, {
      ...headers,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      // Tells nginx-style proxies not to buffer the stream.
      "x-accel-buffering": "no",
    });
    // A first chunk, so that clients see the stream open (and subscribed) right away.
    send(`retry: ${RETRY_MS}\n: connected\n\n`);
  }

  /** Ends every open stream (server shutdown); the clients see a normal end of stream. */
  closeAll(): void {
    for (const res of this.streams) res.end();
    this.streams.clear();
  }
}
