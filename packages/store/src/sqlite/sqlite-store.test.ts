import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createDecision, executionRecord } from "../contract/fixtures.js";
import { describeStoreContract } from "../contract/store-contract.js";
import { SchemaTooNewError } from "../errors.js";
import { openSqliteStore } from "./sqlite-store.js";
import { readMigrations } from "./migrate.js";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "dormouse-store-"));
}

describeStoreContract("sqlite", async () => {
  const dir = tempDir();
  // A subdirectory that does not exist yet: opening creates it.
  const file = path.join(dir, "nested", "dormouse.db");
  const store = await openSqliteStore({ file });
  return {
    store,
    reopen: () => openSqliteStore({ file }),
    peer: () => openSqliteStore({ file }),
    cleanup: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe("sqlite store", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const newFile = () => {
    const dir = tempDir();
    dirs.push(dir);
    return path.join(dir, "dormouse.db");
  };

  it("opens in WAL mode with full fsync and foreign keys on, and records its migrations", async () => {
    const file = newFile();
    await (await openSqliteStore({ file })).close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      const versions = db.prepare("SELECT version FROM schema_migrations ORDER BY version").pluck().all();
      expect(versions).toEqual(readMigrations().map((m) => m.version));
    } finally {
      db.close();
    }
  });

  it("refuses a database whose schema is newer than this code, naming the file and versions", async () => {
    const file = newFile();
    await (await openSqliteStore({ file })).close();
    const known = readMigrations().at(-1)!.version;
    const db = new Database(file);
    db.prepare("INSERT INTO schema_migrations (version, file, applied_at) VALUES (?, ?, ?)").run(
      known + 1,
      "9999_from_the_future.sql",
      Date.now(),
    );
    db.close();

    const opening = openSqliteStore({ file });
    await expect(opening).rejects.toBeInstanceOf(SchemaTooNewError);
    await expect(opening).rejects.toThrow(file);
    await expect(opening).rejects.toThrow(`schema version ${known + 1}`);
    await expect(opening).rejects.toThrow(`up to ${known}`);
  });

  it("rejects commits and reads after close", async () => {
    const store = await openSqliteStore({ file: newFile() });
    await store.close();
    await store.close();
    await expect(store.getExecution("arn")).rejects.toThrow(/closed/);
    const e = executionRecord({ name: "late" });
    await expect(store.commit(createDecision(e))).rejects.toThrow(/closed/);
  });
});
