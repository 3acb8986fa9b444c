// Three Dormouse nodes (real server processes with real workers) on one PostgreSQL database: they
// start together, share the work, answer for each other, and survive one of them being killed with
// kill -9 in the middle of invocations (docs/decisions/0004-cluster.md).
import {
  GetDurableExecutionCommand,
  InvokeCommand,
  ListAliasesCommand,
  ListDurableExecutionsByFunctionCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  SendDurableExecutionCallbackSuccessCommand,
} from "@aws-sdk/client-lambda";
import type { Event, LambdaClient } from "@aws-sdk/client-lambda";
import type { ScratchDatabase } from "@dormouse/store";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, tempDir } from "../support/harness.js";
import { groupMembers, stopAllServers } from "../support/processes.js";
import {
  type ClusterNode,
  closeNodes,
  historyOf,
  pick,
  readLedger,
  recordedPid,
  scratchDatabase,
  sseMessages,
  startAsync,
  startNodes,
} from "./helpers.js";
import { removeDir } from "../crash/helpers.js";

const LONG_MS = 60_000;
const decoder = new TextDecoder();

let database: ScratchDatabase;
let nodes: ClusterNode[];
const ledgerDir = tempDir("dormouse-cluster-ledger-");

beforeAll(async () => {
  database = await scratchDatabase();
  nodes = await startNodes(3, database.url);
}, 120_000);

afterAll(async () => {
  try {
    await stopAllServers();
  } finally {
    closeNodes(nodes ?? []);
    removeDir(ledgerDir);
    await database?.drop();
  }
});

const clients = () => nodes.map((n) => n.client);

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

describe("a cluster of three nodes on one PostgreSQL database", () => {
  it("migrates the schema and publishes the template once, however many nodes start together", async () => {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ version: number; n: string }>(
        "SELECT version, count(*) AS n FROM schema_migrations GROUP BY version ORDER BY version",
      );
      expect(rows.length).toBeGreaterThanOrEqual(3);
      expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
      const live = await admin.query<{ node_id: string }>("SELECT node_id FROM nodes ORDER BY node_id");
      expect(live.rows.map((r) => r.node_id)).toEqual(nodes.map((n) => n.server.nodeId).sort());
    } finally {
      await admin.end();
    }
    for (const client of clients()) {
      const versions = await client.send(new ListVersionsByFunctionCommand({ FunctionName: "mixed" }));
      expect(versions.Versions?.map((v) => v.Version)).toEqual(["$LATEST", "1"]);
      const aliases = await client.send(new ListAliasesCommand({ FunctionName: "mixed" }));
      expect(aliases.Aliases?.map((a) => [a.Name, a.FunctionVersion])).toEqual([["live", "1"]]);
    }
  });

  it("shows a version published on one node on the others", async () => {
    const published = await nodes[0]!.client.send(new PublishVersionCommand({ FunctionName: "child" }));
    expect(published.Version).toBe("1");
    for (const client of clients().slice(1)) {
      await eventually("version 1 of child on every node", async () => {
        const out = await client.send(new ListVersionsByFunctionCommand({ FunctionName: "child" }));
        return out.Versions?.some((v) => v.Version === "1") || undefined;
      });
    }
    // Publishing again from another node finds the same code: no second version.
    const again = await nodes[2]!.client.send(new PublishVersionCommand({ FunctionName: "child" }));
    expect(again.Version).toBe("1");
  });

  it("answers a synchronous Invoke on one node when the callback that ends it lands on another", async () => {
    const [a, b, c] = clients();
    const input = { dir: ledgerDir, id: "sync", steps: 1, callback: true };
    const invoked = a!.send(new InvokeCommand({ FunctionName: "mixed", Payload: JSON.stringify(input) }));
    const arn = await eventually("the sync execution", async () => {
      const page = await b!.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: "mixed" }));
      return page.DurableExecutions?.[0]?.DurableExecutionArn;
    });
    const callbackId = await callbackIdOf(b!, arn);
    await c!.send(
      new SendDurableExecutionCallbackSuccessCommand({
        CallbackId: callbackId,
        Result: new TextEncoder().encode(JSON.stringify({ ok: "sync" })),
      }),
    );
    const out = await invoked;
    expect(out.FunctionError).toBeUndefined();
    expect(JSON.parse(decoder.decode(out.Payload))).toEqual({
      id: "sync",
      steps: ["1"],
      approval: JSON.stringify({ ok: "sync" }), // waitForCallback hands back the text as sent
      child: null,
      last: "done",
    });
  });

  it("streams to the console of one node the executions another node changes", async () => {
    const abort = new AbortController();
    const res = await fetch(`${nodes[1]!.server.url}/console-api/stream`, { signal: abort.signal });
    try {
      const stream = sseMessages(res.body!);
      const arn = await startAsync(nodes[2]!.client, "child", { dir: ledgerDir, id: "streamed" });
      const seen = new Set<string>();
      for (;;) {
        const message = await stream.next();
        expect(message, "the stream ended early").toBeDefined();
        if (message!.event !== "execution") continue;
        const summary = JSON.parse(message!.data) as { arn: string; status: string };
        if (summary.arn === arn) seen.add(summary.status);
        if (seen.has("SUCCEEDED")) break;
      }
    } finally {
      abort.abort();
    }
  });

  it("completes a mixed load exactly as one node would while a node is killed mid-invocation", async () => {
    // Steps (each body takes a while, so that invocations are in progress when the node dies),
    // waits, callbacks answered by random nodes, chained invokes; started on every node in turn.
    const shapes = [
      { steps: 4, stepMs: 300 },
      { steps: 2, stepMs: 300, waitSeconds: 2 },
      { steps: 2, stepMs: 300, callback: true },
      { steps: 2, stepMs: 300, child: true },
    ];
    const inputs = Array.from({ length: 15 }, (_, i) => ({
      dir: ledgerDir,
      id: `load-${i}`,
      ...shapes[i % shapes.length]!,
    }));
    const victim = nodes[0]!;
    const survivors = nodes.slice(1);
    const arns = await Promise.all(
      inputs.map((input, i) => startAsync(nodes[i % 3]!.client, "mixed", input)),
    );

    // kill -9 the victim as soon as its workers are running step bodies.
    let victimPids = new Set<number>();
    await eventually(
      "the victim's workers running steps",
      async () => {
        victimPids = new Set(groupMembers(victim.server.pid));
        return (
          readLedger(ledgerDir).some((r) => r.id.startsWith("load-") && victimPids.has(r.pid)) || undefined
        );
      },
      LONG_MS,
      20,
    );
    victimPids = new Set(groupMembers(victim.server.pid));
    victim.server.kill("SIGKILL");
    await victim.server.exited;

    // Callbacks, sent to a random live node once each execution asks for one.
    const callbacks = inputs.flatMap((input, i) =>
      input.callback
        ? [
            (async () => {
              const callbackId = await callbackIdOf(pick(survivors).client, arns[i]!);
              await pick(survivors).client.send(
                new SendDurableExecutionCallbackSuccessCommand({
                  CallbackId: callbackId,
                  Result: new TextEncoder().encode(JSON.stringify({ ok: input.id })),
                }),
              );
            })(),
          ]
        : [],
    );
    await Promise.all(callbacks);

    const finals = await Promise.all(
      arns.map((arn) =>
        eventually(
          `${arn} to finish`,
          async () => {
            const e = await pick(survivors).client.send(
              new GetDurableExecutionCommand({ DurableExecutionArn: arn }),
            );
            return e.Status === "RUNNING" ? undefined : e;
          },
          LONG_MS,
          100,
        ),
      ),
    );
    // Every execution ended as it would have on one node.
    finals.forEach((e, i) => {
      const input = inputs[i]!;
      expect(e.Status, `${input.id}: ${e.Error?.ErrorMessage}`).toBe("SUCCEEDED");
      expect(JSON.parse(e.Result!)).toEqual({
        id: input.id,
        steps: Array.from({ length: input.steps }, (_, k) => String(k + 1)),
        approval: input.callback ? JSON.stringify({ ok: input.id }) : null,
        child: input.child ? { id: `${input.id}.child`, parts: ["a", "b"] } : null,
        last: "done",
      });
    });

    // The histories, the chained targets' included.
    const histories = new Map<string, Event[]>();
    for (const [i, arn] of arns.entries())
      histories.set(inputs[i]!.id, await historyOf(survivors[0]!.client, arn));
    const children = await survivors[1]!.client.send(
      new ListDurableExecutionsByFunctionCommand({ FunctionName: "child", MaxItems: 100 }),
    );
    for (const child of children.DurableExecutions ?? []) {
      const detail = await survivors[0]!.client.send(
        new GetDurableExecutionCommand({ DurableExecutionArn: child.DurableExecutionArn }),
      );
      const id = (JSON.parse(detail.InputPayload ?? "{}") as { id?: string }).id ?? "";
      if (!id.startsWith("load-")) continue;
      expect(detail.Status).toBe("SUCCEEDED");
      histories.set(id, await historyOf(survivors[0]!.client, child.DurableExecutionArn!));
    }
    expect(histories.size).toBe(inputs.length + inputs.filter((i) => i.child).length);

    // A step whose result was recorded never ran again; a step ran twice only when the run before
    // was in a worker of the killed node whose result never made it.
    const ledger = readLedger(ledgerDir).filter((r) => histories.has(r.id));
    for (const [id, events] of histories) {
      for (const done of events.filter((e) => e.EventType === "StepSucceeded")) {
        const runs = ledger.filter((r) => r.id === id && r.step === done.Name).map((r) => r.pid);
        const recorded = recordedPid(done);
        expect(
          runs.at(-1),
          `${id} ${done.Name}: the recorded run is the last one (runs ${runs.join(",")})`,
        ).toBe(recorded);
        for (const pid of runs.slice(0, -1)) {
          expect(victimPids.has(pid), `${id} ${done.Name} ran again after a run in ${pid}`).toBe(true);
        }
      }
      // Each timer fired once, each callback completed once.
      const count = (type: string) => events.filter((e) => e.EventType === type).length;
      expect(count("WaitSucceeded"), id).toBe(count("WaitStarted"));
      expect(count("CallbackSucceeded"), id).toBe(count("CallbackStarted"));
      expect(count("ExecutionSucceeded"), id).toBe(1);
    }
    // The killed node's invocations were taken over once its lease expired (not after the
    // function's 60 s timeout): their histories say so.
    const takenOver = [...histories.values()]
      .flat()
      .filter(
        (e) =>
          e.EventType === "InvocationCompleted" &&
          /^The node running the invocation \(.+\) stopped$/.test(
            e.InvocationCompletedDetails?.Error?.Payload?.ErrorMessage ?? "",
          ),
      );
    expect(takenOver.length).toBeGreaterThan(0);
    // Its workers died with it.
    expect(groupMembers(victim.server.pid)).toEqual([]);
  }, 180_000);
});
