// Chained invokes (spec §6): start the target of a caller's CHAINED_INVOKE outside the checkpoint
// request, and copy the outcome back into the caller when the target finishes.
import * as engine from "@dormouse/engine";
import type { DueWork } from "@dormouse/engine";
import { ConflictError } from "@dormouse/store";
import type { Orchestrator } from "./orchestrator.js";
import { dropWork } from "./orchestrator.js";

interface ChainedStartData {
  target: string;
  payload: string | null;
  tenantId: string | null;
  functionName?: string;
  version?: string;
  durable?: boolean;
  childArn?: string;
  childName?: string;
}

export class ChainedInvokes {
  constructor(private readonly orch: Orchestrator) {}

  async start(work: DueWork): Promise<void> {
    if (!(await this.orch.load(work.arn))) return this.orch.store.dropDueWork(work);
    const data = work.data as unknown as ChainedStartData;
    const caller = { arn: work.arn, operationId: work.operationId };
    const fn = data.functionName
      ? this.orch.resolveFunctionOrUndefined(`${data.functionName}:${data.version}`)
      : undefined;
    if (!fn) {
      await this.finish(caller, {
        status: "FAILED",
        error: { ErrorType: "ResourceNotFoundException", ErrorMessage: `Function not found: ${data.target}` },
      });
      return;
    }
    if (fn.durable && data.childArn) {
      const existing = await this.orch.store.getExecution(data.childArn);
      if (!existing) {
        const input: engine.StartInput = {
          fn,
          payload: data.payload ?? "{}",
          parent: caller,
          arn: data.childArn,
        };
        if (data.childName) input.name = data.childName;
        if (data.tenantId !== null) input.tenantId = data.tenantId;
        // Created already by a node that handled this row before (and died, or lost its claim).
        await this.orch.commit(engine.startExecution(input, this.orch.ctx())).catch((err: unknown) => {
          if (!(err instanceof ConflictError)) throw err;
        });
      }
      // The child's terminal decision schedules `chained-complete` on the caller.
      await this.orch.mutate(work.arn, (state) => dropWork(state, work, this.orch.ctx()));
      return;
    }
    const out = await this.orch.invokePlain(fn, data.payload ?? "", data.tenantId ?? undefined);
    if (out.ok) {
      await this.finish(
        caller,
        out.payload === "" ? { status: "SUCCEEDED" } : { status: "SUCCEEDED", result: out.payload },
      );
    } else {
      const timedOut = out.error.ErrorType === "Sandbox.Timedout";
      await this.finish(caller, { status: timedOut ? "TIMED_OUT" : "FAILED", error: out.error });
    }
  }

  async complete(work: DueWork): Promise<void> {
    if (!(await this.orch.load(work.arn))) return this.orch.store.dropDueWork(work);
    const childArn = typeof work.data?.childArn === "string" ? work.data.childArn : undefined;
    const child = childArn ? await this.orch.store.getExecution(childArn) : undefined;
    const caller = { arn: work.arn, operationId: work.operationId };
    if (!child || child.status === "RUNNING") {
      await this.orch.mutate(work.arn, (state) => dropWork(state, work, this.orch.ctx()));
      return;
    }
    const outcome: engine.ChainedOutcome = { status: child.status };
    if (child.status === "SUCCEEDED") {
      if (child.result !== undefined) outcome.result = child.result;
    } else if (child.error) outcome.error = child.error;
    await this.finish(caller, outcome);
  }

  private async finish(
    caller: { arn: string; operationId: string },
    outcome: engine.ChainedOutcome,
  ): Promise<void> {
    await this.orch.mutate(caller.arn, (state) =>
      engine.finishChainedInvoke(state, caller.operationId, outcome, this.orch.ctx()),
    );
  }
}
