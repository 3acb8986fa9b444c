// Checkpoint tokens and batches over raw HTTP (spec §1.5, §3.3, §3.7; DESIGN invariant 3). The
// `tokenspy` fixture writes each invocation's real token to a file and can hold the invocation
// before the SDK runs, so the test can use the newest token of an active invocation, and keep it
// after the invocation ends.
import fs from "node:fs";
import path from "node:path";
import { SendDurableExecutionCallbackSuccessCommand } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, history, startTestServer, tempDir, waitForEvent } from "../support/harness.js";
import type { TestServer } from "../support/harness.js";
import {
  callbackIdOf,
  eventsOf,
  executionPath,
  expectAwsError,
  finished,
  raw,
  startAsync,
} from "../support/e2e.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const STEP_ID = "c4ca4238a0b92382";
const tokensIn = (dir: string) => fs.readFileSync(path.join(dir, "tokens.txt"), "utf8").trim().split("\n");
const held = (dir: string, n: number) =>
  eventually(`invocation ${n} to be held`, async () =>
    fs.existsSync(path.join(dir, `held-${n}`)) ? true : undefined,
  );
const release = (dir: string, n: number) => fs.writeFileSync(path.join(dir, `go-${n}`), "");

const getState = (arn: string, token: string) =>
  raw(t.url, "GET", executionPath(arn, `/state?CheckpointToken=${encodeURIComponent(token)}`));
const checkpoint = (arn: string, body: Record<string, unknown>) =>
  raw(t.url, "POST", executionPath(arn, "/checkpoint"), { body: JSON.stringify(body) });

/** Both data-plane calls refuse `token` with the exact prefix the SDKs key on. */
async function expectTokenRefused(arn: string, token: string): Promise<void> {
  for (const res of [
    await getState(arn, token),
    await checkpoint(arn, { CheckpointToken: token, Updates: [] }),
  ]) {
    expectAwsError(res, 400, "InvalidParameterValueException");
    expect(res.json?.message).toMatch(/^Invalid Checkpoint Token/);
  }
}

/** Batches that are each invalid somewhere after a valid first update: all-or-nothing. */
const INVALID_BATCHES: [string, Record<string, unknown>[], string][] = [
  [
    "an unknown action",
    [
      { Id: STEP_ID, Type: "STEP", SubType: "Step", Action: "START", Name: "a" },
      { Id: "c81e728d9d4c2f63", Type: "STEP", Action: "JUMP" },
    ],
    "Updates[1].Action",
  ],
  [
    "a wait of 0 seconds",
    [
      { Id: STEP_ID, Type: "STEP", SubType: "Step", Action: "START", Name: "a" },
      {
        Id: "c81e728d9d4c2f63",
        Type: "WAIT",
        SubType: "Wait",
        Action: "START",
        WaitOptions: { WaitSeconds: 0 },
      },
    ],
    "Wait",
  ],
  [
    "a parent that does not exist",
    [
      { Id: STEP_ID, Type: "STEP", SubType: "Step", Action: "START", Name: "a" },
      {
        Id: "c81e728d9d4c2f63",
        ParentId: "ffffffffffffffff",
        Type: "STEP",
        SubType: "Step",
        Action: "START",
      },
    ],
    "parent",
  ],
  [
    "the SDK completing its own callback",
    [
      { Id: STEP_ID, Type: "STEP", SubType: "Step", Action: "START", Name: "a" },
      { Id: "eccbc87e4b5ce2fe", Type: "CALLBACK", SubType: "Callback", Action: "SUCCEED", Payload: "1" },
    ],
    "Invalid action",
  ],
];

describe("checkpoint tokens", () => {
  it("refuses garbage, forged, stale and consumed tokens; invalid batches leave nothing behind", async () => {
    const dir = tempDir("dormouse-tokenspy-");
    const arn = await startAsync(t.client, "tokenspy", { dir, hold: true, manualInvocation: 1 });
    await held(dir, 1);
    const [token1] = tokensIn(dir) as [string];

    // Invocation 1 is active and token1 is its newest token: state reads work with it.
    const state = await getState(arn, token1);
    expect(state.status).toBe(200);
    const ops = state.json!.Operations as { Type: string; ExecutionDetails?: { InputPayload?: string } }[];
    expect(ops.map((o) => o.Type)).toEqual(["EXECUTION"]);
    expect(JSON.parse(ops[0]!.ExecutionDetails!.InputPayload!)).toEqual({
      dir,
      hold: true,
      manualInvocation: 1,
    });

    // Tokens that were never issued, including a variant of the real one.
    for (const garbage of ["!!!", "A".repeat(2049), Buffer.from("forged").toString("base64"), `${token1}A`]) {
      await expectTokenRefused(arn, garbage);
    }

    // Invalid batches with the valid token: 400 naming the problem, and nothing applied.
    for (const [what, updates, message] of INVALID_BATCHES) {
      const res = await checkpoint(arn, { CheckpointToken: token1, Updates: updates });
      expectAwsError(res, 400, "InvalidParameterValueException");
      expect(res.json?.message, what).toContain(message);
      expect(res.json?.message, what).not.toMatch(/^Invalid Checkpoint Token/);
    }
    expect(((await getState(arn, token1)).json!.Operations as unknown[]).length).toBe(1);
    expect((await history(t.client, arn)).map((e) => e.EventType)).toEqual(["ExecutionStarted"]);

    // token1 was not consumed by the rejected batches: a valid checkpoint with it goes through.
    const request = {
      CheckpointToken: token1,
      ClientToken: "e2e-client-token-1",
      Updates: [
        { Id: "manual-step", Type: "STEP", SubType: "Step", Action: "START", Name: "manual" },
        {
          Id: "manual-step",
          Type: "STEP",
          SubType: "Step",
          Action: "SUCCEED",
          Name: "manual",
          Payload: "42",
        },
      ],
    };
    const first = await checkpoint(arn, request);
    expect(first.status).toBe(200);
    const next = first.json!.CheckpointToken as string;
    expect(next).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(next).not.toBe(token1);
    expect(first.json!.NewExecutionState).toMatchObject({
      Operations: [{ Id: "manual-step", Status: "SUCCEEDED", StepDetails: { Attempt: 1, Result: "42" } }],
    });
    // A retry with the same ClientToken gets the same answer; a different body with it does not.
    const retry = await checkpoint(arn, request);
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual(first.json);
    expectAwsError(await checkpoint(arn, { ...request, Updates: [] }), 400, "InvalidParameterValueException");
    // token1 is consumed now: no more checkpoints with it, though state reads of the active
    // invocation still accept it (spec §1.5(5)).
    const consumed = await checkpoint(arn, { CheckpointToken: token1, Updates: [] });
    expectAwsError(consumed, 400, "InvalidParameterValueException");
    expect(consumed.json?.message).toMatch(/^Invalid Checkpoint Token/);
    expect(((await getState(arn, token1)).json!.Operations as unknown[]).length).toBe(2);

    // Invocation 1 ends with a function error; the server retries with invocation 2, and every
    // token of invocation 1 is dead.
    release(dir, 1);
    await held(dir, 2);
    const token2 = tokensIn(dir)[1]!;
    await expectTokenRefused(arn, token1);
    await expectTokenRefused(arn, next);
    expect((await getState(arn, token2)).status).toBe(200);

    // Invocation 2 runs the SDK up to its callback and ends; its token dies with it.
    release(dir, 2);
    const id = await callbackIdOf(t.client, arn);
    await waitForEvent(t.client, arn, (e) => e.EventType === "InvocationCompleted" && e.EventId! > 4);
    await expectTokenRefused(arn, token2);

    // Invocation 3: a token of an earlier invocation while a newer one is active.
    await t.client.send(
      new SendDurableExecutionCallbackSuccessCommand({
        CallbackId: id,
        Result: new TextEncoder().encode('"ok"'),
      }),
    );
    await held(dir, 3);
    const token3 = tokensIn(dir)[2]!;
    await expectTokenRefused(arn, token2);
    // State pages in start order, EXECUTION first, with markers that lead through all of it.
    const full = (await getState(arn, token3)).json!.Operations as { Id: string; Type: string }[];
    expect(full.map((o) => o.Type)).toEqual(["EXECUTION", "STEP", "CONTEXT", "CALLBACK", "STEP"]);
    const paged: { Id: string }[] = [];
    let marker: string | undefined;
    do {
      const q = `/state?CheckpointToken=${encodeURIComponent(token3)}&MaxItems=2${marker ? `&Marker=${encodeURIComponent(marker)}` : ""}`;
      const res = await raw(t.url, "GET", executionPath(arn, q));
      expect(res.status).toBe(200);
      paged.push(...(res.json!.Operations as { Id: string }[]));
      marker = res.json!.NextMarker as string | undefined;
    } while (marker);
    expect(paged.map((o) => o.Id)).toEqual(full.map((o) => o.Id));
    release(dir, 3);

    const { execution, events } = await finished(t.client, arn);
    expect(execution.Status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.Result!)).toEqual({ approval: '"ok"' });
    expect(events.slice(1, 3).map((e) => `${e.EventType}:${e.Name}`)).toEqual([
      "StepStarted:manual",
      "StepSucceeded:manual",
    ]);
    const invocations = eventsOf(events, "InvocationCompleted");
    expect(invocations).toHaveLength(3);
    expect(invocations[0]!.InvocationCompletedDetails?.Error?.Payload?.ErrorMessage).toBe(
      "invocation 1 was driven by the test",
    );
    for (const later of invocations.slice(1)) expect(later.InvocationCompletedDetails?.Error).toBeUndefined();
    expect(new Set(tokensIn(dir)).size).toBe(3);

    // After the end, no token works.
    await expectTokenRefused(arn, token3);
  });
});
