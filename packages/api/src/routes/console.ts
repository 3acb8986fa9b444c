// The console's JSON API under /console-api (shapes in protocol/console.ts). Read-only: the
// console's actions (callbacks, stop, start) go through the Lambda routes themselves.
import {
  CONSOLE_API_PREFIX,
  parseExecutionArn,
  parseFunctionRef,
  type ConsoleEventsResponse,
  type ConsoleExecutionResponse,
  type ConsoleExecutionsResponse,
  type ConsoleFunctionsResponse,
} from "@dormouse/protocol";
import type { ConsoleService } from "@dormouse/scheduler";
import type { ListExecutionsQuery } from "@dormouse/store";
import type { FastifyInstance, FastifyReply } from "fastify";
import {
  detailToConsole,
  eventToConsole,
  functionToConsole,
  invocationToConsole,
  operationToConsole,
  summaryToConsole,
} from "../console-wire.js";
import { consoleEventsQuery, consoleExecutionsQuery, executionArn } from "../schemas.js";
import { pathParam, queryOf, validate } from "../validation.js";
import { ConsoleStreams } from "./console-stream.js";

const EXECUTIONS_PAGE = 50;
const EVENTS_PAGE = 100;

export interface ConsoleRouteOptions {
  /** How often the stream sends `event: ping` (default 15 s). */
  pingIntervalMs?: number;
}

/** Answers change with every execution, so nothing in between may keep a copy. */
const fresh = (reply: FastifyReply): FastifyReply => reply.header("cache-control", "no-store");

export function registerConsoleRoutes(
  app: FastifyInstance,
  consoleService: ConsoleService,
  options: ConsoleRouteOptions = {},
): void {
  const P = CONSOLE_API_PREFIX;

  app.get(`${P}/functions`, async (_request, reply): Promise<ConsoleFunctionsResponse> => {
    fresh(reply);
    return { functions: (await consoleService.listFunctions()).map(functionToConsole) };
  });

  app.get(`${P}/executions`, async (request, reply): Promise<ConsoleExecutionsResponse> => {
    const q = validate(consoleExecutionsQuery, queryOf(request));
    const query: ListExecutionsQuery = { limit: q.limit ?? EXECUTIONS_PAGE };
    if (q.function !== undefined) {
      // `orders` lists all versions; `orders:2` (or a qualified ARN) only those pinned to version 2.
      const ref = parseFunctionRef(q.function)!;
      query.functionName = ref.name;
      if (ref.qualifier !== undefined) query.version = ref.qualifier;
    }
    if (q.status !== undefined && q.status.length > 0) query.statuses = [...new Set(q.status)];
    const search = q.q?.trim() ?? "";
    if (search !== "") {
      // Names cannot contain ':' or '/', so a string that parses as an ARN is never a name prefix.
      if (parseExecutionArn(search)) query.arn = search;
      else query.namePrefix = search;
    }
    if (q.startedAfter !== undefined) query.startedAfter = q.startedAfter;
    if (q.startedBefore !== undefined) query.startedBefore = q.startedBefore;
    if (q.cursor !== undefined) query.cursor = q.cursor;
    const page = await consoleService.listExecutions(query);
    fresh(reply);
    return {
      executions: page.items.map(summaryToConsole),
      ...(page.next !== undefined && { next: page.next }),
    };
  });

  app.get(`${P}/executions/:arn`, async (request, reply): Promise<ConsoleExecutionResponse> => {
    const arn = pathParam(request, "arn", executionArn, "arn");
    const detail = await consoleService.getExecutionDetail(arn);
    fresh(reply);
    return {
      execution: detailToConsole(detail.execution),
      operations: detail.operations.map(operationToConsole),
      invocations: detail.invocations.map(invocationToConsole),
      eventCount: detail.eventCount,
    };
  });

  app.get(`${P}/executions/:arn/events`, async (request, reply): Promise<ConsoleEventsResponse> => {
    const arn = pathParam(request, "arn", executionArn, "arn");
    const q = validate(consoleEventsQuery, queryOf(request));
    const page = await consoleService.getEvents(arn, {
      limit: q.limit ?? EVENTS_PAGE,
      ...(q.after !== undefined && { afterEventId: q.after }),
    });
    fresh(reply);
    return {
      events: page.events.map(eventToConsole),
      ...(page.nextAfterEventId !== undefined && { next: String(page.nextAfterEventId) }),
    };
  });

  const streams = new ConsoleStreams(consoleService, options.pingIntervalMs);
  app.get(`${P}/stream`, (request, reply) => {
    // Fastify answers HEAD with the GET route: say what it would be, without opening a stream.
    if (request.method === "HEAD") {
      void reply.header("cache-control", "no-store").type("text/event-stream; charset=utf-8").send();
      return;
    }
    streams.open(request, reply);
  });
  // Open streams never finish by themselves: end them first, or closing the server would wait forever.
  app.addHook("preClose", async () => {
    streams.closeAll();
  });
}
