// Where a node of a cluster gets its due work: rows it claims in the store, each for one node, so
// that every timer fires once cluster-wide (docs/decisions/0004-cluster.md). `invoke` rows are
// claimed only up to the node's free worker slots per function, so ready executions go to nodes
// with idle workers; a saturated node leaves them to the others.
import type { ClusterStore } from "@dormouse/store";
import { BATCH } from "./due-work-loop.js";
import type { DueWorkSource } from "./due-work-loop.js";
import type { InvocationSlots } from "./invocation-slots.js";

export interface ClaimOptions {
  nodeId: string;
  /** A node whose heartbeat is older than this is dead: its claims are taken over. */
  leaseTtlMs: number;
  /** Longest sleep between two claims when no notice or commit says anything is due. */
  pollMs: number;
  /** Worker slots of a function this node has not used yet. */
  capacity: (functionName: string) => number;
  /**
   * Called after each claim with whether `invoke` rows may have been left for want of a slot here
   * (a function had none free, or the claim took some: there may be more than it had slots for).
   */
  onSaturation?: (saturated: boolean) => void;
}

export function claimDueWork(store: ClusterStore, slots: InvocationSlots, opts: ClaimOptions): DueWorkSource {
  return {
    maxSleepMs: opts.pollMs,
    claims: true,
    async take(now) {
      const free = slots.free();
      const claimed = await store.claimDueWork({
        node: opts.nodeId,
        now,
        aliveSince: now - opts.leaseTtlMs,
        limit: BATCH,
        free,
        defaultFree: Math.max(1, opts.capacity("")),
      });
      opts.onSaturation?.(
        [...free.values()].some((n) => n <= 0) || claimed.work.some((w) => w.kind === "invoke"),
      );
      return { due: claimed.work, next: claimed.nextDueAt, more: claimed.work.length === BATCH };
    },
  };
}
