// Where an application is, read from its execution's history (GetDurableExecutionHistory): which
// stage is done, running, waiting or skipped, and the callback the manager would answer. Pure, so the
// page's step indicator is tested on literal histories.
import type { Event } from "@aws-sdk/client-lambda";
import { BUREAUS } from "./credit.js";
import type { Assessment } from "./credit.js";

export type StageKey = "validate" | "credit-checks" | "decide" | "manager" | "fraud-check" | "complete";
export type StageState = "pending" | "active" | "waiting" | "done" | "skipped" | "failed";

export interface Stage {
  key: StageKey;
  label: string;
  state: StageState;
  detail?: string;
}

export interface Progress {
  stages: Stage[];
  /** What the workflow is waiting for right now, if anything. */
  waitingFor: "manager" | "fraud-check" | null;
  /** The assessment step's result, once it ran. */
  assessment?: Assessment;
  /** The manager-approval callback while it is open. Stays on the server (the API answers it). */
  managerCallbackId?: string;
}

const LABELS: Record<StageKey, string> = {
  validate: "Validate",
  "credit-checks": "Credit checks",
  decide: "Assess",
  manager: "Manager review",
  "fraud-check": "Fraud check",
  complete: "Decision",
};

interface Operation {
  id: string;
  name?: string;
  parentId?: string;
  started: boolean;
  ended?: "succeeded" | "failed";
  result?: string;
  callbackId?: string;
}

/** Folds the events into one record per operation id. */
function operations(events: readonly Event[]): Map<string, Operation> {
  const ops = new Map<string, Operation>();
  for (const e of events) {
    if (
      !e.Id ||
      !e.EventType ||
      e.EventType.startsWith("Execution") ||
      e.EventType.startsWith("Invocation")
    ) {
      continue;
    }
    const op = ops.get(e.Id) ?? { id: e.Id, started: false };
    if (e.Name) op.name = e.Name;
    if (e.ParentId) op.parentId = e.ParentId;
    if (/Started$/.test(e.EventType)) op.started = true;
    if (/Succeeded$/.test(e.EventType)) op.ended = "succeeded";
    if (/(Failed|TimedOut|Stopped)$/.test(e.EventType)) op.ended = "failed";
    const result = e.StepSucceededDetails?.Result?.Payload;
    if (result !== undefined) op.result = result;
    const callbackId = e.CallbackStartedDetails?.CallbackId;
    if (callbackId !== undefined) op.callbackId = callbackId;
    ops.set(e.Id, op);
  }
  return ops;
}

export function describeProgress(events: readonly Event[]): Progress {
  const ops = operations(events);
  const all = [...ops.values()];
  const named = (name: string) => all.find((op) => op.name === name && op.parentId === undefined);
  const callbackOf = (parent: Operation | undefined) =>
    all.find((op) => op.parentId !== undefined && op.parentId === parent?.id && op.callbackId !== undefined);
  const open = (cb: Operation | undefined) => cb?.callbackId !== undefined && cb.ended === undefined;
  const last = events[events.length - 1]?.EventType;
  const finished = last?.startsWith("Execution") && last !== "ExecutionStarted";
  const executionFailed = finished && last !== "ExecutionSucceeded";

  const stateOf = (op: Operation | undefined): StageState =>
    !op?.started
      ? "pending"
      : op.ended === "succeeded"
        ? "done"
        : op.ended === "failed"
          ? "failed"
          : "active";

  const validate = named("validate-application");
  const credit = named("credit-checks");
  const decide = named("decide");
  const manager = named("manager-approval");
  const fraud = named("fraud-check");
  const assessment = parse<Assessment>(decide?.result);

  const reportsIn = all.filter((op) => op.name?.endsWith("-report") && op.ended === "succeeded").length;
  const stages: Stage[] = [
    { key: "validate", label: LABELS.validate, state: stateOf(validate) },
    {
      key: "credit-checks",
      label: LABELS["credit-checks"],
      state: stateOf(credit),
      ...(credit?.started ? { detail: `${reportsIn}/${BUREAUS.length} bureaus` } : {}),
    },
    {
      key: "decide",
      label: LABELS.decide,
      state: stateOf(decide),
      ...(assessment ? { detail: assessment.outcome } : {}),
    },
    { key: "manager", label: LABELS.manager, state: callbackStage(manager) },
    { key: "fraud-check", label: LABELS["fraud-check"], state: callbackStage(fraud) },
    {
      key: "complete",
      label: LABELS.complete,
      state: !finished ? "pending" : executionFailed ? "failed" : "done",
    },
  ];

  // A stage the workflow went past, or can no longer reach, is skipped.
  const denied = assessment?.outcome === "denied";
  const validationFailed = parse<{ ok: boolean }>(validate?.result)?.ok === false;
  const skip = (key: StageKey, when: boolean) => {
    const stage = stages.find((s) => s.key === key)!;
    if (when && stage.state === "pending") stage.state = "skipped";
  };
  skip("credit-checks", validationFailed);
  skip("decide", validationFailed);
  skip("manager", validationFailed || denied || assessment?.outcome === "approved");
  skip("fraud-check", validationFailed || denied || Boolean(finished));

  const managerCallback = callbackOf(manager);
  const fraudCallback = callbackOf(fraud);
  const waitingFor = open(managerCallback) ? "manager" : open(fraudCallback) ? "fraud-check" : null;
  return {
    stages,
    waitingFor,
    ...(assessment ? { assessment } : {}),
    ...(waitingFor === "manager" ? { managerCallbackId: managerCallback!.callbackId! } : {}),
  };

  function callbackStage(context: Operation | undefined): StageState {
    const state = stateOf(context);
    return state === "active" && open(callbackOf(context)) ? "waiting" : state;
  }
}

function parse<T>(payload: string | undefined): T | undefined {
  if (payload === undefined) return undefined;
  try {
    return JSON.parse(payload) as T;
  } catch {
    return undefined;
  }
}
