// The HTTP gateway (issue #5): one listener, separate from the Lambda API, that serves the template's
// HttpApi/Api routes and function URLs the way API Gateway and Lambda function URLs do. A plain
// function is invoked like a RequestResponse `Invoke`; a durable one starts an execution and waits
// for its result like a synchronous `Invoke` of a durable function, within the integration timeout.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  DEFAULT_ARN_CONTEXT,
  DEFAULT_LIMITS,
  type ArnContext,
  type ErrorObject,
  type Limits,
} from "@dormouse/protocol";
import type { DurableService } from "@dormouse/scheduler";
import { buildEventV1, buildEventV2 } from "./events.js";
import type { EventContext } from "./events.js";
import type { GatewayRequest } from "./request.js";
import { headerPairs, headerValue, splitUrl } from "./request.js";
import { gatewayMessage, mapResponse } from "./responses.js";
import type { HttpResponse } from "./responses.js";
import { RouteTable } from "./route-table.js";
import type { HttpTrigger } from "./triggers.js";
import { routeKey } from "./triggers.js";

/** What the gateway needs from the orchestrator. */
export type GatewayService = Pick<
  DurableService,
  "resolveFunction" | "invokePlain" | "startExecution" | "waitForTerminal"
>;

export interface GatewayLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface GatewayOptions {
  service: GatewayService;
  triggers: readonly HttpTrigger[];
  logger?: GatewayLogger;
  limits?: Limits;
  arnContext?: ArnContext;
  /** HTTP APIs give up on an integration after 30 s (503), REST APIs after 29 s (504). */
  httpApiTimeoutMs?: number;
  restApiTimeoutMs?: number;
}

/** API Gateway refuses request bodies above 10 MB before anything runs. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
const HTTP_API_TIMEOUT_MS = 30_000;
const REST_API_TIMEOUT_MS = 29_000;

type Outcome =
  { kind: "returned"; payload: string } | { kind: "error"; error: ErrorObject } | { kind: "timeout" };

class TooLarge extends Error {}

export class Gateway {
  private table: RouteTable;
  private readonly server: http.Server;
  private readonly logger: GatewayLogger | undefined;
  private readonly limits: Limits;
  private readonly arnContext: ArnContext;

  constructor(private readonly opts: GatewayOptions) {
    this.table = new RouteTable(opts.triggers);
    this.logger = opts.logger;
    this.limits = opts.limits ?? DEFAULT_LIMITS;
    this.arnContext = opts.arnContext ?? DEFAULT_ARN_CONTEXT;
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  get triggers(): readonly HttpTrigger[] {
    return this.table.triggers;
  }

  /** Swaps the routes (a reload); requests in flight finish on the routes they matched. */
  setTriggers(triggers: readonly HttpTrigger[]): void {
    this.table = new RouteTable(triggers);
  }

  get listening(): boolean {
    return this.server.listening;
  }

  /** Resolves with the bound port. */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once("error", onError);
      this.server.listen(port, host, () => {
        this.server.off("error", onError);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const requestId = randomUUID();
    const { rawPath, rawQueryString } = splitUrl(req.url ?? "/");
    const method = (req.method ?? "GET").toUpperCase();
    let response: HttpResponse;
    let target: string | undefined;
    try {
      const body = await readBody(req);
      const request: GatewayRequest = {
        method,
        rawPath,
        rawQueryString,
        headers: headerPairs(req.rawHeaders),
        body,
        sourceIp: (req.socket.remoteAddress ?? "127.0.0.1").replace(/^::ffff:/, ""),
        protocol: `HTTP/${req.httpVersion}`,
        requestId,
        receivedAt,
      };
      const routed = this.route(request);
      if (!routed) response = gatewayMessage(404, "Not Found");
      else {
        target = routed.trigger.functionName;
        response = await this.serve(request, routed);
      }
    } catch (err) {
      if (err instanceof TooLarge) response = gatewayMessage(413, "Request Entity Too Large");
      else {
        this.logger?.error({ err, requestId }, "gateway request failed");
        response = gatewayMessage(500, "Internal Server Error");
      }
    }
    this.send(res, response, requestId);
    this.logger?.info(
      {
        requestId,
        method,
        path: rawPath,
        status: response.statusCode,
        ms: Date.now() - receivedAt,
        ...(target ? { function: target } : {}),
      },
      `${method} ${rawPath} ${response.statusCode}`,
    );
  }

  private route(request: GatewayRequest): { trigger: HttpTrigger; ctx: EventContext } | undefined {
    const url = this.table.matchUrl(headerValue(request, "host"), request.rawPath);
    const common = { accountId: this.arnContext.account, pathParameters: {} };
    if (url) {
      return {
        trigger: url.trigger,
        ctx: {
          ...common,
          stage: "$default",
          apiId: urlId(url.trigger.functionName),
          routeKey: "$default",
          rawPath: url.rawPath,
        },
      };
    }
    const match = this.table.match(request.method, request.rawPath);
    if (!match) return undefined;
    const { trigger } = match;
    return {
      trigger,
      ctx: {
        ...common,
        stage: trigger.kind === "Api" ? "Prod" : "$default",
        apiId: trigger.kind === "Api" ? "dormouserest" : "dormousehttp",
        routeKey: routeKey(trigger),
        resource: trigger.path === "$default" ? request.rawPath : trigger.path,
        rawPath: request.rawPath,
        pathParameters: match.pathParameters,
      },
    };
  }

  private async serve(
    request: GatewayRequest,
    routed: { trigger: HttpTrigger; ctx: EventContext },
  ): Promise<HttpResponse> {
    const { trigger, ctx } = routed;
    const format = trigger.kind === "FunctionUrl" ? "2.0" : trigger.payloadFormat;
    const event =
      format === "2.0"
        ? buildEventV2(request, ctx)
        : buildEventV1(request, ctx, { httpApi: trigger.kind === "HttpApi" });
    const payload = JSON.stringify(event);
    if (Buffer.byteLength(payload) > this.limits.invokePayloadSyncBytes) {
      this.logger?.error(
        {
          requestId: request.requestId,
          bytes: Buffer.byteLength(payload),
          limit: this.limits.invokePayloadSyncBytes,
        },
        "request event exceeds Lambda's synchronous invocation payload limit",
      );
      return gatewayMessage(413, "Request Entity Too Large");
    }
    const timeoutMs =
      trigger.kind === "HttpApi"
        ? (this.opts.httpApiTimeoutMs ?? HTTP_API_TIMEOUT_MS)
        : trigger.kind === "Api"
          ? (this.opts.restApiTimeoutMs ?? REST_API_TIMEOUT_MS)
          : undefined;
    const outcome = await this.invoke(trigger, payload, timeoutMs);
    const log = { requestId: request.requestId, function: trigger.functionName, route: ctx.routeKey };
    // As AWS answers: HTTP APIs 500, REST APIs and function URLs 502 (bad gateway).
    const internalError =
      trigger.kind === "Api"
        ? gatewayMessage(502, "Internal server error")
        : trigger.kind === "HttpApi"
          ? gatewayMessage(500, "Internal Server Error")
          : gatewayMessage(502, "Internal Server Error");
    switch (outcome.kind) {
      case "timeout":
        this.logger?.error({ ...log, timeoutMs }, "integration timed out; the function keeps running");
        return trigger.kind === "Api"
          ? gatewayMessage(504, "Endpoint request timed out")
          : gatewayMessage(503, "Service Unavailable");
      case "error":
        this.logger?.error({ ...log, error: outcome.error }, "function error");
        return internalError;
      case "returned": {
        const mapped = mapResponse(outcome.payload, format);
        if (mapped.ok) return mapped.response;
        this.logger?.error({ ...log, reason: mapped.reason }, "malformed function response");
        return internalError;
      }
      default:
        return outcome satisfies never;
    }
  }

  private async invoke(
    trigger: HttpTrigger,
    payload: string,
    timeoutMs: number | undefined,
  ): Promise<Outcome> {
    let fn;
    try {
      fn = this.opts.service.resolveFunction(trigger.functionName, trigger.qualifier);
    } catch (err) {
      return { kind: "error", error: { ErrorType: "ResourceNotFoundException", ErrorMessage: String(err) } };
    }
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    const work = async (): Promise<Outcome> => {
      if (!fn.durable) {
        const r = await this.opts.service.invokePlain(fn, payload);
        return r.ok ? { kind: "returned", payload: r.payload } : { kind: "error", error: r.error };
      }
      const { execution } = await this.opts.service.startExecution({ fn, payload });
      const waitMs = deadline === undefined ? this.limits.syncInvokeMaxSeconds * 1000 : deadline - Date.now();
      const final =
        execution.status === "RUNNING"
          ? await this.opts.service.waitForTerminal(execution.arn, Math.max(0, waitMs))
          : execution;
      if (final.status === "SUCCEEDED") return { kind: "returned", payload: final.result ?? "" };
      if (final.status === "RUNNING") return { kind: "timeout" };
      return {
        kind: "error",
        error: final.error ?? {
          ErrorType: `Execution.${final.status}`,
          ErrorMessage: `The durable execution ended ${final.status}`,
        },
      };
    };
    if (deadline === undefined) return work();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => resolve({ kind: "timeout" }), timeoutMs);
    });
    try {
      return await Promise.race([work(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private send(res: http.ServerResponse, response: HttpResponse, requestId: string): void {
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of response.headers) {
      const prior = headers[name];
      if (prior === undefined) headers[name] = name === "set-cookie" ? [value] : value;
      else if (Array.isArray(prior)) prior.push(value);
      else headers[name] = `${prior}, ${value}`;
    }
    // HTTP APIs answer with the first, REST APIs and function URLs with the second.
    headers["apigw-requestid"] = requestId;
    headers["x-amzn-requestid"] = requestId;
    headers["content-length"] = String(response.body.length);
    res.writeHead(response.statusCode, headers);
    res.end(response.body);
  }
}

/** Function URL ids are 32 lower-case characters; a stable one per function name is enough here. */
function urlId(functionName: string): string {
  return functionName
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .padEnd(32, "0")
    .slice(0, 32);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_REQUEST_BYTES) {
    req.resume();
    return Promise.reject(new TooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        req.removeAllListeners("data");
        req.resume();
        reject(new TooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
