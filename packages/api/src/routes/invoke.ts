// Invoke (spec §7.1): starts a durable execution, or runs a plain function with Lambda semantics.
import type { ResolvedFunction } from "@dormouse/engine";
import { DurableError, invalidParameter, type ExecutionStatus } from "@dormouse/protocol";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ApiError } from "../errors.js";
import { functionName, invokeHeaders, qualifierQuery } from "../schemas.js";
import { pathParam, queryOf, rawBody, validate } from "../validation.js";
import { functionErrorBody } from "../wire.js";
import type { RouteContext } from "./context.js";

/** Lambda's own cap on a synchronous invocation. */
const SYNC_INVOKE_CAP_SECONDS = 900;

const ERROR_DEFAULTS: Record<Exclude<ExecutionStatus, "RUNNING" | "SUCCEEDED">, [string, string]> = {
  FAILED: ["Execution.Failed", "The durable execution failed"],
  TIMED_OUT: ["Execution.TimedOut", "The durable execution timed out"],
  STOPPED: ["Execution.Stopped", "The durable execution was stopped"],
};

function headerValue(request: FastifyRequest, name: string): unknown {
  return request.headers[name.toLowerCase()];
}

function readHeaders(request: FastifyRequest) {
  const picked: Record<string, unknown> = {};
  for (const name of Object.keys(invokeHeaders.shape)) picked[name] = headerValue(request, name);
  return validate(invokeHeaders, picked);
}

/** Trace headers come from proxies and SDK middleware, not from the caller: keep only sane ones. */
function traceIdOf(request: FastifyRequest): string | undefined {
  const v = request.headers["x-amzn-trace-id"];
  return typeof v === "string" && /^[\x20-\x7E]{1,1024}$/.test(v) ? v : undefined;
}

/** Lambda only accepts JSON events; an InputPayload that is not JSON would break every replay (§2.2). */
function assertJson(payload: string): void {
  if (payload.trim() === "") return;
  try {
    JSON.parse(payload);
  } catch {
    throw new ApiError("InvalidRequestContentException", "Could not parse request body into json");
  }
}

function sendFunctionError(reply: FastifyReply, body: object): FastifyReply {
  return reply
    .code(200)
    .header("X-Amz-Function-Error", "Unhandled")
    .type("application/json")
    .send(JSON.stringify(body));
}

export function registerInvokeRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { service, limits } = ctx;
  const syncWaitMs = Math.min(SYNC_INVOKE_CAP_SECONDS, limits.syncInvokeMaxSeconds) * 1000;

  async function invokePlain(
    request: FastifyRequest,
    reply: FastifyReply,
    fn: ResolvedFunction,
    payload: string,
    type: "RequestResponse" | "Event",
    tenantId: string | undefined,
  ) {
    reply.header("X-Amz-Executed-Version", fn.version);
    if (type === "Event") {
      // Lambda acknowledges an asynchronous invocation before it runs; failures only reach the log.
      service.invokePlain(fn, payload, tenantId).then(
        (r) => {
          if (!r.ok) request.log.info({ fn: fn.functionName, error: r.error }, "async invocation failed");
        },
        (err: unknown) => request.log.error({ err, fn: fn.functionName }, "async invocation crashed"),
      );
      return reply.code(202).send();
    }
    const result = await service.invokePlain(fn, payload, tenantId);
    if (result.ok) return reply.code(200).type("application/json").send(result.payload);
    return sendFunctionError(reply, functionErrorBody(result.error, "Unhandled", "The function failed"));
  }

  app.post(
    "/2015-03-31/functions/:fn/invocations",
    { bodyLimit: Math.max(limits.invokePayloadSyncBytes, limits.invokePayloadAsyncBytes) },
    async (request, reply) => {
      const fn = pathParam(request, "fn", functionName, "FunctionName");
      const { Qualifier } = validate(qualifierQuery, queryOf(request));
      const headers = readHeaders(request);
      const type = headers["X-Amz-Invocation-Type"] ?? "RequestResponse";

      const body = rawBody(request);
      const limit = type === "Event" ? limits.invokePayloadAsyncBytes : limits.invokePayloadSyncBytes;
      if (body.length > limit) {
        throw new DurableError(
          "RequestTooLargeException",
          `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
        );
      }
      const payload = body.toString("utf8");
      assertJson(payload);

      const resolved = service.resolveFunction(fn, Qualifier);
      const name = headers["X-Amz-Durable-Execution-Name"];
      const tenantId = headers["X-Amz-Tenant-Id"];
      const traceId = traceIdOf(request);
      if (!resolved.durable && name !== undefined) {
        throw invalidParameter("DurableExecutionName is only supported for durable functions");
      }
      if (type === "DryRun") return reply.code(204).send();
      if (!resolved.durable) return invokePlain(request, reply, resolved, payload, type, tenantId);

      const { execution } = await service.startExecution({
        fn: resolved,
        payload,
        ...(name !== undefined ? { name } : {}),
        ...(tenantId !== undefined ? { tenantId } : {}),
        ...(traceId !== undefined ? { traceId } : {}),
      });
      reply.header("X-Amz-Durable-Execution-Arn", execution.arn);
      reply.header("X-Amz-Executed-Version", execution.version);
      if (type === "Event") return reply.code(202).send();

      // An existing terminal execution (name idempotency, §1.3) answers at once.
      const final =
        execution.status === "RUNNING" ? await service.waitForTerminal(execution.arn, syncWaitMs) : execution;
      switch (final.status) {
        case "SUCCEEDED":
          return reply
            .code(200)
            .type("application/json")
            .send(final.result ?? "");
        case "RUNNING":
          // The execution keeps running; the caller polls GetDurableExecution with the ARN header (A22).
          return sendFunctionError(reply, {
            errorType: "Sandbox.Timedout",
            errorMessage: `The durable execution is still running after ${syncWaitMs / 1000} seconds; it continues in the background`,
          });
        case "FAILED":
        case "TIMED_OUT":
        case "STOPPED": {
          const [errorType, message] = ERROR_DEFAULTS[final.status];
          return sendFunctionError(reply, functionErrorBody(final.error, errorType, message));
        }
        default:
          return final.status satisfies never;
      }
    },
  );
}
