// A node's life in a cluster (docs/decisions/0004-cluster.md): its row in the store, refreshed by a
// heartbeat, and a sweep that ends the invocation leases of nodes that stopped heartbeating so that
// their executions are invoked again elsewhere. Every node sweeps; the end of a lease is a decision
// like any other (compare-and-set), so two sweepers cannot both end one lease.
//
//   lease TTL  at most this long after a node stops, its invocations are re-invoked elsewhere
//   heartbeat  every TTL/6
//   dead       no heartbeat for 2/3 of the TTL (four missed heartbeats): leases and claims are free
//   sweep      every TTL/6, after a heartbeat that worked
//
// A node that cannot heartbeat (its database is unreachable) is presumed dead by the others after
// that silence. It goes on running, but it cannot write anything that matters: the leases it held
// were ended (their epochs are fenced off), and each of its decisions is a compare-and-set.
import type { ClusterStore, NodeRecord, OrphanedLease } from "@dormouse/store";
import type { Logger } from "./ports.js";

/** Rows of nodes silent this long are deleted (their leases and claims are free either way). */
const FORGET_NODES_AFTER_MS = 60 * 60 * 1000;

export interface NodeLivenessOptions {
  store: ClusterStore;
  nodeId: string;
  leaseTtlMs: number;
  clock: () => number;
  log: Logger;
  /** Ends one orphaned lease (through the orchestrator's write path); errors are logged. */
  recover: (lease: OrphanedLease) => Promise<void>;
  /** The heartbeat works again after this node was silent long enough to be presumed dead. */
  revived?: () => void;
}

/** How long without a heartbeat before a node is dead, for a lease TTL. */
export function silenceLimitMs(leaseTtlMs: number): number {
  return Math.round((leaseTtlMs * 2) / 3);
}

export class NodeLiveness {
  private timer: NodeJS.Timeout | undefined;
  private row: NodeRecord | undefined;
  private lastBeat = 0;
  private presumedDead = false;
  private failing = false;
  private sweeping: Promise<void> | undefined;
  private lastPrune = 0;
  private stopped = false;

  constructor(private readonly opts: NodeLivenessOptions) {}

  /** The time after which a node whose heartbeat is older is dead. */
  aliveSince(now = this.opts.clock()): number {
    return now - silenceLimitMs(this.opts.leaseTtlMs);
  }

  /** Writes the node's row (failing if the store is unreachable), then heartbeats and sweeps. */
  async start(url: string): Promise<void> {
    const now = this.opts.clock();
    this.row = { nodeId: this.opts.nodeId, startedAt: now, heartbeatAt: now, url };
    await this.opts.store.heartbeat(this.row);
    this.lastBeat = now;
    const every = Math.max(50, Math.round(this.opts.leaseTtlMs / 6));
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref?.();
  }

  /** Ends the leases of dead nodes now (also done at start, before due work is handled). */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepNow().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Deletes the node's row: the others take over whatever it still holds at once. */
  async leave(): Promise<void> {
    this.stop();
    await this.sweeping?.catch(() => undefined);
    await this.opts.store.removeNode(this.opts.nodeId);
  }

  private async tick(): Promise<void> {
    if (this.stopped || !this.row) return;
    const now = this.opts.clock();
    try {
      await this.opts.store.heartbeat({ ...this.row, heartbeatAt: now });
    } catch (err) {
      // Said once per outage (the store retries with backoff; every attempt would flood the log).
      if (!this.failing) this.opts.log.warn({ err }, "heartbeat failed; retrying");
      this.failing = true;
      const silent = now - this.lastBeat;
      if (!this.presumedDead && silent > silenceLimitMs(this.opts.leaseTtlMs)) {
        this.presumedDead = true;
        this.opts.log.error(
          { silentMs: silent },
          "no heartbeat for longer than the lease TTL allows: other nodes take over this node's invocations",
        );
      }
      return;
    }
    this.lastBeat = now;
    if (this.failing) this.opts.log.warn({}, "heartbeat works again");
    this.failing = false;
    if (this.presumedDead) {
      this.presumedDead = false;
      this.opts.revived?.();
    }
    await this.sweep();
  }

  private async sweepNow(): Promise<void> {
    const { store, nodeId, log } = this.opts;
    const now = this.opts.clock();
    try {
      for (const lease of await store.orphanedLeases(this.aliveSince(now), nodeId)) {
        if (this.stopped) return;
        await this.opts
          .recover(lease)
          .catch((err: unknown) => log.error({ err, ...lease }, "lease recovery failed"));
      }
      if (now - this.lastPrune > FORGET_NODES_AFTER_MS / 4) {
        this.lastPrune = now;
        await store.pruneNodes(now - FORGET_NODES_AFTER_MS);
      }
    } catch (err) {
      log.warn({ err }, "lease sweep failed; will retry");
    }
  }
}
