export { startServer, type RunningServer } from "./start-server.js";
export { parseConfig, ConfigError, type ServerOptions, type ServerConfig } from "./config.js";
export { StaticFunctionCatalog } from "./function-catalog.js";
export * from "./functions/index.js";
