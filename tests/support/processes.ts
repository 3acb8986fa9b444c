// Real server processes for the crash suites. `spawnServer` starts tests/support/server-process.ts
// in its own process group (so its workers can be accounted for), waits for its READY line and
// hands back the process to kill. `stopAllServers` (call it in afterEach) kills what is still alive
// and fails if any process of a server's group — a worker that outlived its server — remains.
import { spawn } from "node:child_process";
import fs from "node:fs";
import type { ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import readline from "node:readline";
import { pathToFileURL } from "node:url";
import { FIXTURE_TEMPLATE } from "./harness.js";

const SERVER_ENTRY = path.resolve(import.meta.dirname, "server-process.ts");
/** tsx's loader by absolute URL, so the server starts whatever the working directory. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
/** A cold server (tsx compiling the whole tree) on a loaded CI machine can be slow. */
const READY_TIMEOUT_MS = 60_000;
/** Workers leave when their IPC channel closes; give a loaded machine time to reap them. */
const GROUP_EXIT_TIMEOUT_MS = 15_000;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  url: string;
  /** The server's node id (RunningServer.nodeId). */
  nodeId: string;
  pid: number;
  /** Sends `signal` (default SIGKILL, i.e. kill -9) to the server process only, not its workers. */
  kill(signal?: NodeJS.Signals): void;
  /** Resolves when the server process has exited. */
  exited: Promise<Exit>;
  /** Everything the process printed so far (stdout and stderr interleaved), for failure messages. */
  output(): string;
}

export interface SpawnServerOptions {
  dataDir: string;
  /** Extra environment, e.g. `{ DORMOUSE_FAULT_POINTS: "timer:after-fire-commit" }`. */
  env?: Record<string, string>;
  template?: string;
  logLevel?: string;
  /**
   * A PostgreSQL URL to keep the data in instead of the SQLite file in `dataDir` (see
   * harness.ts `testDatabase`; pass the same one to a restarted server).
   */
  database?: string;
  /** PostgreSQL only: the lease TTL of the node (ServerOptions.leaseTtlSeconds). */
  leaseTtlSeconds?: number;
}

interface Tracked {
  child: ChildProcess;
  exited: Promise<Exit>;
  output: () => string;
}

const live = new Set<Tracked>();

export async function spawnServer(opts: SpawnServerOptions): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Armed only when a test says so: a restarted server must never inherit a fault point.
  delete env.DORMOUSE_FAULT_POINTS;
  delete env.DORMOUSE_TEST_LEASE_TTL;
  if (opts.leaseTtlSeconds !== undefined) env.DORMOUSE_TEST_LEASE_TTL = String(opts.leaseTtlSeconds);
  Object.assign(env, opts.env);
  const child = spawn(
    process.execPath,
    [
      "--import",
      TSX_LOADER,
      SERVER_ENTRY,
      opts.template ?? FIXTURE_TEMPLATE,
      opts.dataDir,
      "0",
      opts.logLevel ?? "warn",
      ...(opts.database !== undefined ? [opts.database] : []),
    ],
    { env, stdio: ["pipe", "pipe", "pipe"], detached: true },
  );
  const lines: string[] = [];
  const exited = new Promise<Exit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    child.once("error", () => resolve({ code: null, signal: null }));
  });
  const tracked: Tracked = { child, exited, output: () => lines.join("\n") };
  live.add(tracked);

  const ready = new Promise<{ url: string; nodeId: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server not READY after ${READY_TIMEOUT_MS} ms:\n${tracked.output()}`)),
      READY_TIMEOUT_MS,
    );
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      lines.push(line);
      const m = /^READY (\S+) (\S+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, nodeId: m[2]! });
      }
    });
    readline.createInterface({ input: child.stderr! }).on("line", (line) => lines.push(line));
    void exited.then((e) => {
      clearTimeout(timer);
      reject(new Error(`server exited before READY (${describe(e)}):\n${tracked.output()}`));
    });
  });

  let started: { url: string; nodeId: string };
  try {
    started = await ready;
  } catch (err) {
    await stopServer(tracked);
    throw err;
  }
  return {
    url: started.url,
    nodeId: started.nodeId,
    pid: child.pid!,
    kill(signal = "SIGKILL") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    exited,
    output: tracked.output,
  };
}

/** Kills every server still running and checks that no process of their groups is left. */
export async function stopAllServers(): Promise<void> {
  const stray: string[] = [];
  for (const tracked of [...live]) {
    const left = await stopServer(tracked);
    if (left) stray.push(`server ${tracked.child.pid}: ${left}`);
  }
  if (stray.length > 0) throw new Error(`processes outlived their server:\n${stray.join("\n")}`);
}

/** Returns a description of stray processes (which it then kills), or undefined. */
async function stopServer(tracked: Tracked): Promise<string | undefined> {
  live.delete(tracked);
  const { child } = tracked;
  const pgid = child.pid;
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await tracked.exited;
  if (pgid === undefined) return undefined;
  const deadline = Date.now() + GROUP_EXIT_TIMEOUT_MS;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) {
      process.kill(-pgid, "SIGKILL");
      return `process group ${pgid} still had processes ${GROUP_EXIT_TIMEOUT_MS} ms after the server died`;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

/**
 * Whether a live process is left in the group. On Linux /proc tells zombies apart (an orphaned
 * worker that exited but whose new parent has not reaped it yet is gone for our purposes);
 * elsewhere a signal-0 probe of the group has to do.
 */
function groupAlive(pgid: number): boolean {
  if (process.platform === "linux") return groupMembers(pgid).length > 0;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Live (non-zombie) processes of a process group, from /proc. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // pid (comm) state ppid pgrp ...; comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] !== "Z" && Number(fields[2]) === pgid) members.push(Number(entry));
  }
  return members;
}

/** True while a process with this pid exists (a zombie counts as gone only once reaped). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function describe(e: Exit): string {
  return e.signal ? `signal ${e.signal}` : `code ${String(e.code)}`;
}
