// Checkpoint-token fencing and ClientToken replays (spec §1.5).
import { BASE64_PATTERN, INVALID_CHECKPOINT_TOKEN } from "@dormouse/protocol";
import { describe, expect, it } from "vitest";
import { checkpoint } from "./checkpoint.js";
import { getState } from "./state-view.js";
import {
  Run,
  World,
  expectBatchRejected,
  expectInvalidParameter,
  expectInvalidToken,
  upd,
} from "./test-support.js";
import { decodeToken, encodeToken } from "./tokens.js";

describe("token shape", () => {
  it("round-trips and matches the wire pattern", () => {
    const token = encodeToken({ epoch: 3, tokenSeq: 7, nonce: "c2VjcmV0LTEtbm9uY2U=" });
    expect(token).toMatch(BASE64_PATTERN);
    expect(decodeToken(token)).toEqual({ epoch: 3, seq: 7, nonce: "c2VjcmV0LTEtbm9uY2U=" });
  });

  it.each(["", "!!!", "AAAA", "a b", "x".repeat(2049), Buffer.from("1.2").toString("base64")])(
    "undecodable %#",
    (t) => {
      expect(decodeToken(t)).toBeUndefined();
    },
  );

  it("every token handed out is base64 and at most 2048 characters", () => {
    const run = Run.running();
    const tokens = [run.token];
    for (let i = 0; i < 3; i++) tokens.push(run.checkpoint([]).CheckpointToken!);
    for (const t of tokens) {
      expect(t).toMatch(BASE64_PATTERN);
      expect(t.length).toBeLessThanOrEqual(2048);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});

describe("checkpoint fencing → 'Invalid Checkpoint Token…'", () => {
  it("a consumed token", () => {
    const run = Run.running();
    const first = run.token;
    run.checkpoint([]);
    expectInvalidToken(() => run.checkpoint([], { token: first }));
  });

  it("a stale token from an older invocation (even its newest one)", () => {
    const run = Run.running();
    run.checkpoint([upd("WAIT", "START", "w", { WaitOptions: { WaitSeconds: 1 } })]);
    const old = run.token;
    run.returns({ Status: "PENDING" });
    // No invocation active.
    expectInvalidToken(() => run.checkpoint([], { token: old }));
    run.fire("wait", "w");
    run.begin();
    expectInvalidToken(() => run.checkpoint([], { token: old }));
    run.checkpoint([]);
  });

  it("the older invocation's tokens stay dead after a crash and re-invoke", () => {
    const run = Run.running();
    const old = run.token;
    run.crashes();
    run.begin();
    expectInvalidToken(() => run.checkpoint([], { token: old }));
  });

  it.each([
    ["garbage", "!!!not-base64"],
    ["base64 of nonsense", Buffer.from("hello world").toString("base64")],
    ["a forged future sequence", ""],
  ])("%s", (name, token) => {
    const run = Run.running();
    const forged =
      name === "a forged future sequence"
        ? encodeToken({ epoch: run.lease!.epoch, tokenSeq: 5, nonce: run.lease!.nonce })
        : token;
    expectInvalidToken(() => run.checkpoint([], { token: forged }));
  });

  it("a token of another execution", () => {
    const world = new World();
    const a = Run.running(world);
    const b = Run.running(world);
    expect(a.lease!.epoch).toBe(b.lease!.epoch);
    expectInvalidToken(() => a.checkpoint([], { token: b.token }));
  });

  it("after a stop or an execution timeout", () => {
    const stopped = Run.running();
    stopped.stop();
    expectInvalidToken(() => stopped.checkpoint([upd("STEP", "START", "s")]));

    const timedOut = Run.running();
    timedOut.fire("execution-timeout");
    expectInvalidToken(() => timedOut.checkpoint([]));
  });

  it("the token check comes before validation", () => {
    const run = Run.running();
    const old = run.token;
    run.checkpoint([]);
    expectInvalidToken(() => run.checkpoint([upd("WAIT", "SUCCEED", "w")], { token: old }));
  });

  it("a rejected batch does not consume the token", () => {
    const run = Run.running();
    expectBatchRejected(run, [upd("WAIT", "SUCCEED", "w")]);
    run.checkpoint([]);
  });

  it("the message begins with the exact prefix", () => {
    const run = Run.running();
    const err = expectInvalidToken(() => run.checkpoint([], { token: "AAAA" }));
    expect(err.message.slice(0, INVALID_CHECKPOINT_TOKEN.length)).toBe("Invalid Checkpoint Token");
  });
});

describe("getState tokens", () => {
  it("accepts any token of the active invocation", () => {
    const run = Run.running();
    const initial = run.token;
    run.checkpoint([upd("STEP", "START", "s")]);
    const middle = run.token;
    run.checkpoint([]);
    for (const t of [initial, middle, run.token]) {
      expect(getState(run.state, t, undefined, 0).operations.map((o) => o.Id)).toEqual([
        run.exec.executionOpId,
        "s",
      ]);
    }
    // A token from the future of this chain was never issued.
    const forged = encodeToken({ epoch: run.lease!.epoch, tokenSeq: 99, nonce: run.lease!.nonce });
    expectInvalidToken(() => getState(run.state, forged, undefined, 0));
  });

  it("rejects tokens of older invocations, garbage, and tokens after a stop", () => {
    const run = Run.running();
    const old = run.token;
    run.crashes();
    expectInvalidToken(() => getState(run.state, old, undefined, 0));
    run.begin();
    expectInvalidToken(() => getState(run.state, old, undefined, 0));
    expectInvalidToken(() => getState(run.state, "%%%", undefined, 0));
    const current = run.token;
    run.stop();
    expectInvalidToken(() => getState(run.state, current, undefined, 0));
  });

  it("does not consume tokens", () => {
    const run = Run.running();
    getState(run.state, run.token, undefined, 0);
    run.checkpoint([]);
  });
});

describe("ClientToken replays", () => {
  const updates = [upd("STEP", "START", "s"), upd("STEP", "SUCCEED", "s", { Payload: "1" })];
  const body = JSON.stringify(updates);

  it("returns the identical stored response without a new decision", () => {
    const run = Run.running();
    const token = run.token;
    const first = run.checkpoint(updates, { clientToken: "ct-1", bodyHash: body });
    const events = run.history.length;
    const replay = checkpoint(run.state, { token, updates, clientToken: "ct-1", bodyHash: body }, run.ctx);
    expect(replay.decision).toBeUndefined();
    expect(replay.response).toEqual(first);
    expect(replay.response.CheckpointToken).toBe(first.CheckpointToken);
    expect(run.history).toHaveLength(events);
    // The token the original request returned is still the live one.
    run.checkpoint([]);
  });

  it("works even after the next checkpoint consumed the returned token", () => {
    const run = Run.running();
    const token = run.token;
    const first = run.checkpoint(updates, { clientToken: "ct-1", bodyHash: body });
    run.ctx.advance(1000);
    const replay = checkpoint(run.state, { token, updates, clientToken: "ct-1", bodyHash: body }, run.ctx);
    expect(replay.response).toEqual(first);
  });

  it("same ClientToken and token with another body → 400 (not a token error)", () => {
    const run = Run.running();
    const token = run.token;
    run.checkpoint(updates, { clientToken: "ct-1", bodyHash: body });
    const err = expectInvalidParameter(() =>
      checkpoint(run.state, { token, updates: [], clientToken: "ct-1", bodyHash: "[]" }, run.ctx),
    );
    expect(err.message.startsWith(INVALID_CHECKPOINT_TOKEN)).toBe(false);
  });

  it("a ClientToken with a different (consumed) CheckpointToken is not a replay", () => {
    const run = Run.running();
    const t1 = run.token;
    run.checkpoint([]);
    run.checkpoint(updates, { clientToken: "ct-2", bodyHash: body });
    expectInvalidToken(() =>
      checkpoint(run.state, { token: t1, updates, clientToken: "ct-2", bodyHash: body }, run.ctx),
    );
  });

  it("a new ClientToken with the consumed token is rejected as a stale token", () => {
    const run = Run.running();
    const token = run.token;
    run.checkpoint(updates, { clientToken: "ct-1", bodyHash: body });
    expectInvalidToken(() =>
      checkpoint(run.state, { token, updates, clientToken: "ct-9", bodyHash: body }, run.ctx),
    );
  });

  it("expires after the ClientToken window", () => {
    const run = Run.running();
    const token = run.token;
    run.checkpoint(updates, { clientToken: "ct-1", bodyHash: body });
    run.ctx.advance(run.ctx.limits.clientTokenWindowSeconds * 1000 + 1);
    expectInvalidToken(() =>
      checkpoint(run.state, { token, updates, clientToken: "ct-1", bodyHash: body }, run.ctx),
    );
  });
});
