// One HTTP request as the gateway received it, independent of node:http so that the event builders
// are pure and testable with literals.

export interface GatewayRequest {
  method: string;
  /** The path as sent, still percent-encoded, without the query string. */
  rawPath: string;
  /** Everything after `?`, as sent ("" when none). */
  rawQueryString: string;
  /** Header names as sent, in order; repeated headers appear repeatedly. */
  headers: [string, string][];
  body: Buffer;
  sourceIp: string;
  protocol: string;
  requestId: string;
  /** Epoch ms when the request arrived. */
  receivedAt: number;
}

/** `/a/b?x=1` → path and query, as sent. */
export function splitUrl(url: string): { rawPath: string; rawQueryString: string } {
  const q = url.indexOf("?");
  return q === -1
    ? { rawPath: url || "/", rawQueryString: "" }
    : { rawPath: url.slice(0, q) || "/", rawQueryString: url.slice(q + 1) };
}

/** node's rawHeaders (`[name, value, name, value…]`) as pairs. */
export function headerPairs(rawHeaders: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) out.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return out;
}

export function headerValue(request: GatewayRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  return request.headers.find(([k]) => k.toLowerCase() === lower)?.[1];
}

/**
 * Query parameters, decoded, in order of first appearance. `+` is a space, as browsers encode form
 * fields; a malformed escape is kept as written rather than failing the request.
 */
export function queryParameters(rawQueryString: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (rawQueryString === "") return out;
  for (const pair of rawQueryString.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = decodeComponent(eq === -1 ? "" : pair.slice(eq + 1));
    const list = out.get(key);
    if (list) list.push(value);
    else out.set(key, [value]);
  }
  return out;
}

function decodeComponent(text: string): string {
  const spaced = text.replaceAll("+", " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

// Content types API Gateway passes to the function as text; every other body arrives base64.
const TEXT_TYPES = [
  /^text\//,
  /^application\/(json|xml|javascript|x-javascript|ecmascript|graphql|x-yaml|yaml|x-ndjson)$/,
  /^application\/[\w.+-]+\+(json|xml)$/,
];

/**
 * The body as the event carries it: text when its content type is textual and it is valid UTF-8,
 * else base64 (API Gateway HTTP APIs and function URLs do the same; forms arrive base64 there too).
 */
export function eventBody(request: GatewayRequest): { body: string; isBase64Encoded: boolean } | undefined {
  if (request.body.length === 0) return undefined;
  const type = (headerValue(request, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (TEXT_TYPES.some((re) => re.test(type))) {
    const text = new TextDecoder("utf-8", { fatal: false }).decode(request.body);
    if (Buffer.from(text, "utf8").equals(request.body)) return { body: text, isBase64Encoded: false };
  }
  return { body: request.body.toString("base64"), isBase64Encoded: true };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** API Gateway's `requestContext.time`: `12/Mar/2020:19:03:58 +0000`. */
export function requestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
  );
}
