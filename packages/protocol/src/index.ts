export * from "./operation.js";
export * from "./execution.js";
export * from "./events.js";
export * from "./errors.js";
export * from "./arn.js";
export * from "./limits.js";
export * from "./console.js";
