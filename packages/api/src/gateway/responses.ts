// What the function returned → the HTTP response, by API Gateway's rules for each payload format.
//
// 2.0: an object with `statusCode` is a response (statusCode, headers, cookies, body,
//      isBase64Encoded); any other value is sent as 200 application/json, its JSON as the body.
// 1.0: the value must be an object with `statusCode` (headers, multiValueHeaders, body,
//      isBase64Encoded); anything else is a malformed response.

export interface HttpResponse {
  statusCode: number;
  /** Lower-case names; repeated names (set-cookie) appear repeatedly. */
  headers: [string, string][];
  body: Buffer;
}

export type MappedResponse = { ok: true; response: HttpResponse } | { ok: false; reason: string };

// Set by the gateway from the body it sends; a function's own values would corrupt the framing.
const HOP_BY_HOP = new Set(["content-length", "transfer-encoding", "connection", "keep-alive"]);

/** `{"message":"…"}` as API Gateway sends its own answers. */
export function gatewayMessage(statusCode: number, message: string): HttpResponse {
  return {
    statusCode,
    headers: [["content-type", "application/json"]],
    body: Buffer.from(JSON.stringify({ message })),
  };
}

/** `payload` is the function's result as JSON text ("" when it returned nothing). */
export function mapResponse(payload: string, format: "1.0" | "2.0"): MappedResponse {
  let value: unknown = null;
  if (payload.trim() !== "") {
    try {
      value = JSON.parse(payload);
    } catch {
      return { ok: false, reason: "the function's result is not JSON" };
    }
  }
  const structured = isRecord(value) && "statusCode" in value ? value : undefined;
  if (format === "2.0" && !structured) {
    return {
      ok: true,
      response: {
        statusCode: 200,
        headers: [["content-type", "application/json"]],
        body: Buffer.from(payload.trim() === "" ? "null" : payload),
      },
    };
  }
  if (!structured) {
    return {
      ok: false,
      reason: "payload format 1.0 needs an object with statusCode (malformed proxy response)",
    };
  }
  return structuredResponse(structured, format);
}

function structuredResponse(value: Record<string, unknown>, format: "1.0" | "2.0"): MappedResponse {
  const fail = (reason: string): MappedResponse => ({ ok: false, reason });
  const status = typeof value.statusCode === "string" ? Number(value.statusCode) : value.statusCode;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599) {
    return fail(
      `statusCode must be an integer between 100 and 599 (got ${JSON.stringify(value.statusCode)})`,
    );
  }
  const headers: [string, string][] = [];
  const add = (name: string, item: unknown, field: string): string | undefined => {
    if (typeof item !== "string" && typeof item !== "number" && typeof item !== "boolean") {
      return `${field}.${name} must be a string, number or boolean`;
    }
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
      return `${field} has the invalid header name ${JSON.stringify(name)}`;
    const lower = name.toLowerCase();
    if (!HOP_BY_HOP.has(lower)) headers.push([lower, String(item)]);
    return undefined;
  };
  if (value.headers !== undefined && value.headers !== null) {
    if (!isRecord(value.headers)) return fail("headers must be an object");
    for (const [name, item] of Object.entries(value.headers)) {
      const problem = add(name, item, "headers");
      if (problem) return fail(problem);
    }
  }
  if (format === "1.0" && value.multiValueHeaders !== undefined && value.multiValueHeaders !== null) {
    if (!isRecord(value.multiValueHeaders)) return fail("multiValueHeaders must be an object");
    for (const [name, items] of Object.entries(value.multiValueHeaders)) {
      if (!Array.isArray(items)) return fail(`multiValueHeaders.${name} must be a list`);
      // A name in both maps: the multi-value list wins, as on API Gateway.
      for (let i = headers.length - 1; i >= 0; i--)
        if (headers[i]![0] === name.toLowerCase()) headers.splice(i, 1);
      for (const item of items) {
        const problem = add(name, item, "multiValueHeaders");
        if (problem) return fail(problem);
      }
    }
  }
  if (format === "2.0" && value.cookies !== undefined && value.cookies !== null) {
    if (!Array.isArray(value.cookies) || !value.cookies.every((c) => typeof c === "string")) {
      return fail("cookies must be a list of strings");
    }
    for (const cookie of value.cookies as string[]) headers.push(["set-cookie", cookie]);
  }
  let body: Buffer;
  if (value.body === undefined || value.body === null) body = Buffer.alloc(0);
  else if (typeof value.body !== "string") return fail("body must be a string (JSON.stringify objects)");
  else if (value.isBase64Encoded === true) {
    if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(value.body)) return fail("body is not valid base64");
    body = Buffer.from(value.body, "base64");
  } else body = Buffer.from(value.body, "utf8");
  return { ok: true, response: { statusCode: status, headers, body } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
