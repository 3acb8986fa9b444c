// AWS error names and their HTTP statuses (spec §3.1). One table; api maps errors through it.

export const AWS_ERRORS = {
  InvalidParameterValueException: { status: 400, messageField: "message", type: "User" },
  ResourceNotFoundException: { status: 404, messageField: "Message", type: "User" },
  CallbackTimeoutException: { status: 400, messageField: "Message", type: "User" },
  DurableExecutionAlreadyStartedException: { status: 409, messageField: "Message", type: "User" },
  TooManyRequestsException: { status: 429, messageField: "message", type: "User" },
  ServiceException: { status: 500, messageField: "Message", type: "Service" },
  RequestTooLargeException: { status: 413, messageField: "message", type: "User" },
  ResourceConflictException: { status: 409, messageField: "message", type: "User" },
  UnsupportedMediaTypeException: { status: 415, messageField: "message", type: "User" },
} as const;

export type AwsErrorName = keyof typeof AWS_ERRORS;

/** Prefix both SDKs key on to treat a rejected checkpoint as "end this invocation" (spec §1.5). */
export const INVALID_CHECKPOINT_TOKEN = "Invalid Checkpoint Token";

/**
 * A failure that is the caller's fault (or a conflict), carrying the AWS error name that the api
 * layer puts on the wire. Everything else that escapes is a ServiceException.
 */
export class DurableError extends Error {
  readonly awsName: AwsErrorName;
  constructor(awsName: AwsErrorName, message: string) {
    super(message);
    this.name = awsName;
    this.awsName = awsName;
  }
}

export const invalidParameter = (message: string) =>
  new DurableError("InvalidParameterValueException", message);
export const notFound = (message: string) => new DurableError("ResourceNotFoundException", message);
export const invalidToken = (detail: string) =>
  new DurableError("InvalidParameterValueException", `${INVALID_CHECKPOINT_TOKEN}: ${detail}`);
