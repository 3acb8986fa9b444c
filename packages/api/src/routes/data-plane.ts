// The two calls the SDK makes from inside the function (spec §3.2, §3.3).
import { createHash } from "node:crypto";
import {
  BASE64_PATTERN,
  invalidToken,
  type CheckpointResponse,
  type GetStateResponse,
} from "@dormouse/protocol";
import type { FastifyInstance } from "fastify";
import { checkpointBody, executionArn, stateQuery } from "../schemas.js";
import { compact, jsonBody, pathParam, queryOf, rawBody, validate } from "../validation.js";
import { operationToWire } from "../wire.js";
import { pageSize, type RouteContext } from "./context.js";

/**
 * A malformed token is "undecodable", which spec §1.5(3) answers with the `Invalid Checkpoint Token`
 * prefix: the SDK then retries the invocation (with a fresh token) instead of failing the execution.
 */
function checkTokenFormat(token: string): string {
  if (token.length > 2048 || !BASE64_PATTERN.test(token)) {
    throw invalidToken("CheckpointToken must be a base64 string of at most 2048 characters");
  }
  return token;
}

export function registerDataPlaneRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { service, limits } = ctx;

  app.get("/2025-12-01/durable-executions/:arn/state", async (request): Promise<GetStateResponse> => {
    const arn = pathParam(request, "arn", executionArn, "DurableExecutionArn");
    const q = validate(stateQuery, queryOf(request));
    const token = checkTokenFormat(q.CheckpointToken);
    const page = await service.getState(arn, token, q.Marker, pageSize(q.MaxItems));
    return {
      Operations: page.operations.map(operationToWire),
      ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
    };
  });

  app.post(
    "/2025-12-01/durable-executions/:arn/checkpoint",
    { bodyLimit: limits.checkpointBodyBytes },
    async (request): Promise<CheckpointResponse> => {
      const arn = pathParam(request, "arn", executionArn, "DurableExecutionArn");
      const raw = rawBody(request);
      const body = validate(checkpointBody, jsonBody(raw));
      // The hash lets the service tell a ClientToken retry (same bytes) from a reuse (§1.5(4)).
      const bodyHash = createHash("sha256").update(raw).digest("hex");
      const result = await service.checkpoint(arn, {
        token: checkTokenFormat(body.CheckpointToken),
        updates: compact(body.Updates ?? []),
        ...(body.ClientToken !== undefined ? { clientToken: body.ClientToken } : {}),
        bodyHash,
      });
      // Never paginated: the JS SDK ignores NewExecutionState.NextMarker (§3.3 step 8).
      return {
        ...(result.token !== undefined ? { CheckpointToken: result.token } : {}),
        NewExecutionState: { Operations: result.operations.map(operationToWire) },
      };
    },
  );
}
