// Control plane over one execution or a function's executions (spec §7.2–7.5).
import { parseFunctionRef } from "@dormouse/protocol";
import type { ListExecutionsQuery } from "@dormouse/store";
import type { FastifyInstance } from "fastify";
import {
  executionArn,
  functionName,
  getExecutionQuery,
  historyQuery,
  listExecutionsQuery,
} from "../schemas.js";
import { errorObjectBody, pathParam, queryOf, rawBody, validate } from "../validation.js";
import { eventToWire, executionToWire, summaryToWire, toSeconds } from "../wire.js";
import { pageSize, type RouteContext } from "./context.js";

export function registerExecutionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { service, arnContext, limits } = ctx;

  app.get("/2025-12-01/durable-executions/:arn", async (request) => {
    const arn = pathParam(request, "arn", executionArn, "DurableExecutionArn");
    const q = validate(getExecutionQuery, queryOf(request));
    const execution = await service.getExecution(arn);
    return executionToWire(execution, q.IncludeExecutionData ?? true, arnContext);
  });

  app.get("/2025-12-01/durable-executions/:arn/history", async (request) => {
    const arn = pathParam(request, "arn", executionArn, "DurableExecutionArn");
    const q = validate(historyQuery, queryOf(request));
    const includeData = q.IncludeExecutionData ?? true;
    const page = await service.getHistory(arn, {
      ...(q.Marker !== undefined ? { marker: q.Marker } : {}),
      maxItems: pageSize(q.MaxItems),
      reverse: q.ReverseOrder ?? false,
    });
    return {
      Events: page.events.map((e) => eventToWire(e, includeData)),
      ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
    };
  });

  app.post("/2025-12-01/durable-executions/:arn/stop", async (request) => {
    const arn = pathParam(request, "arn", executionArn, "DurableExecutionArn");
    const error = errorObjectBody(rawBody(request), limits.errorObjectBytes);
    const { stoppedAt } = await service.stopExecution(arn, error);
    return { StopTimestamp: toSeconds(stoppedAt) };
  });

  app.get("/2025-12-01/functions/:fn/durable-executions", async (request) => {
    const fn = pathParam(request, "fn", functionName, "FunctionName");
    const q = validate(listExecutionsQuery, queryOf(request));
    const resolved = service.resolveFunction(fn, q.Qualifier);
    // Without any qualifier the listing spans all versions (§7.4); resolving still proves the
    // function exists (404 otherwise).
    const qualified = q.Qualifier !== undefined || parseFunctionRef(fn)?.qualifier !== undefined;
    const query: ListExecutionsQuery = {
      functionName: resolved.functionName,
      limit: pageSize(q.MaxItems),
      ...(qualified ? { version: resolved.version } : {}),
      ...(q.DurableExecutionName !== undefined ? { name: q.DurableExecutionName } : {}),
      ...(q.Statuses !== undefined && q.Statuses.length > 0 ? { statuses: [...new Set(q.Statuses)] } : {}),
      ...(q.StartedAfter !== undefined ? { startedAfter: q.StartedAfter } : {}),
      ...(q.StartedBefore !== undefined ? { startedBefore: q.StartedBefore } : {}),
      // ReverseOrder=true means oldest first here, the inverse of the history API (A35).
      ...(q.ReverseOrder ? { oldestFirst: true } : {}),
      ...(q.Marker !== undefined ? { cursor: q.Marker } : {}),
    };
    const page = await service.listExecutions(query);
    return {
      DurableExecutions: page.items.map((e) => summaryToWire(e, arnContext)),
      ...(page.next ? { NextMarker: page.next } : {}),
    };
  });
}
