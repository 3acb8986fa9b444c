// The `dormouse` binary as a person runs it: a `dormouse dev` process in the background (real
// SQLite file, real workers) whose output can be awaited, and client commands run one by one.
import { execFile, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { testDatabase } from "./harness.js";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(REPO_ROOT, "packages/cli/bin/dormouse.js");

export interface DevProcess {
  child: ChildProcess;
  /** The Lambda API URL the server printed. */
  url: string;
  /** Resolves with the first match of `pattern` in everything the server printed (now or later). */
  waitForOutput(pattern: RegExp): Promise<RegExpMatchArray>;
  output(): string;
  /** SIGTERM; resolves with the exit code once the process is gone (SIGKILL after 15 s). */
  stop(): Promise<number | null>;
}

/**
 * `dormouse dev <args>` from the repository root; resolves once it prints its API address. On
 * PostgreSQL runs of the suites (DORMOUSE_TEST_STORE=postgres) it gets `--database` with a fresh
 * database, dropped when it stops.
 */
export async function startDev(args: string[]): Promise<DevProcess> {
  const database = await testDatabase();
  const databaseArgs = database.url === undefined ? [] : ["--database", database.url];
  const child = spawn(process.execPath, [BIN, "dev", ...args, ...databaseArgs], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const check of waiters) check();
  };
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    notify();
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    notify();
  });
  child.on("exit", notify);
  const output = () => `stdout:\n${stdout}\nstderr:\n${stderr}`;

  const waitForOutput = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(stdout) ?? pattern.exec(stderr);
        if (match) {
          waiters.delete(check);
          resolve(match);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          waiters.delete(check);
          reject(new Error(`dormouse dev exited before printing ${pattern}\n${output()}`));
        }
      };
      waiters.add(check);
      check();
    });

  const stop = async () => {
    try {
      return await stopProcess(child);
    } finally {
      await database.drop();
    }
  };
  try {
    const [, url] = await waitForOutput(/Lambda API: (http:\/\/\S+)/);
    return { child, url: url!, waitForOutput, output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** SIGTERM, and the exit code once the process is gone (SIGKILL if it does not stop in time). */
export function stopProcess(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", (code) => {
      clearTimeout(kill);
      resolve(code);
    });
    child.kill("SIGTERM");
  });
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one `dormouse` client command from the repository root. */
export function dormouse(args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
