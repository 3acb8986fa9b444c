// The little HTTP toolkit the API function needs on top of API Gateway's payload format 2.0.

export interface HttpEvent {
  routeKey: string;
  rawPath: string;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  body?: string;
  isBase64Encoded: boolean;
}

export interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export function json(statusCode: number, value: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
    body: JSON.stringify(value),
  };
}

export function problem(statusCode: number, message: string): HttpResult {
  return json(statusCode, { message });
}

/** The request body as JSON; undefined when there is none. Throws BadRequest when it is not JSON. */
export function jsonBody(event: HttpEvent): unknown {
  if (event.body === undefined || event.body === "") return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest("the request body must be JSON");
  }
}

export class BadRequest extends Error {}
