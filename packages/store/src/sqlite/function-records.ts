// Functions in SQLite: code blobs, revisions, versions and aliases (see 0003_function_versions.sql).
// These writes are rare (a deploy, a reload), so each is its own small transaction outside the
// group committer; better-sqlite3 is synchronous, so they never interleave with a batch.
import type Database from "better-sqlite3";
import type {
  AliasRecord,
  CodeBlob,
  CodeRevision,
  CollectedCode,
  FunctionVersionRecord,
} from "../function-records.js";
import { LATEST } from "../function-records.js";

interface VersionRow {
  function_name: string;
  number: number;
  code_id: string;
  published_at: number;
}

interface AliasRow {
  function_name: string;
  name: string;
  version: string;
  updated_at: number;
}

export class SqliteFunctionRecords {
  readonly saveCode: (revision: CodeRevision, blobs: CodeBlob[]) => void;
  readonly publishVersion: (functionName: string, codeId: string, at: number) => FunctionVersionRecord;
  readonly collectCode: () => CollectedCode;
  readonly deleteFunction: (functionName: string) => void;

  constructor(private readonly db: Database.Database) {
    const insertBlob = db.prepare(
      "INSERT INTO code_blobs (hash, bytes) VALUES (?, ?) ON CONFLICT DO NOTHING",
    );
    const insertRevision = db.prepare(
      "INSERT INTO code_revisions (code_id, function_name, record) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    );
    const insertUse = db.prepare(
      "INSERT INTO code_revision_blobs (code_id, hash) VALUES (?, ?) ON CONFLICT DO NOTHING",
    );
    this.saveCode = db.transaction((revision: CodeRevision, blobs: CodeBlob[]) => {
      for (const blob of blobs) insertBlob.run(blob.hash, Buffer.from(blob.bytes));
      if (insertRevision.run(revision.id, revision.functionName, revision.record).changes === 0) return;
      for (const hash of new Set(revision.blobs)) insertUse.run(revision.id, hash);
    });

    const nextNumber = db
      .prepare<[string], number>(
        "SELECT coalesce(max(number), 0) + 1 FROM function_versions WHERE function_name = ?",
      )
      .pluck();
    const insertVersion = db.prepare(
      "INSERT INTO function_versions (function_name, number, code_id, published_at) VALUES (?, ?, ?, ?)",
    );
    this.publishVersion = db.transaction((functionName: string, codeId: string, at: number) => {
      // Numbers are never reused: collection keeps the newest version, so max + 1 is always new.
      const number = nextNumber.get(functionName) ?? 1;
      insertVersion.run(functionName, number, codeId, at);
      return { functionName, version: String(number), codeId, publishedAt: at };
    });

    const deleteRevisions = db.prepare(`DELETE FROM code_revisions WHERE
      code_id NOT IN (SELECT code_id FROM function_versions) AND
      code_id NOT IN (SELECT json_extract(record, '$.codeId') FROM executions
                      WHERE json_extract(record, '$.codeId') IS NOT NULL)`);
    const deleteBlobs = db.prepare(
      "DELETE FROM code_blobs WHERE hash NOT IN (SELECT hash FROM code_revision_blobs)",
    );
    const deleteVersions = db.prepare("DELETE FROM function_versions WHERE function_name = ?");
    const deleteAliases = db.prepare("DELETE FROM function_aliases WHERE function_name = ?");
    this.deleteFunction = db.transaction((functionName: string) => {
      deleteAliases.run(functionName);
      deleteVersions.run(functionName);
    });

    this.collectCode = db.transaction(() => ({
      revisions: deleteRevisions.run().changes,
      blobs: deleteBlobs.run().changes,
    }));
  }

  getCode(codeId: string): CodeRevision | undefined {
    const row = this.db
      .prepare<[string], { function_name: string; record: string }>(
        "SELECT function_name, record FROM code_revisions WHERE code_id = ?",
      )
      .get(codeId);
    if (!row) return undefined;
    const blobs = this.db
      .prepare<[string], string>("SELECT hash FROM code_revision_blobs WHERE code_id = ? ORDER BY hash")
      .pluck()
      .all(codeId);
    return { id: codeId, functionName: row.function_name, record: row.record, blobs };
  }

  getBlobs(hashes: string[]): CodeBlob[] {
    return this.db
      .prepare<[string], { hash: string; bytes: Buffer }>(
        "SELECT hash, bytes FROM code_blobs WHERE hash IN (SELECT value FROM json_each(?))",
      )
      .all(JSON.stringify(hashes))
      .map((row) => ({ hash: row.hash, bytes: new Uint8Array(row.bytes) }));
  }

  setLatest(functionName: string, codeId: string, at: number): FunctionVersionRecord {
    this.db
      .prepare(
        `INSERT INTO function_versions (function_name, number, code_id, published_at) VALUES (?, 0, ?, ?)
         ON CONFLICT (function_name, number) DO UPDATE SET code_id = excluded.code_id,
           published_at = excluded.published_at`,
      )
      .run(functionName, codeId, at);
    return { functionName, version: LATEST, codeId, publishedAt: at };
  }

  listFunctionVersions(functionName?: string): FunctionVersionRecord[] {
    const rows =
      functionName === undefined
        ? this.db
            .prepare<[], VersionRow>("SELECT * FROM function_versions ORDER BY function_name, number")
            .all()
        : this.db
            .prepare<[string], VersionRow>(
              "SELECT * FROM function_versions WHERE function_name = ? ORDER BY number",
            )
            .all(functionName);
    return rows.map((row) => ({
      functionName: row.function_name,
      version: row.number === 0 ? LATEST : String(row.number),
      codeId: row.code_id,
      publishedAt: row.published_at,
    }));
  }

  deleteFunctionVersion(functionName: string, version: string): void {
    const number = version === LATEST ? 0 : Number(version);
    if (!Number.isInteger(number)) return;
    this.db
      .prepare("DELETE FROM function_versions WHERE function_name = ? AND number = ?")
      .run(functionName, number);
  }

  putAlias(alias: AliasRecord): void {
    this.db
      .prepare(
        `INSERT INTO function_aliases (function_name, name, version, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (function_name, name) DO UPDATE SET version = excluded.version,
           updated_at = excluded.updated_at`,
      )
      .run(alias.functionName, alias.name, alias.version, alias.updatedAt);
  }

  listAliases(functionName?: string): AliasRecord[] {
    const rows =
      functionName === undefined
        ? this.db.prepare<[], AliasRow>("SELECT * FROM function_aliases ORDER BY function_name, name").all()
        : this.db
            .prepare<[string], AliasRow>(
              "SELECT * FROM function_aliases WHERE function_name = ? ORDER BY name",
            )
            .all(functionName);
    return rows.map((row) => ({
      functionName: row.function_name,
      name: row.name,
      version: row.version,
      updatedAt: row.updated_at,
    }));
  }
}
