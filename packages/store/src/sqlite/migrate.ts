// Applies the numbered SQL files of migrations/sqlite/ that a database has not seen yet, all in one
// transaction at open, and refuses a database migrated by a newer Dormouse.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type Database from "better-sqlite3";
import { SchemaTooNewError } from "../errors.js";

const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations/sqlite/", import.meta.url));
const MIGRATION_FILE = /^(\d{4})_[a-z0-9_-]+\.sql$/;

export interface Migration {
  version: number;
  file: string;
  sql: string;
}

export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations: Migration[] = [];
  for (const file of fs.readdirSync(dir).sort()) {
    const match = MIGRATION_FILE.exec(file);
    if (!match) continue;
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) {
      throw new Error(`two migrations in ${dir} have version ${version}`);
    }
    migrations.push({ version, file, sql: fs.readFileSync(path.join(dir, file), "utf8") });
  }
  return migrations;
}

/** Brings `db` up to the newest known schema; `location` names the database in errors. */
export function migrate(db: Database.Database, location: string, migrations = readMigrations()): void {
  // IMMEDIATE takes the write lock first, so two processes opening one new file cannot both migrate.
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER NOT NULL PRIMARY KEY,
      file       TEXT    NOT NULL,
      applied_at INTEGER NOT NULL
    ) STRICT`);
    const applied = new Set(db.prepare<[], number>("SELECT version FROM schema_migrations").pluck().all());
    const known = migrations.at(-1)?.version ?? 0;
    const newest = Math.max(0, ...applied);
    if (newest > known) throw new SchemaTooNewError(location, newest, known);

    const record = db.prepare<[number, string, number]>(
      "INSERT INTO schema_migrations (version, file, applied_at) VALUES (?, ?, ?)",
    );
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      db.exec(m.sql);
      record.run(m.version, m.file, Date.now());
    }
  }).immediate();
}
