// The one place where failures become AWS error responses (spec §3.1): status, `x-amzn-errortype`,
// and a `{"Type", "message"|"Message"}` body. Anything we do not recognise is a ServiceException.
import { AWS_ERRORS, DurableError, type AwsErrorName } from "@dormouse/protocol";
import { ConflictError, StoreUnavailableError } from "@dormouse/store";
import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * Names the api sends besides the protocol's table: they describe HTTP-level mistakes (no such route,
 * an Invoke payload that is not JSON) that never reach the service.
 */
const API_ONLY_ERRORS = {
  UnknownOperationException: { status: 404, messageField: "message", type: "User" },
  InvalidRequestContentException: { status: 400, messageField: "message", type: "User" },
} as const;

export type ApiErrorName = AwsErrorName | keyof typeof API_ONLY_ERRORS;

interface ErrorShape {
  status: number;
  messageField: "message" | "Message";
  type: "User" | "Service";
}

const ERRORS: Record<ApiErrorName, ErrorShape> = { ...AWS_ERRORS, ...API_ONLY_ERRORS };

/** An api-level error whose name is outside the protocol table. */
export class ApiError extends Error {
  readonly awsName: ApiErrorName;
  constructor(awsName: ApiErrorName, message: string) {
    super(message);
    this.name = awsName;
    this.awsName = awsName;
  }
}

export interface MappedError {
  name: ApiErrorName;
  message: string;
  /** True when this is our fault (logged, message hidden from the caller). */
  internal: boolean;
}

/** Fastify's own request errors that are the caller's fault, by code. */
const FASTIFY_ERRORS: Record<string, ApiErrorName> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "RequestTooLargeException",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "UnsupportedMediaTypeException",
  // @fastify/static (the console's files) refuses paths with empty, "." or ".." segments; no route
  // has such a path either.
  FST_STATIC_FORBIDDEN_PATH: "UnknownOperationException",
};

const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: "The request path contains malformed percent-encoding",
  FST_ERR_MAX_PARAM_LENGTH: "A path parameter is too long",
  FST_ERR_CTP_BODY_TOO_LARGE: "Request body is too large",
  FST_STATIC_FORBIDDEN_PATH: "No operation matches a path with empty, '.' or '..' segments",
};

function awsNameOf(err: unknown): ApiErrorName | undefined {
  if (err instanceof DurableError || err instanceof ApiError) return err.awsName;
  // Duck-typed too: a second copy of the protocol module (e.g. under a test runner) must not turn
  // a caller's mistake into a 500.
  const name = (err as { awsName?: unknown } | null)?.awsName;
  return typeof name === "string" && name in ERRORS ? (name as ApiErrorName) : undefined;
}

export function mapError(err: unknown, bodyLimit?: number): MappedError {
  const name = awsNameOf(err);
  if (name !== undefined) return { name, message: (err as Error).message, internal: false };

  const fst = err as { code?: unknown; statusCode?: unknown; message?: unknown } | null;
  if (fst && typeof fst.code === "string" && fst.code.startsWith("FST_")) {
    const status = typeof fst.statusCode === "number" ? fst.statusCode : 500;
    if (status >= 400 && status < 500) {
      const mapped = FASTIFY_ERRORS[fst.code] ?? "InvalidParameterValueException";
      let message = FASTIFY_MESSAGES[fst.code] ?? String(fst.message);
      if (mapped === "RequestTooLargeException" && bodyLimit !== undefined) {
        message = `Request must be smaller than ${bodyLimit} bytes`;
      }
      return { name: mapped, message, internal: false };
    }
  }
  if (err instanceof StoreUnavailableError || (err as Error | null)?.name === "StoreUnavailableError") {
    // Retryable: the AWS SDKs retry a ServiceException (500). Nothing was acknowledged.
    return {
      name: "ServiceException",
      message:
        "The server cannot reach its database right now; the request was not carried out. Retry it " +
        "(retrying a request that did take effect is safe).",
      internal: false,
    };
  }
  if (err instanceof ConflictError || (err as Error | null)?.name === "ConflictError") {
    // Other nodes kept changing the execution while this request was decided again and again.
    return {
      name: "ServiceException",
      message: "The durable execution was changed concurrently; the request was not carried out. Retry it.",
      internal: false,
    };
  }
  return { name: "ServiceException", message: "Internal server error", internal: true };
}

export function sendError(reply: FastifyReply, name: ApiErrorName, message: string): FastifyReply {
  const shape = ERRORS[name];
  return reply
    .code(shape.status)
    .header("x-amzn-RequestId", reply.request.id)
    .header("x-amzn-errortype", name)
    .type("application/json")
    .send({ Type: shape.type, [shape.messageField]: message });
}

/** Fastify error handler: every thrown error leaves through here. */
export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = mapError(err, request.routeOptions?.bodyLimit);
  if (mapped.internal) {
    request.log.error({ err, reqId: request.id }, "internal error");
    return sendError(reply, mapped.name, `${mapped.message} (request id ${request.id})`);
  }
  request.log.debug({ awsError: mapped.name, message: mapped.message }, "request rejected");
  return sendError(reply, mapped.name, mapped.message);
}
