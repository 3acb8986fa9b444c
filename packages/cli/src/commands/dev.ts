// `dormouse dev` and `dormouse start`: run the server in this process until SIGINT/SIGTERM.
import { existsSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import {
  UsageError,
  parseIntegerArg,
  parseParameterOverrides,
  parseSecondsArg,
  resolveDatabaseUrl,
  resolveFunctionSource,
} from "../args.js";
import type { FunctionSource } from "../args.js";
import { formatDevBanner, formatReload, formatStartLine } from "../format-server.js";

interface ServeOptions {
  template?: string;
  port: number;
  httpPort: number;
  host: string;
  data: string;
  database?: string;
  leaseTtl?: number;
  logLevel?: string;
  parameterOverrides?: Record<string, string>;
}

export function registerDev(program: Command): void {
  addServeOptions(
    program
      .command("dev")
      .description("run the API, engine and your functions locally (SQLite under .dormouse/)")
      .argument(
        "[handler-file]",
        "a handler file (.ts .js .mjs …) to run alone, or a template; default ./template.yaml",
      ),
  ).action(async (file: string | undefined, options: ServeOptions) => serve("dev", file, options));

  addServeOptions(program.command("start").description("run a Dormouse node with terse output")).action(
    async (options: ServeOptions) => serve("start", undefined, options),
  );
}

function addServeOptions(command: Command): Command {
  return command
    .option("--template <file>", "SAM template declaring the functions (default: ./template.yaml)")
    .option(
      "--port <n>",
      "port for the Lambda API, 0 for any free port",
      (v) => parseIntegerArg("--port", v, 0, 65535),
      9014,
    )
    .option(
      "--http-port <n>",
      "port for the template's HTTP routes and function URLs (HttpApi, Api, FunctionUrlConfig), 0 for any free port",
      (v) => parseIntegerArg("--http-port", v, 0, 65535),
      3000,
    )
    .option("--host <addr>", "address to listen on", "127.0.0.1")
    .option("--data <dir>", "directory for the database", ".dormouse")
    .option(
      "--database <url>",
      "keep executions in PostgreSQL (postgres://user:password@host:5432/db) instead of SQLite; " +
        "default: $DORMOUSE_DATABASE_URL",
    )
    .option(
      "--lease-ttl <seconds>",
      "with PostgreSQL: how soon another node re-invokes what a node that died was running (default 10)",
      (v) => parseSecondsArg("--lease-ttl", v, 1, 3600),
    )
    .option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent")
    .option(
      "--parameter-overrides <Key=Value...>",
      "template parameter values replacing their Default (as for sam)",
      parseParameterOverrides,
    );
}

async function serve(mode: "dev" | "start", file: string | undefined, options: ServeOptions): Promise<void> {
  const source = resolveFunctionSource(file, options.template);
  checkSourceExists(source, options.template !== undefined);
  const dataDir = path.resolve(options.data);
  const database = resolveDatabaseUrl(options.database);
  // Loaded here, not at the top: client commands should not pay for loading the whole server.
  const { startServer } = await import("@dormouse/server");
  const server = await startServer(
    {
      mode,
      ...source,
      port: options.port,
      httpPort: options.httpPort,
      host: options.host,
      dataDir,
      database,
      ...(options.leaseTtl !== undefined && { leaseTtlSeconds: options.leaseTtl }),
      logLevel: options.logLevel,
      watch: mode === "dev",
      parameterOverrides: options.parameterOverrides,
    },
    {
      onReload: (result) => {
        const text = formatReload(result);
        if (text !== "") (result.ok && result.rejected.length === 0 ? console.log : console.error)(text);
      },
    },
  );
  const summary = {
    ...server,
    gatewayUrl: server.gatewayUrl,
    httpTriggers: server.httpTriggers,
    aliases: server.registry.aliases(),
  };
  console.log(mode === "dev" ? formatDevBanner(summary, dataDir) : formatStartLine(summary, dataDir));

  const signal = await nextSignal();
  // A second Ctrl+C while closing means "now": do not make people wait for a stuck worker.
  const force = () => process.exit(1);
  process.once("SIGINT", force).once("SIGTERM", force);
  if (mode === "dev") console.error(`\n${signal}: stopping…`);
  await server.close();
  process.exit(0);
}

function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off("SIGINT", on).off("SIGTERM", on);
      resolve(signal);
    };
    process.on("SIGINT", on).on("SIGTERM", on);
  });
}

/** Say which file is missing before the server tries, with a hint for the zero-config case. */
function checkSourceExists(source: FunctionSource, explicitTemplate: boolean): void {
  if ("handlerFile" in source) {
    if (!existsSync(source.handlerFile))
      throw new UsageError(`handler file not found: ${source.handlerFile}`);
    return;
  }
  if (existsSync(source.template)) return;
  if (explicitTemplate) throw new UsageError(`--template: file not found: ${source.template}`);
  throw new UsageError(
    `no ${source.template} in ${process.cwd()}: give a handler file (dormouse dev src/handler.ts) or --template <file>`,
  );
}
