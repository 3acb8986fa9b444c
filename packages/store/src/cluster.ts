// What the store keeps for several nodes sharing one database (docs/decisions/0004-cluster.md): the
// nodes and their heartbeats, which node holds each invocation lease, and which node has claimed each
// due work row. Liveness is one rule everywhere: a node is alive while its heartbeat is newer than
// `aliveSince` (now minus the lease TTL); a lease or claim of a node that is not alive is free.
import type { DueWork, DueWorkKey } from "@dormouse/engine";

export interface NodeRecord {
  nodeId: string;
  /** ms */
  startedAt: number;
  /** ms, the node's clock at its last heartbeat */
  heartbeatAt: number;
  /** Where its API listens (for people reading the table: nodes talk through the database only). */
  url: string;
}

/**
 * Claims the rows a commit schedules for the committing node: those due at or before `dueBy`. The
 * node handles them at once, without a claim round trip; nothing due later is claimed. Without a
 * claim, scheduling a row (again) leaves it unclaimed, whoever held it before.
 */
export interface DueWorkClaim {
  node: string;
  dueBy: number;
}

export interface ClaimQuery {
  node: string;
  /** ms: rows due at or before this are claimed. */
  now: number;
  /** Claims of nodes whose heartbeat is older than this (ms) are taken over. */
  aliveSince: number;
  limit: number;
  /**
   * Free worker slots of this node per function, for `invoke` rows (an invocation starts only when
   * it has a worker): at most that many `invoke` rows of the function are claimed. Functions not
   * listed have `defaultFree`.
   */
  free: ReadonlyMap<string, number>;
  defaultFree: number;
}

export interface ClaimedWork {
  /** The rows now claimed by the node, earliest first. */
  work: DueWork[];
  /** The earliest due instant after `now` (claimed or not), to arm the next timer. */
  nextDueAt?: number;
}

/** An invocation lease whose node is not alive (or unknown: leases written before 0004). */
export interface OrphanedLease {
  arn: string;
  node?: string;
}

/** The cluster half of the Store port (store.ts), which every adapter implements. */
export interface ClusterStore {
  /** Creates or refreshes the node's row (its heartbeat). */
  heartbeat(node: NodeRecord): Promise<void>;
  /** Deletes the node's row: its leases and claims are free at once (a clean shutdown). */
  removeNode(nodeId: string): Promise<void>;
  /** Deletes the rows of nodes whose last heartbeat is older than `heartbeatBefore`. */
  pruneNodes(heartbeatBefore: number): Promise<number>;
  /** Every node row, by node id. */
  listNodes(): Promise<NodeRecord[]>;
  /** Executions whose invocation lease belongs to a node that is not alive (never `exceptNode`'s). */
  orphanedLeases(aliveSince: number, exceptNode: string): Promise<OrphanedLease[]>;
  /**
   * Claims due rows for `query.node`: due, not claimed by a live node (nor by this node: what it
   * claimed it is handling), `invoke` rows only up to the node's free slots for their function.
   * Two nodes claiming at once never get the same row.
   */
  claimDueWork(query: ClaimQuery): Promise<ClaimedWork>;
  /**
   * Gives up the node's claims on these rows, or on every row (a clean shutdown): other nodes take
   * them at once. A row the node no longer holds is left as it is.
   */
  releaseClaims(nodeId: string, keys?: DueWorkKey[]): Promise<void>;
  /**
   * Runs `work` while holding the lock `name`, which one holder at a time has across every node
   * sharing the database. `work` is not run inside a transaction.
   */
  withLock<T>(name: string, work: () => Promise<T>): Promise<T>;
}
