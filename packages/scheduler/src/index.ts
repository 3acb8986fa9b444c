export * from "./service.js";
export * from "./ports.js";
export { Orchestrator, type OrchestratorOptions } from "./orchestrator.js";
