// CheckpointDurableExecution (spec §3.3): replay check, token check, whole-batch validation,
// in-order application, next token, response = touched operations + the dirty set.
import {
  ID_PATTERN,
  OPERATION_ACTIONS,
  OPERATION_TYPES,
  SUBTYPE_PATTERN,
  invalidParameter,
} from "@dormouse/protocol";
import type { CheckpointResponse, OperationUpdate } from "@dormouse/protocol";
import { applyUpdate } from "./apply-update.js";
import { Draft } from "./draft.js";
import type { Decision, ExecutionState } from "./model.js";
import type { EngineContext } from "./ports.js";
import { encodeToken, requireLease } from "./tokens.js";

export interface CheckpointInput {
  token: string;
  updates: OperationUpdate[];
  clientToken?: string;
  bodyHash: string;
}

export interface CheckpointOutcome {
  /** Absent for a replayed request: nothing to commit. */
  decision?: Decision;
  response: CheckpointResponse;
}

export function checkpoint(
  state: ExecutionState,
  input: CheckpointInput,
  ctx: EngineContext,
): CheckpointOutcome {
  const exec = state.execution;
  const last = exec.lastCheckpoint;
  if (
    input.clientToken !== undefined &&
    last &&
    last.clientToken === input.clientToken &&
    last.requestToken === input.token &&
    ctx.now - last.at <= ctx.limits.clientTokenWindowSeconds * 1000
  ) {
    if (last.bodyHash !== input.bodyHash) {
      throw invalidParameter("ClientToken was already used for a checkpoint with a different body.");
    }
    return { response: last.response };
  }

  requireLease(exec, input.token, true);
  validateBatchShape(input.updates, ctx);

  const d = new Draft(state, ctx);
  const touched: string[] = [];
  input.updates.forEach((u, i) => {
    if (u.ParentId !== undefined) {
      const parent = d.op(u.ParentId);
      if (!parent || parent.Type !== "CONTEXT")
        throw invalidParameter(`Invalid parent operation id: ${u.ParentId}.`);
    }
    if (u.Type !== "EXECUTION") {
      const existing = d.op(u.Id);
      if (existing && existing.Type !== u.Type) {
        throw invalidParameter(
          `Operation type mismatch for ${u.Id}: stored ${existing.Type}, update ${u.Type}.`,
        );
      }
    }
    const id = applyUpdate(d, u, i === input.updates.length - 1);
    if (!touched.includes(id)) touched.push(id);
  });

  const lease = d.exec.invocation!;
  const ended = d.exec.status !== "RUNNING";
  const nextLease = { ...lease, tokenSeq: lease.tokenSeq + 1, progressed: true };
  d.exec.invocation = nextLease;

  for (const id of d.exec.dirty) if (!touched.includes(id)) touched.push(id);
  d.exec.dirty = [];
  const operations = touched.map((id) => d.op(id)!).filter(Boolean);
  const response: CheckpointResponse = { NewExecutionState: { Operations: operations } };
  if (!ended) response.CheckpointToken = encodeToken(nextLease);
  if (input.clientToken !== undefined) {
    d.exec.lastCheckpoint = {
      clientToken: input.clientToken,
      requestToken: input.token,
      bodyHash: input.bodyHash,
      at: ctx.now,
      response,
    };
  } else {
    delete d.exec.lastCheckpoint;
  }
  return { decision: d.finish(), response };
}

/** Rules that need no state (spec §3.7): enums, identifiers, sizes, per-request uniqueness. */
function validateBatchShape(updates: OperationUpdate[], ctx: EngineContext): void {
  const seen = new Map<string, string[]>();
  let executionUpdates = 0;
  updates.forEach((u, i) => {
    const at = `Updates[${i}]`;
    if (typeof u.Id !== "string" || u.Id === "")
      throw invalidParameter(`${at}: Operation update must have an Id.`);
    if (!OPERATION_TYPES.includes(u.Type)) throw invalidParameter(`${at}: Unknown operation type.`);
    if (!OPERATION_ACTIONS.includes(u.Action)) throw invalidParameter(`${at}: Unknown operation action.`);
    if (u.Type !== "EXECUTION" && !ID_PATTERN.test(u.Id)) {
      throw invalidParameter(`${at}.Id: must be 1-64 characters of [a-zA-Z0-9-_].`);
    }
    if (u.ParentId !== undefined && !ID_PATTERN.test(u.ParentId)) {
      throw invalidParameter(`${at}.ParentId: must be 1-64 characters of [a-zA-Z0-9-_].`);
    }
    if (u.Name !== undefined && (u.Name.length < 1 || u.Name.length > 256)) {
      throw invalidParameter(`${at}.Name: Invalid operation name (1-256 characters).`);
    }
    if (u.SubType !== undefined && !SUBTYPE_PATTERN.test(u.SubType)) {
      throw invalidParameter(`${at}.SubType: must be 1-32 characters of [a-zA-Z0-9-_].`);
    }
    const payloadLimit =
      u.Type === "EXECUTION" ? ctx.limits.executionPayloadBytes : ctx.limits.operationPayloadBytes;
    if (u.Payload !== undefined && Buffer.byteLength(u.Payload, "utf8") > payloadLimit) {
      throw invalidParameter(`${at}.Payload: Payload size exceeds the maximum allowed size.`);
    }
    if (
      u.Error !== undefined &&
      Buffer.byteLength(JSON.stringify(u.Error), "utf8") > ctx.limits.errorObjectBytes
    ) {
      throw invalidParameter(`${at}.Error: Error size exceeds the maximum allowed size.`);
    }
    if (u.Type === "EXECUTION") {
      executionUpdates++;
      if (executionUpdates > 1) throw invalidParameter("Cannot checkpoint multiple EXECUTION updates.");
      return;
    }
    const actions = seen.get(u.Id) ?? [];
    const startThenClose =
      actions.length === 1 &&
      actions[0] === "START" &&
      u.Action !== "START" &&
      (u.Type === "STEP" || u.Type === "CONTEXT");
    if (actions.length > 0 && !startThenClose) {
      throw invalidParameter(`${at}: Cannot update the same operation twice in a single request.`);
    }
    actions.push(u.Action);
    seen.set(u.Id, actions);
  });
}
