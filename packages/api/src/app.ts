// The factory: one Fastify instance serving the Lambda-compatible API, and the console (its JSON/SSE
// API and the built web app) when given.
import { randomUUID } from "node:crypto";
import { DEFAULT_ARN_CONTEXT, DEFAULT_LIMITS, type ArnContext, type Limits } from "@dormouse/protocol";
import type {
  ConsoleService,
  DeployService,
  DurableService,
  FunctionVersionsService,
} from "@dormouse/scheduler";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { handleError, sendError } from "./errors.js";
import { parseQueryString } from "./query-string.js";
import { closeUnusedConnectionsOnClose } from "./unused-connections.js";
import { registerCallbackRoutes } from "./routes/callbacks.js";
import { registerConsoleRoutes, type ConsoleRouteOptions } from "./routes/console.js";
import { registerConsoleSite, type ConsoleSite } from "./routes/console-site.js";
import type { RouteContext } from "./routes/context.js";
import { registerDataPlaneRoutes } from "./routes/data-plane.js";
import { registerExecutionRoutes } from "./routes/executions.js";
import { registerFunctionRoutes } from "./routes/functions.js";
import { registerFunctionVersionRoutes } from "./routes/function-versions.js";
import { registerDeployRoutes } from "./routes/deploy.js";
import { registerInvokeRoutes } from "./routes/invoke.js";

export interface ApiOptions {
  service: DurableService;
  /** Versions and aliases (ListVersionsByFunction, ListAliases, GetAlias, PublishVersion). */
  versions?: FunctionVersionsService;
  /** Serves `POST /dormouse-api/deploy` (used by `dormouse deploy`) when given. */
  deploy?: DeployService;
  /** Defaults to AWS's limits (spec §8.2). */
  limits?: Limits;
  /** Partition/region/account used to build FunctionArn values; must match what the service mints. */
  arnContext?: ArnContext;
  /** A pino-compatible logger; nothing is logged when absent. */
  logger?: FastifyBaseLogger;
  /** Serves the console's JSON/SSE API under /console-api when given. */
  console?: ConsoleService;
  /** Ping interval of /console-api/stream and the like (tests shorten it). */
  consoleRoutes?: ConsoleRouteOptions;
  /**
   * Absolute path of the built console (packages/console/dist), served at `/`. It need not exist:
   * then `/` says how to build it. Without this option only the APIs are served.
   */
  consoleDir?: string;
}

/**
 * Path parameters are ARNs (≤1024 chars) and callback ids (≤1024); find-my-way's default limit of 100
 * decoded characters would turn real ARNs into 414s. Lengths are checked by the schemas instead.
 */
const MAX_PARAM_LENGTH = 4096;

/**
 * Builds the API. Routes are registered but the instance is not listening: call `app.listen(...)`,
 * or `app.inject(...)` in tests, and `app.close()` when done.
 *
 * Routing note: find-my-way (Fastify's router) decodes the path only after matching, so a
 * percent-encoded `/` (`%2F`) inside an ARN or callback id stays inside its segment (tested in
 * routing.test.ts).
 */
export function createApi(options: ApiOptions): FastifyInstance {
  const ctx: RouteContext = {
    service: options.service,
    limits: options.limits ?? DEFAULT_LIMITS,
    arnContext: options.arnContext ?? DEFAULT_ARN_CONTEXT,
    ...(options.versions ? { versions: options.versions } : {}),
  };

  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    genReqId: () => randomUUID(),
    bodyLimit: ctx.limits.checkpointBodyBytes,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH, querystringParser: parseQueryString },
    // Requests the router cannot even parse (bad percent-encoding, over-long parameters).
    frameworkErrors: (err, request, reply) => {
      handleError(err, request, reply);
    },
  });

  // Every body is kept as raw bytes: Invoke and callback success take any content type (§7.1, §5.1),
  // and JSON bodies are parsed by the routes so that errors name the problem.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));

  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-amzn-RequestId", request.id);
    // Fastify answers 415 for a Content-Type it cannot parse (e.g. "" or "a;;b") before our catch-all
    // parser runs; since no route looks at the type, neutralise it.
    if (request.headers["content-type"] !== undefined) {
      request.headers["content-type"] = "application/octet-stream";
    }
  });

  closeUnusedConnectionsOnClose(app);
  app.setErrorHandler(handleError);
  const site: ConsoleSite | undefined =
    options.consoleDir === undefined ? undefined : registerConsoleSite(app, options.consoleDir);
  app.setNotFoundHandler(async (request, reply) => {
    if (site && (await site.fallback(request, reply))) return reply;
    const path = request.url.split("?")[0] ?? request.url;
    return sendError(reply, "UnknownOperationException", `No operation matches ${request.method} ${path}`);
  });

  registerInvokeRoutes(app, ctx);
  registerExecutionRoutes(app, ctx);
  registerDataPlaneRoutes(app, ctx);
  registerCallbackRoutes(app, ctx);
  registerFunctionRoutes(app, ctx);
  registerFunctionVersionRoutes(app, ctx);
  if (options.deploy) registerDeployRoutes(app, options.deploy);
  if (options.console) registerConsoleRoutes(app, options.console, options.consoleRoutes);
  return app;
}
