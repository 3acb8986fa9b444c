// Read-only function APIs (ListFunctions, GetFunction, GetFunctionConfiguration) so that tools can
// discover what is deployed; functions themselves are declared in the template, not created here.
import type { ResolvedFunction } from "@dormouse/engine";
import { invalidParameter, parseFunctionRef } from "@dormouse/protocol";
import type { FunctionSummary } from "@dormouse/scheduler";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { functionName, listFunctionsQuery, qualifierQuery } from "../schemas.js";
import { pathParam, queryOf, validate } from "../validation.js";
import { functionConfiguration } from "../wire.js";
import type { RouteContext } from "./context.js";

/** Where a revision's files can be downloaded as a zip (function-versions.ts serves it). */
export function codeArchivePath(codeId: string): string {
  return `/dormouse-api/code/${codeId}.zip`;
}

/** Lambda's page size for ListFunctions. */
const LIST_FUNCTIONS_PAGE = 50;

/** Without FunctionVersion=ALL, Lambda lists each function once, as its unpublished version. */
function onePerFunction(all: FunctionSummary[]): FunctionSummary[] {
  const byName = new Map<string, FunctionSummary>();
  for (const fn of all) {
    const seen = byName.get(fn.name);
    if (seen === undefined || (seen.version !== "$LATEST" && fn.version === "$LATEST"))
      byName.set(fn.name, fn);
  }
  return [...byName.values()];
}

/** The summary of exactly the resolved version, completed from another version of it if need be. */
function summaryFor(all: FunctionSummary[], fn: ResolvedFunction): FunctionSummary {
  const exact = all.find((s) => s.name === fn.functionName && s.version === fn.version);
  if (exact) return exact;
  const sibling = all.find((s) => s.name === fn.functionName);
  return {
    name: fn.functionName,
    version: fn.version,
    durable: fn.durable,
    timeoutSeconds: fn.functionTimeoutSeconds,
    memoryMb: sibling?.memoryMb ?? 128,
    handler: sibling?.handler ?? "",
    runtime: sibling?.runtime ?? "",
    ...(fn.durable
      ? { executionTimeoutSeconds: fn.executionTimeoutSeconds, retentionDays: fn.retentionDays }
      : {}),
  };
}

export function registerFunctionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { service, arnContext } = ctx;

  function resolve(request: FastifyRequest) {
    const ref = pathParam(request, "fn", functionName, "FunctionName");
    const { Qualifier } = validate(qualifierQuery, queryOf(request));
    const resolved = service.resolveFunction(ref, Qualifier);
    // Lambda echoes the qualifier the caller used (version or alias) in FunctionArn.
    const arnQualifier = Qualifier ?? parseFunctionRef(ref)?.qualifier;
    const configuration = functionConfiguration(
      summaryFor(service.listFunctions(), resolved),
      arnContext,
      arnQualifier,
    );
    return { resolved, configuration };
  }

  app.get("/2015-03-31/functions", async (request) => {
    const q = validate(listFunctionsQuery, queryOf(request));
    const all = service.listFunctions();
    const listed = q.FunctionVersion === "ALL" ? all : onePerFunction(all);
    // The marker is the offset of the next page; anything else did not come from us.
    const start = q.Marker === undefined ? 0 : Number(q.Marker);
    if (!Number.isSafeInteger(start) || start < 0 || String(start) !== (q.Marker ?? "0")) {
      throw invalidParameter("Marker: is not a marker returned by ListFunctions");
    }
    const end = start + (q.MaxItems ?? LIST_FUNCTIONS_PAGE);
    return {
      Functions: listed.slice(start, end).map((fn) => functionConfiguration(fn, arnContext)),
      ...(end < listed.length ? { NextMarker: String(end) } : {}),
    };
  });

  app.get("/2015-03-31/functions/:fn", async (request) => {
    const { resolved, configuration } = resolve(request);
    // Lambda answers with a short-lived URL of the deployment package; ours is the revision's
    // snapshot as a zip, named by its content, on this server.
    const code =
      ctx.versions && resolved.codeId !== undefined
        ? {
            RepositoryType: "S3",
            Location: `${request.protocol}://${request.headers.host ?? request.hostname}${codeArchivePath(resolved.codeId)}`,
          }
        : undefined;
    return { Configuration: configuration, ...(code ? { Code: code } : {}) };
  });

  app.get("/2015-03-31/functions/:fn/configuration", async (request) => resolve(request).configuration);
}
