// The `dormouse` binary end to end: a real `dormouse dev` process on the hello example (real
// SQLite file, real worker processes) driven by real `dormouse` client processes.
import { execFile, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_STORE, testDatabase } from "../support/harness.js";
import type { TestDatabase } from "../support/harness.js";
import { stopProcess } from "../support/dormouse-cli.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = path.join(ROOT, "packages/cli/bin/dormouse.js");

interface DevServer {
  child: ChildProcess;
  url: string;
  /** Resolves with the first match of `pattern` in the server's stdout (now or later). */
  waitForOutput(pattern: RegExp): Promise<RegExpMatchArray>;
}

let dataDir: string;
let database: TestDatabase | undefined;
let server: DevServer;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "dormouse-cli-e2e-"));
  database = await testDatabase();
  server = await startDev([
    ...["--template", "examples/hello/template.yaml", "--port", "0", "--data", dataDir],
    ...(database.url !== undefined ? ["--database", database.url] : []),
  ]);
});

afterAll(async () => {
  try {
    if (server) expect(await stopProcess(server.child)).toBe(0);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await database?.drop();
  }
});

describe("dormouse CLI against dormouse dev", () => {
  it("says in its banner where the data is kept", async () => {
    const [, data] = await server.waitForOutput(/^ {2}Data: +(.+)$/m);
    if (TEST_STORE === "postgres") expect(data).toBe(`${database!.url!} (PostgreSQL)`);
    else expect(data).toBe(path.join(dataDir, "dormouse.db"));
  });

  it("invokes greeter and lists its execution", async () => {
    // The endpoint from the environment here, from the flag below: both ways are supported.
    const invoked = await dormouse(["invoke", "greeter", "--payload", '{"name":"Ada"}'], {
      DORMOUSE_ENDPOINT: server.url,
    });
    expect(invoked.code, invoked.stderr).toBe(0);
    expect(invoked.stdout).toContain("Hello, Ada!");
    const arn = /^execution:\s+(\S+)$/m.exec(invoked.stdout)?.[1];
    expect(arn).toMatch(/^arn:aws:lambda:[^:]+:\d{12}:function:greeter:\$LATEST\/durable-execution\//);

    const listed = await dormouse(["executions", "list", "greeter", "--json", "--endpoint", server.url]);
    expect(listed.code, listed.stderr).toBe(0);
    const body = JSON.parse(listed.stdout) as { DurableExecutions: Record<string, unknown>[] };
    expect(body.DurableExecutions).toHaveLength(1);
    expect(body.DurableExecutions[0]).toMatchObject({ DurableExecutionArn: arn, Status: "SUCCEEDED" });
  });

  it("completes the approval callback the function printed", async () => {
    const env = { DORMOUSE_ENDPOINT: server.url };
    const start = ["invoke", "approval", "--payload", '{"request":"a bike"}', "--name", "bike-1"];
    const started = await dormouse([...start, "--async"], env);
    expect(started.code, started.stderr).toBe(0);
    const arn = started.stdout.trim();

    const [, callbackId] = await server.waitForOutput(/dormouse callback succeed (\S+)/);
    const sent = await dormouse(
      ["callback", "succeed", callbackId!, "--result", '{"approved":true,"by":"e2e"}'],
      env,
    );
    expect(sent.code, sent.stderr).toBe(0);

    // Invoking again with the same name and payload waits for that execution's outcome (§1.3).
    const finished = await dormouse(start, env);
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stdout).toContain(`execution: ${arn}`);
    expect(finished.stdout).toMatch(/"approved":true,"by":"e2e"/);

    const history = await dormouse(["executions", "history", arn, "--json"], env);
    const types = (JSON.parse(history.stdout) as { Events: { EventType: string }[] }).Events.map(
      (e) => e.EventType,
    );
    expect(types).toContain("CallbackSucceeded");
    expect(types.at(-1)).toBe("ExecutionSucceeded");
  });

  it("reports a missing function by its AWS error name with exit code 1", async () => {
    const result = await dormouse(["executions", "list", "no-such-function"], {
      DORMOUSE_ENDPOINT: server.url,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: ResourceNotFoundException: /);
  });
});

describe("dormouse start --database", () => {
  const start = (extra: string[], env: Record<string, string> = {}) =>
    dormouse(
      [
        "start",
        "--template",
        "examples/hello/template.yaml",
        "--port",
        "0",
        "--data",
        path.join(dataDir, "start"),
        ...extra,
      ],
      env,
    );

  it("refuses a database URL that is not PostgreSQL, naming where it came from, with exit code 2", async () => {
    const result = await start([], { DORMOUSE_DATABASE_URL: "mysql://root:hunter2@127.0.0.1/x" });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: DORMOUSE_DATABASE_URL: expected a PostgreSQL URL/);
    expect(result.stderr).not.toContain("hunter2");
  });

  it("reports an unreachable PostgreSQL in one line naming its address, without the password", async () => {
    // Nothing listens on port 1 of the loopback address: the connection is refused at once.
    const result = await start(["--database", "postgres://dormouse:hunter2@127.0.0.1:1/dormouse"]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^error: cannot connect to PostgreSQL at 127\.0\.0\.1:1 \(database "dormouse", user "dormouse"\): .*ECONNREFUSED/,
    );
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).not.toContain("hunter2");
  });
});

async function startDev(args: string[]): Promise<DevServer> {
  const child = spawn(process.execPath, [BIN, "dev", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const check of waiters) check();
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.on("exit", () => {
    for (const check of waiters) check();
  });

  const waitForOutput = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(stdout);
        if (match) {
          waiters.delete(check);
          resolve(match);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          waiters.delete(check);
          reject(
            new Error(
              `dormouse dev exited before printing ${pattern}\nstdout:\n${stdout}\nstderr:\n${stderr}`,
            ),
          );
        }
      };
      waiters.add(check);
      check();
    });

  try {
    const [, url] = await waitForOutput(/Lambda API: (http:\/\/\S+)/);
    return { child, url: url!, waitForOutput };
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
}

function dormouse(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
