// What makes a function reachable over HTTP, as the template declares it (issue #5). The template
// loader (server) builds these; the gateway serves them. Plain data, so both sides can test them.

/** `HttpApi`: an API Gateway HTTP API route; `Api`: a REST API route (payload 1.0 only). */
export interface RouteTrigger {
  kind: "HttpApi" | "Api";
  /** The function to invoke (its FunctionName). */
  functionName: string;
  /** The alias the integration targets (SAM points integrations at the AutoPublishAlias). */
  qualifier?: string;
  /** The function's logical id, and the event's name under `Events`, for messages. */
  resource: string;
  event: string;
  /** Upper case; `ANY` matches every method. Ignored for `$default`. */
  method: string;
  /** `/orders/{id}`, `/files/{proxy+}`, or `$default` (HttpApi only). */
  path: string;
  payloadFormat: "1.0" | "2.0";
}

/** `FunctionUrlConfig`: a URL of its own for the function, payload 2.0, every method and path. */
export interface UrlTrigger {
  kind: "FunctionUrl";
  functionName: string;
  qualifier?: string;
  resource: string;
  authType: "NONE" | "AWS_IAM";
}

export type HttpTrigger = RouteTrigger | UrlTrigger;

/** `GET /orders/{id}`, `ANY /{proxy+}`, `$default`: API Gateway's route key. */
export function routeKey(trigger: Pick<RouteTrigger, "method" | "path">): string {
  return trigger.path === "$default" ? "$default" : `${trigger.method} ${trigger.path}`;
}

/**
 * Function URLs share the gateway's listener: `http://<host>:<port>/_url/<FunctionName>/<path>`
 * (the prefix is removed before the function sees the path), or any path on a host named
 * `<functionname>.lambda-url.<anything>` (`*.localhost` resolves to loopback in browsers and curl).
 */
export const FUNCTION_URL_PREFIX = "/_url/";

export function functionUrlPath(functionName: string): string {
  return `${FUNCTION_URL_PREFIX}${functionName}/`;
}
