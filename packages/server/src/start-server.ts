// The composition root: configuration parsed once, then store, runtime, orchestrator and api
// wired together. Nothing else in the codebase constructs these.
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { Gateway, createApi } from "@dormouse/api";
import type { HttpTrigger } from "@dormouse/api";
import { Runtime } from "@dormouse/runtime";
import type { LogLine } from "@dormouse/runtime";
import { ClusterBus, ConsoleQueries, FaultPoints, Orchestrator } from "@dormouse/scheduler";
import type { FunctionSummary, Invoker } from "@dormouse/scheduler";
import { PostgresNoticeChannel, openPostgresStore, openSqliteStore } from "@dormouse/store";
import type { Store } from "@dormouse/store";
import { pino } from "pino";
import { parseConfig } from "./config.js";
import type { DatabaseConfig } from "./config.js";
import { consoleDistDir } from "./console-dist.js";
import type { ServerOptions } from "./config.js";
import { HotReloader, loadFunctions } from "./hot-reload.js";
import type { ReloadResult } from "./hot-reload.js";
import { FunctionRegistry } from "./registry/registry.js";
import type { PublishedFunction } from "./registry/registry.js";
import { versionsService } from "./registry/versions-service.js";
import { deployService } from "./registry/deploy.js";

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  /**
   * The HTTP gateway (HttpApi/Api routes, function URLs at `<gatewayUrl>/_url/<FunctionName>/`);
   * undefined while no function has an HTTP trigger. A reload that adds the first one starts it.
   */
  readonly gatewayUrl: string | undefined;
  /** The HTTP triggers being served, as the template declares them now. */
  readonly httpTriggers: readonly HttpTrigger[];
  databaseFile: string;
  /** The store in use: the SQLite file, or the PostgreSQL URL without its password. */
  database: { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };
  /**
   * This node's id (on its invocation leases and in the store's `nodes` table). With PostgreSQL the
   * node is one of a cluster sharing the database (docs/decisions/0004-cluster.md).
   */
  nodeId: string;
  /** Every version of every function, `$LATEST` first (as it was when the server started). */
  functions: FunctionSummary[];
  /** What the start published from the template or handler file. */
  published: PublishedFunction[];
  registry: FunctionRegistry;
  warnings: string[];
  orchestrator: Orchestrator;
  runtime: Runtime;
  /** Re-reads the template (or handler file) and publishes what changed and loads. */
  reload(): Promise<ReloadResult>;
  close(): Promise<void>;
}

const COLLECT_INTERVAL_MS = 60 * 60 * 1000;

export interface ServerHooks {
  /** Called after every reload (by the watcher or `reload()`), to print what changed. */
  onReload?: (result: ReloadResult) => void;
}

/** Worker processes per function; the orchestrator admits as many invocations at once. */
const WORKERS_PER_FUNCTION = 8;

export async function startServer(options: ServerOptions, hooks: ServerHooks = {}): Promise<RunningServer> {
  const config = parseConfig(options);
  const logger = pino({ level: config.logLevel, base: undefined });
  const loaded = await loadFunctions(config.source, config.parameterOverrides);

  const nodeId = newNodeId();
  const store = await openStore(config.database);
  let bus: ClusterBus | undefined;
  let catalog: FunctionRegistry;
  let published: PublishedFunction[];
  try {
    if (config.database.kind === "postgres") {
      // Several nodes may share the database: they tell each other what they commit.
      const clusterLog = logger.child({ component: "cluster" });
      const channel = await PostgresNoticeChannel.open({ url: config.database.url }, (err) =>
        clusterLog.warn({ err }, "cluster notices: connection lost; reconnecting"),
      );
      bus = new ClusterBus(channel, nodeId, clusterLog);
    }
    const clusterBus = bus;
    const functionsChanged = clusterBus && (() => clusterBus.publish({ kind: "functions", node: nodeId }));
    catalog = await FunctionRegistry.open({
      store,
      codeRoot: path.join(config.dataDir, "code"),
      ...(functionsChanged && { onChanged: functionsChanged }),
    });
    published = await catalog.publish(loaded.functions);
  } catch (err) {
    await bus?.close();
    await store.close();
    throw err;
  }
  let runtime: Runtime | undefined = undefined; // created once the api knows its port
  const invoker: Invoker = {
    capacity: () => WORKERS_PER_FUNCTION,
    async invoke(fn, call) {
      const def = await catalog.definition(fn);
      if (!def || !runtime) {
        return {
          kind: "error",
          error: {
            ErrorType: "ResourceNotFoundException",
            ErrorMessage: `Function not found: ${fn.functionName}:${fn.version}`,
          },
        };
      }
      return runtime.invoke(def, call);
    },
  };
  const faultPoints = new FaultPoints(config.faultPoints);
  if (faultPoints.armed.length > 0) {
    logger.warn({ faultPoints: config.faultPoints }, "fault points armed: this server will kill itself");
  }
  const orchestrator = new Orchestrator({
    store,
    invoker,
    functions: catalog,
    limits: config.limits,
    logger: logger.child({ component: "orchestrator" }),
    faultPoints,
    nodeId,
    ...(bus && { cluster: { bus, leaseTtlMs: config.leaseTtlMs } }),
  });
  // Another node published or removed functions: serve what the store now has.
  bus?.subscribe({
    notice: (n) => {
      if (n.kind === "functions") void refreshFunctions();
    },
    reset: () => void refreshFunctions(),
  });
  const refreshFunctions = () =>
    catalog.refresh().catch((err: unknown) => logger.warn({ err }, "reloading functions failed"));
  // Per-request lines would drown the dev console: the api logs warnings and errors only.
  const apiLogger = logger.child(
    { component: "api" },
    { level: config.logLevel === "silent" ? "silent" : "warn" },
  );
  const api = createApi({
    service: orchestrator,
    versions: versionsService(catalog),
    deploy: deployService(catalog, (defs) => {
      if (!runtime) throw new Error("the server is still starting");
      return runtime.checkAll(defs);
    }),
    limits: config.limits,
    logger: apiLogger,
    console: new ConsoleQueries({ store, functions: catalog, changes: orchestrator }),
    consoleDir: consoleDistDir(),
  });
  try {
    await api.listen({ port: config.port, host: config.host });
  } catch (err) {
    await orchestrator.close();
    await store.close();
    throw err;
  }
  const address = api.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const hostForUrl = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${hostForUrl}:${port}`;
  const workers = new Runtime({
    apiEndpoint: url,
    // Function output is for people; a silent server (tests, embedding) keeps it quiet too.
    onLog: config.logLevel === "silent" ? () => undefined : printLogLine,
    maxWorkersPerFunction: WORKERS_PER_FUNCTION,
  });
  runtime = workers;
  await orchestrator.start({ url });
  const gateway = new Gateway({
    service: orchestrator,
    triggers: loaded.triggers,
    logger: logger.child({ component: "gateway" }),
    limits: config.limits,
  });
  let gatewayUrl: string | undefined;
  const startGateway = async () => {
    if (gateway.listening || gateway.triggers.length === 0) return;
    const bound = await gateway.listen(config.httpPort, config.host).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "EADDRINUSE") throw err;
      throw new Error(
        `HTTP port ${config.httpPort} is in use (the gateway for the template's HTTP routes); ` +
          "pass --http-port <n>, or 0 for any free port",
      );
    });
    gatewayUrl = `http://${hostForUrl}:${bound}`;
  };
  try {
    await startGateway();
  } catch (err) {
    orchestrator.stop();
    await api.close().catch(() => undefined);
    await workers.close();
    await orchestrator.close();
    await store.close();
    throw err;
  }
  const reloader = new HotReloader({
    source: config.source,
    parameterOverrides: config.parameterOverrides,
    registry: catalog,
    check: (defs) => workers.checkAll(defs),
    warm: (defs) => workers.keepCheckerWarm(defs),
    onTriggers: async (triggers) => {
      gateway.setTriggers(triggers);
      await startGateway();
    },
    onReload: (result) => {
      // Whoever passed a hook prints the outcome (the CLI, for people); otherwise it is logged.
      if (hooks.onReload) return hooks.onReload(result);
      if (!result.ok)
        logger.error({ error: result.error }, "reload failed; the previous functions keep serving");
      for (const r of result.ok ? result.rejected : []) {
        logger.error(
          { function: r.name, error: r.error },
          "changed code does not load; the previous version keeps serving",
        );
      }
    },
  });
  if (config.watch) reloader.watch(loaded.functions);
  // Versions no execution within retention needs, and code nothing references, are collected at
  // start and then hourly (retention is counted in days; purges happen through due work).
  const collect = () =>
    void catalog
      .collect({ using: (dir) => workers.usesCodeDir(dir), release: (dir) => workers.releaseCodeDir(dir) })
      .catch((err: unknown) => logger.warn({ err }, "collecting old versions failed"));
  collect();
  const collector = setInterval(collect, COLLECT_INTERVAL_MS).unref();

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    host: config.host,
    get gatewayUrl() {
      return gatewayUrl;
    },
    get httpTriggers() {
      return gateway.triggers;
    },
    databaseFile: config.databaseFile,
    database:
      config.database.kind === "sqlite"
        ? { kind: "sqlite", file: config.database.file }
        : { kind: "postgres", url: config.database.display },
    nodeId,
    functions: catalog.list(),
    published,
    registry: catalog,
    warnings: loaded.warnings,
    orchestrator,
    runtime: workers,
    reload: () => reloader.reload(),
    close() {
      closing ??= (async () => {
        reloader.close();
        clearInterval(collector);
        orchestrator.stop(); // answers held-open sync Invokes so that the api can close
        await gateway.close();
        await api.close().catch(() => undefined);
        await workers.close();
        await orchestrator.close();
        await store.close();
      })();
      return closing;
    },
  };
}

function openStore(database: DatabaseConfig): Promise<Store> {
  return database.kind === "sqlite"
    ? openSqliteStore({ file: database.file })
    : openPostgresStore({ url: database.url });
}

/** Readable in logs and in the `nodes` table, unique per start (a restarted node is a new node). */
function newNodeId(): string {
  const host =
    os
      .hostname()
      .replace(/[^A-Za-z0-9.-]/g, "")
      .slice(0, 40) || "node";
  return `${host}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

function printLogLine(line: LogLine): void {
  const tag = line.requestId ? `${line.functionName} ${line.requestId.slice(0, 8)}` : line.functionName;
  (line.stream === "stderr" ? process.stderr : process.stdout).write(`[${tag}] ${line.line}\n`);
}
