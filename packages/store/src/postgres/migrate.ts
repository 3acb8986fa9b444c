// Applies the numbered SQL files of migrations/postgres/ that a database has not seen yet, all in one
// transaction at open, and refuses a database migrated by a newer Dormouse. Nodes that start at the
// same moment queue on an advisory lock, so the first migrates and the others find nothing to do.
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { SchemaTooNewError } from "../errors.js";
import { readMigrations, type Migration } from "../sqlite/migrate.js";

const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations/postgres/", import.meta.url));

export function readPostgresMigrations(): Migration[] {
  return readMigrations(MIGRATIONS_DIR);
}

/**
 * Brings the schema (`schema`, or the first of the search_path) up to the newest known version;
 * `location` names the database in errors. Runs on `client`, which must not be in a transaction.
 */
export async function migrate(
  client: pg.ClientBase,
  location: string,
  schema: string | undefined,
  migrations = readPostgresMigrations(),
): Promise<void> {
  const encoding = (await client.query<{ server_encoding: string }>("SHOW server_encoding")).rows[0]
    ?.server_encoding;
  if (encoding !== "UTF8") {
    throw new Error(
      `${location} uses the ${String(encoding)} encoding; Dormouse needs a UTF8 database ` +
        "(CREATE DATABASE … ENCODING 'UTF8' TEMPLATE template0)",
    );
  }
  await client.query("BEGIN");
  try {
    // Transaction-scoped: released at COMMIT or ROLLBACK, or when the connection dies. Keyed by the
    // schema, so deployments in other schemas of the same database do not wait for each other.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('dormouse.migrate'), hashtext($1))", [
      schema ?? "",
    ]);
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER NOT NULL PRIMARY KEY,
      file       TEXT    NOT NULL,
      applied_at BIGINT  NOT NULL
    )`);
    const applied = new Set(
      (await client.query<{ version: number }>("SELECT version FROM schema_migrations")).rows.map(
        (row) => row.version,
      ),
    );
    const known = migrations.at(-1)?.version ?? 0;
    const newest = Math.max(0, ...applied);
    if (newest > known) throw new SchemaTooNewError(location, newest, known);

    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await client.query(m.sql);
      await client.query("INSERT INTO schema_migrations (version, file, applied_at) VALUES ($1, $2, $3)", [
        m.version,
        m.file,
        Date.now(),
      ]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}
