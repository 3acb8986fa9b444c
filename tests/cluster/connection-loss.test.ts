// A node losing its database (docs/decisions/0004-cluster.md): while PostgreSQL is unreachable the
// node refuses API calls with a retryable AWS error (never a hang, never an internal-error page),
// acknowledges nothing it did not commit, and carries on by itself once the database is back.
// The outage is real: the node reaches PostgreSQL through a TCP proxy that the test cuts, or the
// server terminates the node's connections.
import {
  GetDurableExecutionCommand,
  InvokeCommand,
  ListDurableExecutionsByFunctionCommand,
  SendDurableExecutionCallbackSuccessCommand,
} from "@aws-sdk/client-lambda";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { ScratchDatabase } from "@dormouse/store";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir } from "../crash/helpers.js";
import { eventually, tempDir } from "../support/harness.js";
import { stopAllServers } from "../support/processes.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";
import {
  type ClusterNode,
  closeNodes,
  historyOf,
  scratchDatabase,
  startAsync,
  startNodes,
} from "./helpers.js";

const LONG_MS = 60_000;

let database: ScratchDatabase;
let proxy: TcpProxy;
let nodes: ClusterNode[] = [];
const ledgerDir = tempDir("dormouse-outage-ledger-");

beforeAll(async () => {
  database = await scratchDatabase();
  const direct = new URL(database.url);
  proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const viaProxy = new URL(database.url);
  viaProxy.hostname = "127.0.0.1";
  viaProxy.port = String(proxy.port);
  // The first node reaches the database through the proxy, the second directly.
  nodes = [...(await startNodes(1, viaProxy.toString())), ...(await startNodes(1, database.url))];
}, 120_000);

afterAll(async () => {
  try {
    await stopAllServers();
  } finally {
    closeNodes(nodes);
    removeDir(ledgerDir);
    await proxy?.close();
    await database?.drop();
  }
});

async function callbackIdOf(client: LambdaClient, arn: string): Promise<string> {
  return eventually(
    `the callback of ${arn}`,
    async () =>
      (await historyOf(client, arn)).find((e) => e.EventType === "CallbackStarted")?.CallbackStartedDetails
        ?.CallbackId,
    LONG_MS,
    50,
  );
}

/** Runs `call` and returns the AWS error it failed with. */
async function failure(call: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await call;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return {
      name: e.name,
      message: e.message,
      ...(e.$metadata?.httpStatusCode && { status: e.$metadata.httpStatusCode }),
    };
  }
  throw new Error("the call succeeded while the database was unreachable");
}

const approve = (client: LambdaClient, callbackId: string, value: string) =>
  client.send(
    new SendDurableExecutionCallbackSuccessCommand({
      CallbackId: callbackId,
      Result: new TextEncoder().encode(JSON.stringify(value)),
    }),
  );

describe("a node that loses its database", () => {
  it("refuses calls with a retryable error meanwhile, loses nothing it acknowledged, and recovers by itself", async () => {
    const { client } = nodes[0]!;
    const waiting = await startAsync(client, "mixed", {
      dir: ledgerDir,
      id: "waiting",
      steps: 1,
      callback: true,
    });
    const callbackId = await callbackIdOf(client, waiting);
    // In progress when the database goes: its worker's checkpoints fail until it is back.
    const busy = await startAsync(client, "mixed", { dir: ledgerDir, id: "busy", steps: 3, stepMs: 400 });

    await proxy.cut();
    try {
      const retryable = { name: "ServiceException", status: 500 };
      const read = await failure(
        client.send(new GetDurableExecutionCommand({ DurableExecutionArn: waiting })),
      );
      expect(read).toMatchObject(retryable);
      expect(read.message).toMatch(/cannot reach its database right now; the request was not carried out/);
      expect(await failure(approve(client, callbackId, "too early"))).toMatchObject(retryable);
      expect(
        await failure(
          client.send(
            new InvokeCommand({
              FunctionName: "mixed",
              InvocationType: "Event",
              Payload: JSON.stringify({ dir: ledgerDir, id: "refused", steps: 1 }),
            }),
          ),
        ),
      ).toMatchObject(retryable);
    } finally {
      await proxy.restore();
    }

    // Back without a restart: the refused callback, sent again, is taken once.
    await eventually(
      "the node to read its database again",
      async () => {
        try {
          return await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: waiting }));
        } catch {
          return undefined;
        }
      },
      LONG_MS,
      100,
    );
    await approve(client, callbackId, "approved");
    for (const [arn, expected] of [
      [waiting, { id: "waiting", steps: ["1"], approval: '"approved"', child: null, last: "done" }],
      [busy, { id: "busy", steps: ["1", "2", "3"], approval: null, child: null, last: "done" }],
    ] as const) {
      const done = await eventually(
        `${arn} to finish`,
        async () => {
          const e = await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
          return e.Status === "RUNNING" ? undefined : e;
        },
        LONG_MS,
        100,
      );
      expect(done.Status, done.Error?.ErrorMessage).toBe("SUCCEEDED");
      expect(JSON.parse(done.Result!)).toEqual(expected);
    }
    const history = await historyOf(client, waiting);
    expect(history.filter((e) => e.EventType === "CallbackSucceeded")).toHaveLength(1);
    // The Invoke refused during the outage started nothing.
    const listed = await client.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: "mixed" }));
    expect(listed.DurableExecutions?.map((e) => e.DurableExecutionName).length).toBe(2);
  }, 180_000);

  it("carries on when the database terminates every connection of its nodes", async () => {
    const [viaProxy, direct] = nodes;
    const started = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        startAsync((i % 2 === 0 ? viaProxy : direct)!.client, "mixed", {
          dir: ledgerDir,
          id: `terminated-${i}`,
          steps: 3,
          stepMs: 300,
        }),
      ),
    );
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      // Every backend of the database but this one: the pools, and the LISTEN connections.
      const { rows } = await admin.query<{ ok: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      expect(rows.length).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    for (const [i, arn] of started.entries()) {
      const done = await eventually(
        `${arn} to finish`,
        async () => {
          try {
            const e = await direct!.client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
            return e.Status === "RUNNING" ? undefined : e;
          } catch {
            return undefined; // a call that met a terminated connection: retried, as a client would
          }
        },
        LONG_MS,
        100,
      );
      expect(done.Status, done.Error?.ErrorMessage).toBe("SUCCEEDED");
      expect(JSON.parse(done.Result!)).toMatchObject({ id: `terminated-${i}`, steps: ["1", "2", "3"] });
    }
    // Both nodes serve new work afterwards, and answer for each other's executions.
    const after = await startAsync(viaProxy!.client, "child", { dir: ledgerDir, id: "after" });
    await eventually(
      "the execution started after the termination to finish",
      async () => {
        const e = await direct!.client.send(new GetDurableExecutionCommand({ DurableExecutionArn: after }));
        return e.Status === "SUCCEEDED" ? e : undefined;
      },
      LONG_MS,
      100,
    );
  }, 180_000);
});
