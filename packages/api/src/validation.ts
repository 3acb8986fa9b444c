// Turning request parts into typed values, or into an InvalidParameterValueException whose message
// names the offending field (`Updates[2].Action: must be one of START, …`).
import { invalidParameter, type ErrorObject } from "@dormouse/protocol";
import type { FastifyRequest } from "fastify";
import type { z } from "zod";
import { MALFORMED_QUERY, type ParsedQuery } from "./query-string.js";
import { errorObject } from "./schemas.js";

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "a boolean",
  array: "an array",
  object: "an object",
};

const SCALARS = new Set(["string", "number", "int", "boolean"]);

/** Our wording for zod's issues; schema-level messages (patterns) take precedence over this. */
function issueMessage(iss: RawIssue): string | undefined {
  switch (iss.code) {
    case "invalid_type": {
      if (iss.input === undefined) return "is required";
      if (Array.isArray(iss.input) && SCALARS.has(iss.expected)) return "must be a single value, not a list";
      return `must be ${TYPE_NAMES[iss.expected] ?? iss.expected}`;
    }
    case "invalid_value":
      return `must be one of ${iss.values.map(String).join(", ")}`;
    case "too_small":
      if (iss.origin === "string") {
        return Number(iss.minimum) <= 1 ? "must not be empty" : `must be at least ${iss.minimum} characters`;
      }
      if (iss.origin === "array") return `must have at least ${iss.minimum} items`;
      return `must be at least ${iss.minimum}`;
    case "too_big":
      if (iss.origin === "string") return `must be at most ${iss.maximum} characters`;
      if (iss.origin === "array") return `must have at most ${iss.maximum} items`;
      return `must be at most ${iss.maximum}`;
    case "invalid_format":
      if (iss.format === "datetime") return "must be an ISO-8601 date-time such as 2025-01-01T00:00:00Z";
      return "has an invalid format";
    default:
      return "is invalid";
  }
}

/** `["Updates", 2, "Action"]` → `Updates[2].Action`. */
export function formatPath(path: readonly PropertyKey[], root: string): string {
  let out = root;
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? "Request body" : out;
}

const MAX_REPORTED_ISSUES = 5;

export function formatIssues(issues: readonly Issue[], root = ""): string {
  const shown = issues.slice(0, MAX_REPORTED_ISSUES).map((i) => `${formatPath(i.path, root)}: ${i.message}`);
  const more = issues.length - shown.length;
  return shown.join("; ") + (more > 0 ? ` (and ${more} more)` : "");
}

/**
 * Parses `value` with `schema` or throws InvalidParameterValueException. `root` prefixes field paths
 * (e.g. "Error" for a body that is itself an ErrorObject).
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, root = ""): z.output<S> {
  const result = schema.safeParse(value, { error: issueMessage });
  if (result.success) return result.data;
  throw invalidParameter(formatIssues(result.error.issues, root));
}

/** The query object, refusing malformed percent-encoding that the parser flagged. */
export function queryOf(request: FastifyRequest): Record<string, string | string[]> {
  const query = request.query as ParsedQuery;
  const bad = query[MALFORMED_QUERY];
  if (bad !== undefined) {
    throw invalidParameter(`Query parameter ${JSON.stringify(bad)} has malformed percent-encoding`);
  }
  return query;
}

/** The request body as bytes; our catch-all content-type parser keeps every body as a Buffer. */
export function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

/**
 * Parses a JSON body. `emptyAs` is what an empty body means (undefined = the body is required).
 * The parsed value is returned unvalidated; pass it to `validate`.
 */
export function jsonBody(body: Buffer, emptyAs?: unknown): unknown {
  const text = body.toString("utf8");
  if (text.trim() === "") {
    if (emptyAs !== undefined) return emptyAs;
    throw invalidParameter("Request body is empty; expected a JSON object");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw invalidParameter(`Request body is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Removes `undefined` members left by optional-or-null fields. Only ever applied to validated
 * values, whose depth the schema bounds, so the recursion is safe.
 */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map(compact) as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = compact(v);
  return out as T;
}

/** One decoded path parameter, validated and reported under its API member name. */
export function pathParam<S extends z.ZodType>(
  request: FastifyRequest,
  key: string,
  schema: S,
  member: string,
): z.output<S> {
  return validate(schema, (request.params as Record<string, unknown>)[key], member);
}

/**
 * An ErrorObject sent as the whole body (stop, callback failure). Empty body and `{}` both mean
 * "no error given" (undefined), so the service applies its default.
 */
export function errorObjectBody(body: Buffer, maxBytes: number): ErrorObject | undefined {
  if (body.length > maxBytes) throw invalidParameter(`Error: must be at most ${maxBytes} bytes`);
  const parsed = compact(validate(errorObject, jsonBody(body, {}), "Error"));
  return Object.keys(parsed).length === 0 ? undefined : parsed;
}
