// Completing callbacks from outside (spec §5.1). The callback id is a bearer capability in the path.
import { invalidParameter } from "@dormouse/protocol";
import type { FastifyInstance } from "fastify";
import { callbackId } from "../schemas.js";
import { errorObjectBody, pathParam, rawBody } from "../validation.js";
import type { RouteContext } from "./context.js";

export function registerCallbackRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { service, limits } = ctx;
  const base = "/2025-12-01/durable-execution-callbacks/:id";

  app.post(`${base}/succeed`, async (request) => {
    const id = pathParam(request, "id", callbackId, "CallbackId");
    const body = rawBody(request);
    if (body.length > limits.callbackResultBytes) {
      throw invalidParameter(`Result: must be at most ${limits.callbackResultBytes} bytes`);
    }
    // Raw bytes, stored verbatim as text; an empty body means "no result" (§5.2, conformance 7-15).
    await service.callbackSuccess(id, body.length === 0 ? undefined : body.toString("utf8"));
    return {};
  });

  app.post(`${base}/fail`, async (request) => {
    const id = pathParam(request, "id", callbackId, "CallbackId");
    // The whole body is the ErrorObject, possibly empty; the failure is recorded as given (§5.2).
    const error = errorObjectBody(rawBody(request), limits.errorObjectBytes) ?? {};
    await service.callbackFailure(id, error);
    return {};
  });

  app.post(`${base}/heartbeat`, async (request) => {
    const id = pathParam(request, "id", callbackId, "CallbackId");
    await service.callbackHeartbeat(id);
    return {};
  });
}
