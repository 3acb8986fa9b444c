// HTTP triggers of a function (issue #5): `Events` of type HttpApi (an API Gateway HTTP API route)
// and Api (a REST API route), and `FunctionUrlConfig`. Other event types (SQS, Schedule …) are
// listed as ignored. Only Type, Path, Method, PayloadFormatVersion and AuthType are resolved:
// ApiId, Auth, RestApiId and the like refer to resources Dormouse does not deploy and do not
// change what the function receives.
import { findRouteConflict, normaliseMethod, parseRoutePath, routeKey } from "@dormouse/api";
import type { HttpTrigger, RouteTrigger, UrlTrigger } from "@dormouse/api";
import type { FunctionDefinition } from "@dormouse/runtime";
import type { Fail } from "./function-properties.js";
import { NO_VALUE } from "./intrinsics.js";
import type { IntrinsicResolver } from "./intrinsics.js";
import { isRecord } from "./records.js";
import type { JsonRecord } from "./records.js";
import { TemplateError, show } from "./template-error.js";

export interface TriggerSource {
  file: string;
  logicalId: string;
  properties: JsonRecord;
  resolver: IntrinsicResolver;
  /** Only Serverless functions have Events and FunctionUrlConfig. */
  serverless: boolean;
}

export function httpTriggers(
  source: TriggerSource,
  def: FunctionDefinition,
): { triggers: HttpTrigger[]; warnings: string[] } {
  const { file, logicalId, properties, resolver } = source;
  const warnings: string[] = [];
  const triggers: HttpTrigger[] = [];
  if (!source.serverless) return { triggers, warnings };
  const get = (value: unknown, field: string): unknown => {
    const resolved = resolver.resolve(value, { resource: logicalId, field });
    return resolved === NO_VALUE ? undefined : resolved;
  };
  const fail: Fail = (field, detail) => {
    throw new TemplateError(detail, { file, resource: logicalId, field });
  };
  const target = {
    functionName: def.name,
    resource: logicalId,
    ...(def.autoPublishAlias === undefined ? {} : { qualifier: def.autoPublishAlias }),
  };

  const events = properties.Events;
  if (events !== undefined) {
    if (!isRecord(events)) fail("Events", `must be a map of event names to events (got ${show(events)})`);
    for (const [name, event] of Object.entries(events)) {
      const field = `Events.${name}`;
      if (!isRecord(event)) fail(field, `must be a map with Type and Properties (got ${show(event)})`);
      const type = get(event.Type, `${field}.Type`);
      if (type !== "HttpApi" && type !== "Api") {
        if (typeof type !== "string") fail(`${field}.Type`, `must be a string (got ${show(type)})`);
        warnings.push(
          `Ignoring event ${name} (${type}) of resource ${logicalId}: Dormouse serves HttpApi, Api and function URLs`,
        );
        continue;
      }
      const props = event.Properties ?? {};
      if (!isRecord(props)) fail(`${field}.Properties`, `must be a map (got ${show(props)})`);
      triggers.push(routeTrigger(type, name, props, { get, fail, field, target }));
    }
  }

  const urlConfig = properties.FunctionUrlConfig;
  if (urlConfig !== undefined) {
    const url = urlTrigger(get(urlConfig, "FunctionUrlConfig"), target, fail, "FunctionUrlConfig");
    if (url.authType === "AWS_IAM") warnings.push(iamWarning(logicalId));
    if (
      isRecord(urlConfig) &&
      get(urlConfig.InvokeMode, "FunctionUrlConfig.InvokeMode") === "RESPONSE_STREAM"
    ) {
      warnings.push(`Function URL of ${logicalId}: InvokeMode RESPONSE_STREAM is served buffered`);
    }
    triggers.push(url);
  }
  return { triggers, warnings };
}

function routeTrigger(
  kind: "HttpApi" | "Api",
  event: string,
  props: JsonRecord,
  h: {
    get: (value: unknown, field: string) => unknown;
    fail: Fail;
    field: string;
    target: Pick<RouteTrigger, "functionName" | "resource" | "qualifier">;
  },
): RouteTrigger {
  const fail: Fail = h.fail;
  const at = (name: string) => `${h.field}.Properties.${name}`;
  let path = h.get(props.Path, at("Path"));
  let method = h.get(props.Method, at("Method"));
  // An HttpApi event without Path and Method is SAM's catch-all `$default` route.
  if (kind === "HttpApi" && path === undefined && method === undefined) path = "$default";
  if (path === undefined) fail(at("Path"), "is missing");
  if (typeof path !== "string") return fail(at("Path"), `must be a string (got ${show(path)})`);
  if (path === "$default") {
    if (kind === "Api") fail(at("Path"), "$default exists only on HttpApi events");
    method ??= "ANY";
  } else {
    const parsed = parseRoutePath(path);
    if (typeof parsed === "string") fail(at("Path"), parsed);
  }
  if (method === undefined) fail(at("Method"), "is missing (GET, POST, … or ANY)");
  const normalised = typeof method === "string" ? normaliseMethod(method) : undefined;
  if (normalised === undefined) {
    return fail(
      at("Method"),
      `must be GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY (got ${show(method)})`,
    );
  }
  let payloadFormat: "1.0" | "2.0" = kind === "Api" ? "1.0" : "2.0";
  const version = h.get(props.PayloadFormatVersion, at("PayloadFormatVersion"));
  if (version !== undefined) {
    if (kind === "Api") fail(at("PayloadFormatVersion"), "applies to HttpApi events only");
    const text = typeof version === "number" ? version.toFixed(1) : version;
    if (text !== "1.0" && text !== "2.0") {
      return fail(at("PayloadFormatVersion"), `must be "1.0" or "2.0" (got ${show(version)})`);
    }
    payloadFormat = text;
  }
  return {
    kind,
    ...h.target,
    event,
    method: path === "$default" ? "ANY" : normalised,
    path,
    payloadFormat,
  };
}

export function urlTrigger(
  config: unknown,
  target: Pick<UrlTrigger, "functionName" | "resource" | "qualifier">,
  fail: Fail,
  field: string,
): UrlTrigger {
  if (!isRecord(config)) fail(field, `must be a map with AuthType (got ${show(config)})`);
  const authType = config.AuthType;
  if (authType !== "NONE" && authType !== "AWS_IAM") {
    fail(field === "" ? "AuthType" : `${field}.AuthType`, `must be NONE or AWS_IAM (got ${show(authType)})`);
  }
  return { kind: "FunctionUrl", ...target, authType };
}

export function iamWarning(resource: string): string {
  return `Function URL of ${resource} has AuthType AWS_IAM: Dormouse serves it without checking signatures`;
}

/** Routes that would receive the same requests are an error naming both. */
export function checkConflicts(file: string, triggers: readonly HttpTrigger[]): void {
  const conflict = findRouteConflict(triggers);
  if (!conflict) return;
  const [first, second] = conflict;
  if (second.kind === "FunctionUrl") {
    throw new TemplateError(
      `declares a second function URL for ${second.functionName} (${first.resource} has one)`,
      {
        file,
        resource: second.resource,
        field: "FunctionUrlConfig",
      },
    );
  }
  const where = (t: HttpTrigger) =>
    t.kind === "FunctionUrl" ? t.resource : `${t.resource} (event ${t.event})`;
  throw new TemplateError(
    `route ${routeKey(second)} conflicts with the same route of resource ${where(first)}; ` +
      "HttpApi and Api routes share one listener in Dormouse, so each method and path may be declared once",
    { file, resource: second.resource, field: `Events.${second.event}` },
  );
}
