// Fencing (invariant 3): once a later invocation of an execution has started, a checkpoint token of
// an earlier one is refused with the exact "Invalid Checkpoint Token" prefix the SDKs key on, and
// refusing it writes nothing. Also across a kill -9 of the server: the restarted server's recovery
// starts a new invocation, which fences the lost one's tokens.
import fs from "node:fs";
import path from "node:path";
import { SendDurableExecutionCallbackSuccessCommand } from "@aws-sdk/client-lambda";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { history, waitForEvent, waitForStatus } from "../support/harness.js";
import {
  crashSuite,
  LONG_MS,
  TEST_TIMEOUT_MS,
  describeHistory,
  lines,
  ofType,
  startExecution,
  waitForFile,
  TERMINAL,
} from "./helpers.js";

const { dirs, serve } = crashSuite();

/** The tokens the token-recorder fixture saw, one per invocation, once there are `n` of them. */
async function tokens(work: string, n: number): Promise<string[]> {
  const file = path.join(work, "tokens.txt");
  await waitForFile(file, new RegExp(`^(\\S+\\n){${n}}`));
  return lines(file);
}

function stateUrl(url: string, arn: string, token: string): string {
  return `${url}/2025-12-01/durable-executions/${encodeURIComponent(arn)}/state?CheckpointToken=${encodeURIComponent(token)}`;
}

async function postCheckpoint(url: string, arn: string, token: string): Promise<Response> {
  return fetch(`${url}/2025-12-01/durable-executions/${encodeURIComponent(arn)}/checkpoint`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      CheckpointToken: token,
      // Were it accepted, this would record a step the function never ran.
      Updates: [
        { Id: "forged", Type: "STEP", SubType: "Step", Action: "SUCCEED", Name: "forged", Payload: "1" },
      ],
    }),
  });
}

async function expectRefused(response: Response): Promise<void> {
  const text = await response.text();
  expect(response.status, text).toBe(400);
  const body = JSON.parse(text) as { message?: string; Message?: string };
  expect(body.message ?? body.Message).toMatch(/^Invalid Checkpoint Token/);
  expect(response.headers.get("x-amzn-errortype") ?? text).toMatch(/InvalidParameterValueException/);
}

async function finish(client: LambdaClient, work: string, arn: string): Promise<void> {
  fs.writeFileSync(path.join(work, "release"), "");
  const done = await waitForStatus(client, arn, TERMINAL, LONG_MS);
  const events = await history(client, arn);
  expect(done.Status, describeHistory(events)).toBe("SUCCEEDED");
  expect(JSON.parse(done.Result!)).toEqual({ go: "go", held: "released" });
  // The refused checkpoint wrote nothing.
  expect(
    events.filter((e) => e.Name === "forged"),
    describeHistory(events),
  ).toEqual([]);
  expect(ofType(events, "StepSucceeded").filter((e) => e.Name === "hold")).toHaveLength(1);
}

describe("a stale checkpoint token", { timeout: TEST_TIMEOUT_MS }, () => {
  it("is refused once a later invocation has started", async () => {
    const { dataDir, work } = dirs();
    const { server, client } = await serve(dataDir);
    const arn = await startExecution(client, "token-recorder", { dir: work });

    // Invocation 1 parks on the callback and returns PENDING; completing the callback then starts
    // invocation 2, which holds its step open: the newer invocation is the active one while we probe.
    const started = await waitForEvent(client, arn, (e) => e.EventType === "CallbackStarted", LONG_MS);
    await waitForEvent(client, arn, (e) => e.EventType === "InvocationCompleted", LONG_MS);
    const [stale] = await tokens(work, 1);
    await client.send(
      new SendDurableExecutionCallbackSuccessCommand({
        CallbackId: started.CallbackStartedDetails!.CallbackId!,
        Result: new TextEncoder().encode("go"),
      }),
    );
    const [, current] = await tokens(work, 2);
    await waitForEvent(client, arn, (e) => e.EventType === "StepStarted" && e.Name === "hold", LONG_MS);

    // The tokens are real: the active invocation's reads its state, the old one's is refused.
    expect((await fetch(stateUrl(server.url, arn, current!))).status).toBe(200);
    await expectRefused(await fetch(stateUrl(server.url, arn, stale!)));
    await expectRefused(await postCheckpoint(server.url, arn, stale!));

    await finish(client, work, arn);
  });

  it("is refused after a kill -9 and restart, whose recovery starts a new invocation", async () => {
    const { dataDir, work } = dirs();
    const first = await serve(dataDir);
    const arn = await startExecution(first.client, "token-recorder", { dir: work });
    const started = await waitForEvent(first.client, arn, (e) => e.EventType === "CallbackStarted", LONG_MS);
    // Complete the callback only once invocation 1 has returned PENDING; earlier, the SDK would
    // see the result in-process and carry on in invocation 1.
    await waitForEvent(first.client, arn, (e) => e.EventType === "InvocationCompleted", LONG_MS);
    await first.client.send(
      new SendDurableExecutionCallbackSuccessCommand({
        CallbackId: started.CallbackStartedDetails!.CallbackId!,
        Result: new TextEncoder().encode("go"),
      }),
    );
    // Invocation 2 is holding its step when the server dies under it.
    const [, lost] = await tokens(work, 2);
    await waitForEvent(first.client, arn, (e) => e.EventType === "StepStarted" && e.Name === "hold", LONG_MS);
    first.server.kill("SIGKILL");
    expect((await first.server.exited).signal).toBe("SIGKILL");

    const second = await serve(dataDir);
    const [, , current] = await tokens(work, 3);
    expect((await fetch(stateUrl(second.server.url, arn, current!))).status).toBe(200);
    await expectRefused(await fetch(stateUrl(second.server.url, arn, lost!)));
    await expectRefused(await postCheckpoint(second.server.url, arn, lost!));

    await finish(second.client, work, arn);
  });
});
