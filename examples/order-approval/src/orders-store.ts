// The application's own data: orders, the state of each of their steps and how long each ran.
// A SQLite file both functions open (on AWS this would be a DynamoDB table); Dormouse's own tables
// hold the execution, this holds the business record.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import type { OrderLine } from "./catalog.js";

/** The order's lifecycle, as people read it. */
export type OrderStatus =
  | "placed"
  | "validating"
  | "reserving"
  | "awaiting-payment"
  | "fulfilling"
  | "fulfilled"
  | "cancelling"
  | "cancelled"
  | "failed";

export type StepState = "pending" | "running" | "waiting" | "succeeded" | "rejected" | "failed" | "skipped";

export const STEP_NAMES = [
  "validate-order",
  "reserve-inventory",
  "payment-approval",
  "fulfill-order",
  "cancel-order",
] as const;
export type StepName = (typeof STEP_NAMES)[number];

export interface StepRecord {
  name: StepName;
  state: StepState;
  startedAt?: number;
  endedAt?: number;
  detail?: string;
}

export interface Order {
  id: string;
  items: OrderLine[];
  totalCents: number;
  status: OrderStatus;
  executionArn?: string;
  callbackId?: string;
  decision?: "approved" | "rejected";
  problem?: string;
  createdAt: number;
  updatedAt: number;
  steps: StepRecord[];
}

interface OrderRow {
  id: string;
  items: string;
  total_cents: number;
  status: OrderStatus;
  execution_arn: string | null;
  callback_id: string | null;
  decision: "approved" | "rejected" | null;
  problem: string | null;
  created_at: number;
  updated_at: number;
}

interface StepRow {
  name: StepName;
  state: StepState;
  started_at: number | null;
  ended_at: number | null;
  detail: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS orders (
  id            TEXT PRIMARY KEY,
  items         TEXT NOT NULL,
  total_cents   INTEGER NOT NULL,
  status        TEXT NOT NULL,
  execution_arn TEXT,
  callback_id   TEXT,
  decision      TEXT,
  problem       TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_by_created ON orders (created_at DESC);
CREATE TABLE IF NOT EXISTS order_steps (
  order_id   TEXT NOT NULL REFERENCES orders (id),
  name       TEXT NOT NULL,
  state      TEXT NOT NULL,
  started_at INTEGER,
  ended_at   INTEGER,
  detail     TEXT,
  PRIMARY KEY (order_id, name)
);
`;

/** `ORDERS_DB`, or a file in the system's temp directory. */
export function ordersDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.ORDERS_DB?.trim();
  return configured ? configured : path.join(os.tmpdir(), "dormouse-order-approval", "orders.db");
}

export class OrdersStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    // Two functions (and several warm workers of each) share the file.
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("busy_timeout = 5000");
    this.db.exec(SCHEMA);
  }

  create(order: { id: string; items: OrderLine[]; totalCents: number; now: number }): void {
    this.db
      .prepare(
        `INSERT INTO orders (id, items, total_cents, status, created_at, updated_at)
         VALUES (?, ?, ?, 'placed', ?, ?)`,
      )
      .run(order.id, JSON.stringify(order.items), order.totalCents, order.now, order.now);
  }

  setExecution(id: string, executionArn: string): void {
    this.db.prepare("UPDATE orders SET execution_arn = ? WHERE id = ?").run(executionArn, id);
  }

  /** A step began; the order's status says what it is doing. */
  stepStarted(id: string, step: StepName, status: OrderStatus, now: number): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO order_steps (order_id, name, state, started_at) VALUES (?, ?, 'running', ?)
           ON CONFLICT (order_id, name) DO UPDATE SET state = 'running', started_at = excluded.started_at,
             ended_at = NULL, detail = NULL`,
        )
        .run(id, step, now);
      this.setStatus(id, status, now);
    })();
  }

  stepEnded(id: string, step: StepName, state: "succeeded" | "failed", now: number, detail?: string): void {
    this.db
      .prepare("UPDATE order_steps SET state = ?, ended_at = ?, detail = ? WHERE order_id = ? AND name = ?")
      .run(state, now, detail ?? null, id, step);
  }

  /** The workflow waits for a person: the callback id is what approve/reject answer. */
  awaitingPayment(id: string, callbackId: string, now: number): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO order_steps (order_id, name, state, started_at) VALUES (?, 'payment-approval', 'waiting', ?)
           ON CONFLICT (order_id, name) DO UPDATE SET state = 'waiting', started_at = excluded.started_at`,
        )
        .run(id, now);
      this.db.prepare("UPDATE orders SET callback_id = ? WHERE id = ?").run(callbackId, id);
      this.setStatus(id, "awaiting-payment", now);
    })();
  }

  /**
   * Records a person's decision, once: false when the order is not waiting for one (not yet, or
   * already decided), so that two clicks cannot answer the same callback twice.
   */
  decide(id: string, decision: "approved" | "rejected", now: number): boolean {
    return this.db.transaction(() => {
      const changed = this.db
        .prepare(
          `UPDATE orders SET decision = ?, status = ?, updated_at = ?
           WHERE id = ? AND status = 'awaiting-payment' AND decision IS NULL`,
        )
        .run(decision, decision === "approved" ? "fulfilling" : "cancelling", now, id).changes;
      if (changed === 0) return false;
      this.db
        .prepare(
          "UPDATE order_steps SET state = ?, ended_at = ? WHERE order_id = ? AND name = 'payment-approval'",
        )
        .run(decision === "approved" ? "succeeded" : "rejected", now, id);
      return true;
    })();
  }

  /** Undoes `decide` when the callback could not be sent, so that the person can try again. */
  undecide(id: string): void {
    this.db.transaction(() => {
      this.db.prepare("UPDATE orders SET decision = NULL, status = 'awaiting-payment' WHERE id = ?").run(id);
      this.db
        .prepare(
          "UPDATE order_steps SET state = 'waiting', ended_at = NULL WHERE order_id = ? AND name = 'payment-approval'",
        )
        .run(id);
    })();
  }

  /** The workflow resumed after the callback: the decision's time stays the person's. */
  paymentDecided(id: string, decision: "approved" | "rejected", now: number): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE order_steps SET state = ?, ended_at = COALESCE(ended_at, ?)
           WHERE order_id = ? AND name = 'payment-approval'`,
        )
        .run(decision === "approved" ? "succeeded" : "rejected", now, id);
      this.db.prepare("UPDATE orders SET decision = COALESCE(decision, ?) WHERE id = ?").run(decision, id);
    })();
  }

  finish(id: string, status: "fulfilled" | "cancelled" | "failed", now: number, problem?: string): void {
    this.db
      .prepare("UPDATE orders SET status = ?, problem = COALESCE(?, problem), updated_at = ? WHERE id = ?")
      .run(status, problem ?? null, now, id);
  }

  get(id: string): Order | undefined {
    const row = this.db.prepare("SELECT * FROM orders WHERE id = ?").get(id) as OrderRow | undefined;
    return row && this.toOrder(row);
  }

  /** Newest first. */
  list(limit: number): Order[] {
    const rows = this.db
      .prepare("SELECT * FROM orders ORDER BY created_at DESC, id DESC LIMIT ?")
      .all(limit) as OrderRow[];
    return rows.map((row) => this.toOrder(row));
  }

  close(): void {
    this.db.close();
  }

  private setStatus(id: string, status: OrderStatus, now: number): void {
    this.db.prepare("UPDATE orders SET status = ?, updated_at = ? WHERE id = ?").run(status, now, id);
  }

  private toOrder(row: OrderRow): Order {
    const stepRows = this.db
      .prepare("SELECT name, state, started_at, ended_at, detail FROM order_steps WHERE order_id = ?")
      .all(row.id) as StepRow[];
    const byName = new Map(stepRows.map((s) => [s.name, s]));
    const finished = row.status === "fulfilled" || row.status === "cancelled" || row.status === "failed";
    const steps = STEP_NAMES.map((name): StepRecord => {
      const s = byName.get(name);
      if (!s) {
        // The branch not taken is skipped; anything else not reached yet is pending.
        const skipped =
          finished ||
          (name === "fulfill-order" && row.decision === "rejected") ||
          (name === "cancel-order" && row.decision === "approved");
        return { name, state: skipped ? "skipped" : "pending" };
      }
      return {
        name,
        state: s.state,
        ...(s.started_at === null ? {} : { startedAt: s.started_at }),
        ...(s.ended_at === null ? {} : { endedAt: s.ended_at }),
        ...(s.detail === null ? {} : { detail: s.detail }),
      };
    });
    return {
      id: row.id,
      items: JSON.parse(row.items) as OrderLine[],
      totalCents: row.total_cents,
      status: row.status,
      ...(row.execution_arn === null ? {} : { executionArn: row.execution_arn }),
      ...(row.callback_id === null ? {} : { callbackId: row.callback_id }),
      ...(row.decision === null ? {} : { decision: row.decision }),
      ...(row.problem === null ? {} : { problem: row.problem }),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      steps,
    };
  }
}

let shared: OrdersStore | undefined;

/** One connection per warm function instance, opened on first use. */
export function ordersStore(): OrdersStore {
  shared ??= new OrdersStore(ordersDatabasePath());
  return shared;
}
