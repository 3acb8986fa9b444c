// A strict query-string parser for the router. Fastify's default silently keeps malformed
// percent-escapes and turns `+` into a space; both would corrupt base64 tokens and markers.

/** Set on the parsed query when some key or value had malformed percent-encoding. */
export const MALFORMED_QUERY = Symbol("malformed-query");

export type ParsedQuery = Record<string, string | string[]> & { [MALFORMED_QUERY]?: string };

/**
 * Splits on `&` and the first `=`, percent-decodes each part, and collects repeated keys into arrays
 * (`Statuses=RUNNING&Statuses=FAILED`). `+` stays a literal `+`: AWS clients encode spaces as `%20`, and
 * no query value of this API contains a space, while unencoded base64 tokens do contain `+`.
 * Never throws (it runs inside the router): a bad escape is reported through MALFORMED_QUERY.
 */
export function parseQueryString(input: string): ParsedQuery {
  const out: ParsedQuery = Object.create(null) as ParsedQuery;
  if (input === "") return out;
  for (const pair of input.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? "" : pair.slice(eq + 1);
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey);
      value = decodeURIComponent(rawValue);
    } catch {
      out[MALFORMED_QUERY] ??= rawKey;
      continue;
    }
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[key] = [prev, value];
  }
  return out;
}
