import type { Event } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { describeProgress } from "./progress.js";
import type { StageState } from "./progress.js";

/** Histories shaped like the ones Dormouse records for the workflow (ids shortened). */
function history() {
  const events: Event[] = [];
  const add = (EventType: string, Id: string, extra: Partial<Event> = {}) =>
    events.push({ EventId: events.length + 1, EventType, Id, ...extra } as Event);
  const step = (id: string, name: string, result: unknown, parent?: string) => {
    add("StepStarted", id, { Name: name, SubType: "Step", ...(parent ? { ParentId: parent } : {}) });
    add("StepSucceeded", id, {
      Name: name,
      SubType: "Step",
      ...(parent ? { ParentId: parent } : {}),
      StepSucceededDetails: { Result: { Payload: JSON.stringify(result) } },
    } as Partial<Event>);
  };
  const api = {
    events,
    started: () => (add("ExecutionStarted", "exec"), api),
    validated: (ok = true) => (step("v", "validate-application", { ok }), api),
    creditChecks: (reported = 3) => {
      add("ContextStarted", "cc", { Name: "credit-checks", SubType: "Parallel" });
      for (const [i, b] of ["equifax", "transunion", "experian"].entries()) {
        add("ContextStarted", `b${i}`, { Name: b, SubType: "ParallelBranch", ParentId: "cc" });
        if (i < reported) step(`s${i}`, `${b}-report`, { score: 700 }, `b${i}`);
      }
      if (reported === 3) add("ContextSucceeded", "cc", { Name: "credit-checks", SubType: "Parallel" });
      return api;
    },
    decided: (outcome: string) => (step("d", "decide", { outcome, reason: "above the threshold" }), api),
    callbackStarted: (name: string, ctx: string, callbackId: string) => {
      add("ContextStarted", ctx, { Name: name, SubType: "WaitForCallback" });
      add("CallbackStarted", `${ctx}-cb`, {
        ParentId: ctx,
        SubType: "Callback",
        CallbackStartedDetails: { CallbackId: callbackId },
      } as Partial<Event>);
      step(`${ctx}-submit`, "", null, ctx);
      add("InvocationCompleted", undefined as unknown as string);
      return api;
    },
    callbackSucceeded: (name: string, ctx: string) => {
      add("CallbackSucceeded", `${ctx}-cb`, { ParentId: ctx, SubType: "Callback" });
      add("ContextSucceeded", ctx, { Name: name, SubType: "WaitForCallback" });
      return api;
    },
    finished: () => (step("fin", "finalize", {}), add("ExecutionSucceeded", "exec"), api),
  };
  return api;
}

const states = (events: Event[]) =>
  Object.fromEntries(describeProgress(events).stages.map((s) => [s.key, s.state])) as Record<
    string,
    StageState
  >;

describe("describeProgress", () => {
  it("starts with everything pending", () => {
    const p = describeProgress(history().started().events);
    expect(p.stages.map((s) => s.state)).toEqual(Array(6).fill("pending"));
    expect(p.waitingFor).toBeNull();
  });

  it("counts the bureaus while the parallel runs", () => {
    const p = describeProgress(history().started().validated().creditChecks(1).events);
    expect(p.stages.find((s) => s.key === "credit-checks")).toMatchObject({
      state: "active",
      detail: "1/3 bureaus",
    });
  });

  it("waits for the manager, and hands the API the callback to answer", () => {
    const h = history().started().validated().creditChecks().decided("manager-review");
    h.callbackStarted("manager-approval", "m", "cb-manager");
    const p = describeProgress(h.events);
    expect(states(h.events)).toEqual({
      validate: "done",
      "credit-checks": "done",
      decide: "done",
      manager: "waiting",
      "fraud-check": "pending",
      complete: "pending",
    });
    expect(p.waitingFor).toBe("manager");
    expect(p.managerCallbackId).toBe("cb-manager");
    expect(p.stages.find((s) => s.key === "decide")?.detail).toBe("manager-review");
    expect(p.assessment).toEqual({ outcome: "manager-review", reason: "above the threshold" });
  });

  it("moves on to the fraud check once the manager answered, then ends", () => {
    const h = history().started().validated().creditChecks().decided("manager-review");
    h.callbackStarted("manager-approval", "m", "cb-manager").callbackSucceeded("manager-approval", "m");
    h.callbackStarted("fraud-check", "f", "cb-fraud");
    const p = describeProgress(h.events);
    expect(states(h.events)).toMatchObject({
      manager: "done",
      "fraud-check": "waiting",
      complete: "pending",
    });
    expect(p.waitingFor).toBe("fraud-check");
    expect(p.managerCallbackId).toBeUndefined();
    h.callbackSucceeded("fraud-check", "f").finished();
    expect(Object.values(states(h.events))).toEqual(Array(6).fill("done"));
    expect(describeProgress(h.events).waitingFor).toBeNull();
  });

  it("skips what a denial or an approval without review never reaches", () => {
    const denied = history().started().validated().creditChecks().decided("denied").finished();
    expect(states(denied.events)).toMatchObject({
      manager: "skipped",
      "fraud-check": "skipped",
      complete: "done",
    });

    const approved = history().started().validated().creditChecks().decided("approved");
    expect(states(approved.events)).toMatchObject({ manager: "skipped", "fraud-check": "pending" });

    const invalid = history().started().validated(false).finished();
    expect(states(invalid.events)).toEqual({
      validate: "done",
      "credit-checks": "skipped",
      decide: "skipped",
      manager: "skipped",
      "fraud-check": "skipped",
      complete: "done",
    });
  });

  it("shows a manager's denial: review done, fraud check skipped", () => {
    const h = history().started().validated().creditChecks().decided("manager-review");
    h.callbackStarted("manager-approval", "m", "cb").callbackSucceeded("manager-approval", "m").finished();
    expect(states(h.events)).toMatchObject({ manager: "done", "fraud-check": "skipped", complete: "done" });
  });
});
