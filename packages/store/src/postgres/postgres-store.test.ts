// The store contract against a real PostgreSQL (127.0.0.1:5432), plus what only a shared database
// has: several nodes (each its own pool) migrating and committing at the same time. This file gets
// a database of its own, dropped at the end; every test gets a fresh schema in it.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDecision, eventRecord, executionRecord, updateDecision } from "../contract/fixtures.js";
import { describeStoreContract } from "../contract/store-contract.js";
import { SchemaTooNewError } from "../errors.js";
import { ConflictError } from "../store.js";
import { redactDatabaseUrl } from "./connection.js";
import { DatabaseConnectionError } from "./errors.js";
import { readPostgresMigrations } from "./migrate.js";
import { openPostgresStore, type PostgresStore } from "./postgres-store.js";
import { createScratchDatabase, type ScratchDatabase } from "./scratch-database.js";

let database: ScratchDatabase;
let admin: pg.Pool;

beforeAll(async () => {
  database = await createScratchDatabase({ prefix: "dormouse_store_test" });
  admin = new pg.Pool({ connectionString: database.url, max: 2 });
});

afterAll(async () => {
  await admin?.end();
  await database?.drop();
});

let schemas = 0;
function newSchema(): string {
  return `s${++schemas}_${randomBytes(3).toString("hex")}`;
}

async function dropSchema(schema: string): Promise<void> {
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

describeStoreContract("postgres", async () => {
  const schema = newSchema();
  const store = await openPostgresStore({ url: database.url, schema });
  return {
    store,
    reopen: () => openPostgresStore({ url: database.url, schema }),
    peer: () => openPostgresStore({ url: database.url, schema }),
    cleanup: async () => {
      await store.close();
      await dropSchema(schema);
    },
  };
});

describe("postgres store", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  /** A fresh schema and `n` stores on it, each with its own pool, like `n` nodes. */
  const nodes = async (n: number): Promise<{ schema: string; stores: PostgresStore[] }> => {
    const schema = newSchema();
    cleanups.push(() => dropSchema(schema));
    const stores = await Promise.all(
      Array.from({ length: n }, () => openPostgresStore({ url: database.url, schema, maxConnections: 3 })),
    );
    cleanups.push(async () => void (await Promise.all(stores.map((s) => s.close()))));
    return { schema, stores };
  };

  it("migrates a new schema once when several nodes open it at the same moment", async () => {
    const { schema } = await nodes(6);
    const { rows } = await admin.query<{ version: number; n: string }>(
      `SELECT version, count(*) AS n FROM "${schema}".schema_migrations GROUP BY version ORDER BY version`,
    );
    expect(rows.map((r) => [r.version, Number(r.n)])).toEqual(
      readPostgresMigrations().map((m) => [m.version, 1]),
    );
    const tables = await admin.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
      [schema],
    );
    expect(tables.rows.map((r) => r.table_name)).toContain("executions");
    // Opening again finds nothing to do.
    await (await openPostgresStore({ url: database.url, schema })).close();
    const again = await admin.query(`SELECT * FROM "${schema}".schema_migrations`);
    expect(again.rowCount).toBe(readPostgresMigrations().length);
  });

  it("lets exactly one of two nodes win each race from the same revision", async () => {
    const {
      stores: [a, b],
    } = await nodes(2);
    let current = executionRecord({ name: "contended" });
    await a!.commit(createDecision(current, { events: [eventRecord(1)] }));
    for (let round = 0; round < 25; round++) {
      const eventId = round + 2;
      const fromA = updateDecision(current, { nextEventId: eventId + 1 }, { events: [eventRecord(eventId)] });
      const fromB = updateDecision(
        current,
        { nextEventId: eventId + 1, status: round === 24 ? "SUCCEEDED" : "RUNNING" },
        { events: [eventRecord(eventId, { name: "b" })] },
      );
      const [ra, rb] = await Promise.allSettled([a!.commit(fromA), b!.commit(fromB)]);
      const won = [ra, rb].filter((r) => r.status === "fulfilled");
      expect(won).toHaveLength(1);
      const lost = [ra, rb].find((r) => r.status === "rejected");
      expect(lost?.status === "rejected" && lost.reason).toBeInstanceOf(ConflictError);
      const winner = ra.status === "fulfilled" ? fromA : fromB;
      // Both nodes read what the winner wrote.
      expect(await b!.getExecution(current.arn)).toStrictEqual(winner.execution);
      expect((await a!.history(current.arn, { reverse: true, limit: 1 }))[0]).toStrictEqual(winner.events[0]);
      current = winner.execution;
    }
    expect(await a!.history(current.arn, { reverse: false, limit: 100 })).toHaveLength(26);
  });

  it("lets exactly one node create an execution name, under load from both", async () => {
    const {
      stores: [a, b],
    } = await nodes(2);
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => {
        const store = i % 2 === 0 ? a! : b!;
        // Names repeat in pairs, one attempt from each node.
        return store.commit(createDecision(executionRecord({ name: `n-${i >> 1}`, executionId: `x-${i}` })));
      }),
    );
    for (let pair = 0; pair < 20; pair++) {
      const two = [results[2 * pair]!, results[2 * pair + 1]!];
      expect(two.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const lost = two.find((r) => r.status === "rejected");
      expect(lost?.status === "rejected" && lost.reason).toBeInstanceOf(ConflictError);
      const stored = await b!.findExecutionByName("orders", `n-${pair}`);
      expect(stored?.executionId).toBe(
        two[0]!.status === "fulfilled" ? `x-${2 * pair}` : `x-${2 * pair + 1}`,
      );
    }
  });

  it("hands each due row to exactly one of several nodes claiming at the same time", async () => {
    const { stores } = await nodes(4);
    const now = Date.now();
    for (const [i, store] of stores.entries()) {
      await store.heartbeat({ nodeId: `n${i}`, startedAt: now, heartbeatAt: now, url: "" });
    }
    const rows = 400;
    for (let i = 0; i < rows; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, k) => {
          const e = executionRecord({ name: `due-${i + k}` });
          return stores[0]!.commit(
            createDecision(e, { schedule: [{ arn: e.arn, kind: "wait", operationId: "w", dueAt: now - k }] }),
          );
        }),
      );
    }
    const claimed: string[] = [];
    await Promise.all(
      stores.flatMap((store, n) =>
        Array.from({ length: 5 }, async () => {
          for (;;) {
            const { work } = await store.claimDueWork({
              node: `n${n}`,
              now,
              aliveSince: now - 10_000,
              limit: 7,
              free: new Map(),
              defaultFree: 8,
            });
            if (work.length === 0) return;
            claimed.push(...work.map((w) => w.arn));
          }
        }),
      ),
    );
    expect(claimed).toHaveLength(rows);
    expect(new Set(claimed).size).toBe(rows);
  });

  it("refuses a schema migrated by a newer Dormouse, naming the database and versions", async () => {
    const { schema, stores } = await nodes(1);
    await stores[0]!.close();
    const known = readPostgresMigrations().at(-1)!.version;
    await admin.query(
      `INSERT INTO "${schema}".schema_migrations (version, file, applied_at) VALUES ($1, $2, $3)`,
      [known + 1, "9999_from_the_future.sql", Date.now()],
    );
    const opening = openPostgresStore({ url: database.url, schema });
    await expect(opening).rejects.toBeInstanceOf(SchemaTooNewError);
    await expect(opening).rejects.toThrow(`database "${database.name}"`);
    await expect(opening).rejects.toThrow(`schema "${schema}"`);
    await expect(opening).rejects.toThrow(`schema version ${known + 1}`);
  });

  it("reports an unreachable server or a missing database with its address, not a stack trace", async () => {
    // Nothing listens on port 1 of the loopback address: the connection is refused at once.
    const refused = openPostgresStore({ url: "postgres://postgres:s3cret@127.0.0.1:1/dormouse" });
    await expect(refused).rejects.toBeInstanceOf(DatabaseConnectionError);
    await expect(refused).rejects.toThrow(
      /^cannot connect to PostgreSQL at 127\.0\.0\.1:1 \(database "dormouse"/,
    );
    await expect(refused).rejects.toThrow(/ECONNREFUSED/);
    await expect(refused).rejects.not.toThrow(/s3cret/);

    const missing = new URL(database.url);
    missing.pathname = `/${database.name}_missing`;
    const absent = openPostgresStore({ url: missing.toString() });
    await expect(absent).rejects.toBeInstanceOf(DatabaseConnectionError);
    await expect(absent).rejects.toThrow(`database "${database.name}_missing" does not exist`);
  });

  it("rejects a schema name it would have to quote", async () => {
    await expect(openPostgresStore({ url: database.url, schema: 'x"; DROP TABLE y' })).rejects.toThrow(
      /schema: .* is not a valid schema name/,
    );
  });

  it("fails a decision with a key PostgreSQL cannot store alone; the rest of the burst lands", async () => {
    const {
      stores: [store],
    } = await nodes(1);
    const good = Array.from({ length: 5 }, (_, i) => executionRecord({ name: `good-${i}` }));
    const bad = createDecision(executionRecord({ name: "bad" }), {
      callbacks: [{ callbackId: "nul\u0000here", operationId: "a" }],
    });
    const results = await Promise.allSettled([
      ...good.map((e) => store!.commit(createDecision(e))),
      store!.commit(bad),
    ]);
    expect(results.slice(0, 5).every((r) => r.status === "fulfilled")).toBe(true);
    const failed = results[5];
    expect(failed?.status === "rejected" && String(failed.reason)).toMatch(/callback id .* NUL character/);
    for (const e of good) expect(await store!.getExecution(e.arn)).toStrictEqual(e);
    expect(await store!.getExecution(bad.execution.arn)).toBeUndefined();
  });

  it("rejects commits and reads after close", async () => {
    const {
      stores: [store],
    } = await nodes(1);
    await store!.close();
    await store!.close();
    await expect(store!.getExecution("arn")).rejects.toThrow(/closed/);
    await expect(store!.listExecutions({ limit: 1 })).rejects.toThrow(/closed/);
    await expect(store!.commit(createDecision(executionRecord({ name: "late" })))).rejects.toThrow(/closed/);
  });

  it("never shows a password in the URLs it prints", () => {
    expect(redactDatabaseUrl("postgres://dormouse:pa%40ss@db.internal:6543/prod?sslmode=verify-full")).toBe(
      "postgres://dormouse:***@db.internal:6543/prod?sslmode=verify-full",
    );
    expect(redactDatabaseUrl("postgresql://u@h/d?password=secret&application_name=x")).toBe(
      "postgresql://u@h/d?password=***&application_name=x",
    );
    expect(redactDatabaseUrl("postgres://h/d")).toBe("postgres://h/d");
  });
});
