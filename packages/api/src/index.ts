// @dormouse/api: the Lambda-compatible HTTP API (spec §3, §5, §7).
export { createApi, type ApiOptions } from "./app.js";
export { ApiError, mapError, type ApiErrorName } from "./errors.js";
export { eventToWire, executionToWire, operationToWire, summaryToWire, toSeconds } from "./wire.js";
export * from "./gateway/index.js";
