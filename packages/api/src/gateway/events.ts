// The events a function receives, in API Gateway's shapes: payload format 2.0 (HTTP APIs and
// function URLs) and 1.0 (REST APIs, and HTTP APIs that ask for it).
import type { GatewayRequest } from "./request.js";
import { eventBody, headerValue, queryParameters, requestTime } from "./request.js";

export interface EventContext {
  accountId: string;
  /** `$default` for HTTP APIs and function URLs; SAM's implicit REST API stage is `Prod`. */
  stage: string;
  apiId: string;
  /** `GET /orders/{id}` or `$default`. */
  routeKey: string;
  /** For 1.0: the route's path, `/orders/{id}`. */
  resource?: string;
  /** The path the function sees (function URLs drop the `/_url/<name>` prefix). */
  rawPath: string;
  pathParameters: Record<string, string>;
}

/** Headers API Gateway adds, as a proxy does. */
function forwardedHeaders(request: GatewayRequest): [string, string][] {
  const host = headerValue(request, "host") ?? "";
  const port = /:(\d+)$/.exec(host)?.[1] ?? "80";
  const prior = headerValue(request, "x-forwarded-for");
  return [
    ["X-Forwarded-For", prior ? `${prior}, ${request.sourceIp}` : request.sourceIp],
    ["X-Forwarded-Port", port],
    ["X-Forwarded-Proto", "http"],
  ];
}

function withForwarded(request: GatewayRequest): [string, string][] {
  const added = forwardedHeaders(request);
  const replaced = new Set(added.map(([k]) => k.toLowerCase()));
  return [...request.headers.filter(([k]) => !replaced.has(k.toLowerCase())), ...added];
}

function domain(request: GatewayRequest): { domainName: string; domainPrefix: string } {
  const domainName = (headerValue(request, "host") ?? "localhost").replace(/:\d+$/, "");
  return { domainName, domainPrefix: domainName.split(".")[0]! };
}

/** Payload format 2.0. */
export function buildEventV2(request: GatewayRequest, ctx: EventContext): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of withForwarded(request)) {
    const lower = name.toLowerCase();
    if (lower === "cookie") {
      cookies.push(
        ...value
          .split(";")
          .map((c) => c.trim())
          .filter((c) => c !== ""),
      );
      continue;
    }
    headers[lower] = headers[lower] === undefined ? value : `${headers[lower]},${value}`;
  }
  const query = queryParameters(request.rawQueryString);
  const body = eventBody(request);
  const event: Record<string, unknown> = {
    version: "2.0",
    routeKey: ctx.routeKey,
    rawPath: ctx.rawPath,
    rawQueryString: request.rawQueryString,
  };
  if (cookies.length > 0) event.cookies = cookies;
  event.headers = headers;
  if (query.size > 0) {
    event.queryStringParameters = Object.fromEntries([...query].map(([k, v]) => [k, v.join(",")]));
  }
  event.requestContext = {
    accountId: ctx.accountId,
    apiId: ctx.apiId,
    ...domain(request),
    http: {
      method: request.method,
      path: ctx.rawPath,
      protocol: request.protocol,
      sourceIp: request.sourceIp,
      userAgent: headerValue(request, "user-agent") ?? "",
    },
    requestId: request.requestId,
    routeKey: ctx.routeKey,
    stage: ctx.stage,
    time: requestTime(request.receivedAt),
    timeEpoch: request.receivedAt,
  };
  if (body) event.body = body.body;
  if (Object.keys(ctx.pathParameters).length > 0) event.pathParameters = ctx.pathParameters;
  event.isBase64Encoded = body?.isBase64Encoded ?? false;
  return event;
}

/** Payload format 1.0: headers keep their case; single-value maps hold the last value. */
export function buildEventV1(
  request: GatewayRequest,
  ctx: EventContext,
  opts: { httpApi: boolean },
): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of withForwarded(request)) {
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query = queryParameters(request.rawQueryString);
  const body = eventBody(request);
  const userAgent = headerValue(request, "user-agent") ?? "";
  const resource = ctx.resource ?? ctx.rawPath;
  const event: Record<string, unknown> = {
    ...(opts.httpApi ? { version: "1.0" } : {}),
    resource,
    path: ctx.rawPath,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters:
      query.size === 0 ? null : Object.fromEntries([...query].map(([k, v]) => [k, v[v.length - 1]!])),
    multiValueQueryStringParameters: query.size === 0 ? null : Object.fromEntries(query),
    requestContext: {
      accountId: ctx.accountId,
      apiId: ctx.apiId,
      ...domain(request),
      extendedRequestId: request.requestId,
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent,
        userArn: null,
      },
      // A REST API's stage is part of the URL on AWS; the context path says so.
      path: opts.httpApi ? ctx.rawPath : `/${ctx.stage}${ctx.rawPath}`,
      protocol: request.protocol,
      requestId: request.requestId,
      requestTime: requestTime(request.receivedAt),
      requestTimeEpoch: request.receivedAt,
      resourceId: ctx.routeKey,
      resourcePath: resource,
      ...(opts.httpApi ? { routeKey: ctx.routeKey } : {}),
      stage: ctx.stage,
    },
    pathParameters: Object.keys(ctx.pathParameters).length === 0 ? null : ctx.pathParameters,
    stageVariables: null,
    body: body?.body ?? null,
    isBase64Encoded: body?.isBase64Encoded ?? false,
  };
  return event;
}
