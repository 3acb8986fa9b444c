// Disposable PostgreSQL databases for tests: each test file (or test server) gets a database of its
// own with a random name, dropped when done, so parallel runs never see each other's rows.
import { randomBytes } from "node:crypto";
import pg from "pg";

/** The machine's PostgreSQL as the test suites use it (trust auth on loopback). */
export const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export interface ScratchDatabase {
  name: string;
  /** The admin URL with this database in its path. */
  url: string;
  /** Drops the database, closing whatever connections are still open to it. Safe to call twice. */
  drop(): Promise<void>;
}

export async function createScratchDatabase(
  options: { adminUrl?: string; prefix?: string } = {},
): Promise<ScratchDatabase> {
  const adminUrl = options.adminUrl ?? DEFAULT_ADMIN_URL;
  const prefix = (options.prefix ?? "dormouse_test").toLowerCase().replace(/[^a-z0-9_]/g, "_");
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin(adminUrl, `CREATE DATABASE ${pg.escapeIdentifier(name)} ENCODING 'UTF8' TEMPLATE template0`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: url.toString(),
    drop() {
      dropped ??= admin(adminUrl, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      return dropped;
    },
  };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
