// The API Gateway HTTP API shapes the API function speaks (payload format 2.0), and small helpers
// for JSON answers and typed errors.

/** The parts of an HTTP API (payload 2.0) event this application reads. */
export interface HttpApiEvent {
  version: string;
  routeKey: string;
  rawPath: string;
  rawQueryString?: string;
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  pathParameters?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext?: { requestId?: string; http?: { method?: string; path?: string } };
}

/** A Lambda proxy response, as API Gateway expects it back. */
export interface HttpResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

/** A failure the caller can act on: an HTTP status, a name to switch on, and a message. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function json(statusCode: number, body: unknown): HttpResponse {
  return {
    statusCode,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
    body: JSON.stringify(body),
  };
}

export function errorResponse(err: HttpError): HttpResponse {
  return json(err.statusCode, { error: err.code, message: err.message, ...err.details });
}

/** The request body as JSON; a body that is missing or not JSON is the caller's mistake. */
export function jsonBody(event: HttpApiEvent): unknown {
  if (event.body === undefined || event.body === "") {
    throw new HttpError(400, "BadRequest", "the request needs a JSON body");
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, "BadRequest", `the body is not valid JSON: ${(err as Error).message}`);
  }
}

export function pathParameter(event: HttpApiEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (value === undefined || value === "") {
    throw new HttpError(400, "BadRequest", `the path has no ${name}`);
  }
  return value;
}
