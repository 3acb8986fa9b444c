export { startServer, type RunningServer, type ServerHooks } from "./start-server.js";
export type { ReloadResult } from "./hot-reload.js";
export { FunctionRegistry, type PublishedFunction } from "./registry/registry.js";
export { parseConfig, ConfigError, type ServerOptions, type ServerConfig } from "./config.js";
export * from "./functions/index.js";
export { deployBundle, sendDeployBundle } from "./registry/deploy-bundle.js";
export { prepareRevision } from "./registry/revision.js";
export { dependencySnapshot } from "./registry/dependencies.js";
