// Functions in PostgreSQL: code blobs, revisions, versions and aliases (see 0001_init.sql). These
// writes are rare (a deploy, a reload), so each is its own small transaction beside the group
// committer. The writes that read before they write (publishing the next number, saving code that
// collection could delete under it) take one advisory lock, so that nodes sharing the database
// take turns.
import type pg from "pg";
import type {
  AliasRecord,
  CodeBlob,
  CodeRevision,
  CollectedCode,
  FunctionVersionRecord,
} from "../function-records.js";
import { LATEST } from "../function-records.js";
import { checkout } from "./connection.js";

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

/** Per schema, like the migration lock: deployments in other schemas do not wait for each other. */
const LOCK_FUNCTIONS =
  "SELECT pg_advisory_xact_lock(hashtext('dormouse.functions'), hashtext(coalesce(current_schema(), '')))";

export class PostgresFunctionRecords {
  constructor(private readonly pool: pg.Pool) {}

  async saveCode(revision: CodeRevision, blobs: CodeBlob[]): Promise<void> {
    await this.transaction(async (client) => {
      await client.query(LOCK_FUNCTIONS);
      if (blobs.length > 0) {
        await client.query(
          `INSERT INTO code_blobs (hash, bytes) SELECT * FROM unnest($1::text[], $2::bytea[])
           ON CONFLICT DO NOTHING`,
          [blobs.map((b) => b.hash), blobs.map((b) => Buffer.from(b.bytes))],
        );
      }
      const inserted = await client.query(
        `INSERT INTO code_revisions (code_id, function_name, record) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [revision.id, revision.functionName, revision.record],
      );
      if (inserted.rowCount === 0 || revision.blobs.length === 0) return;
      await client.query(
        `INSERT INTO code_revision_blobs (code_id, hash) SELECT $1, unnest($2::text[])
         ON CONFLICT DO NOTHING`,
        [revision.id, [...new Set(revision.blobs)]],
      );
    });
  }

  async getCode(codeId: string): Promise<CodeRevision | undefined> {
    const { rows } = await this.pool.query<{ function_name: string; record: string; blobs: string[] }>({
      name: "dormouse_get_code",
      text: `SELECT r.function_name, r.record,
                    array(SELECT b.hash FROM code_revision_blobs b WHERE b.code_id = r.code_id ORDER BY b.hash)
                      AS blobs
               FROM code_revisions r WHERE r.code_id = $1`,
      values: [codeId],
    });
    const row = rows[0];
    return row && { id: codeId, functionName: row.function_name, record: row.record, blobs: row.blobs };
  }

  async getBlobs(hashes: string[]): Promise<CodeBlob[]> {
    const { rows } = await this.pool.query<{ hash: string; bytes: Buffer }>({
      name: "dormouse_get_blobs",
      text: "SELECT hash, bytes FROM code_blobs WHERE hash = ANY ($1::text[])",
      values: [hashes],
    });
    return rows.map((row) => ({ hash: row.hash, bytes: new Uint8Array(row.bytes) }));
  }

  async setLatest(functionName: string, codeId: string, at: number): Promise<FunctionVersionRecord> {
    await this.pool.query(
      `INSERT INTO function_versions (function_name, number, code_id, published_at) VALUES ($1, 0, $2, $3)
       ON CONFLICT (function_name, number) DO UPDATE SET code_id = excluded.code_id,
         published_at = excluded.published_at`,
      [functionName, codeId, at],
    );
    return { functionName, version: LATEST, codeId, publishedAt: at };
  }

  async publishVersion(functionName: string, codeId: string, at: number): Promise<FunctionVersionRecord> {
    return this.transaction(async (client) => {
      await client.query(LOCK_FUNCTIONS);
      // Numbers are never reused: collection keeps the newest version, so max + 1 is always new.
      const { rows } = await client.query<{ number: number }>(
        `INSERT INTO function_versions (function_name, number, code_id, published_at)
         SELECT $1, coalesce(max(number), 0) + 1, $2, $3 FROM function_versions WHERE function_name = $1
         RETURNING number`,
        [functionName, codeId, at],
      );
      return { functionName, version: String(rows[0]!.number), codeId, publishedAt: at };
    });
  }

  async listFunctionVersions(functionName?: string): Promise<FunctionVersionRecord[]> {
    const { rows } =
      functionName === undefined
        ? await this.pool.query<VersionRow>("SELECT * FROM function_versions ORDER BY function_name, number")
        : await this.pool.query<VersionRow>(
            "SELECT * FROM function_versions WHERE function_name = $1 ORDER BY number",
            [functionName],
          );
    return rows.map((row) => ({
      functionName: row.function_name,
      version: row.number === 0 ? LATEST : String(row.number),
      codeId: row.code_id,
      publishedAt: row.published_at,
    }));
  }

  async deleteFunctionVersion(functionName: string, version: string): Promise<void> {
    const number = version === LATEST ? 0 : Number(version);
    if (!Number.isInteger(number) || Math.abs(number) > 2 ** 31 - 1) return;
    await this.pool.query("DELETE FROM function_versions WHERE function_name = $1 AND number = $2", [
      functionName,
      number,
    ]);
  }

  async deleteFunction(functionName: string): Promise<void> {
    await this.transaction(async (client) => {
      await client.query(LOCK_FUNCTIONS);
      await client.query("DELETE FROM function_aliases WHERE function_name = $1", [functionName]);
      await client.query("DELETE FROM function_versions WHERE function_name = $1", [functionName]);
    });
  }

  async putAlias(alias: AliasRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO function_aliases (function_name, name, version, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (function_name, name) DO UPDATE SET version = excluded.version,
         updated_at = excluded.updated_at`,
      [alias.functionName, alias.name, alias.version, alias.updatedAt],
    );
  }

  async listAliases(functionName?: string): Promise<AliasRecord[]> {
    const { rows } =
      functionName === undefined
        ? await this.pool.query<AliasRow>("SELECT * FROM function_aliases ORDER BY function_name, name")
        : await this.pool.query<AliasRow>(
            "SELECT * FROM function_aliases WHERE function_name = $1 ORDER BY name",
            [functionName],
          );
    return rows.map((row) => ({
      functionName: row.function_name,
      name: row.name,
      version: row.version,
      updatedAt: row.updated_at,
    }));
  }

  async collectCode(): Promise<CollectedCode> {
    return this.transaction(async (client) => {
      await client.query(LOCK_FUNCTIONS);
      const revisions = await client.query(`DELETE FROM code_revisions r WHERE
        NOT EXISTS (SELECT 1 FROM function_versions v WHERE v.code_id = r.code_id) AND
        NOT EXISTS (SELECT 1 FROM executions e WHERE e.code_id = r.code_id)`);
      const blobs = await client.query(
        "DELETE FROM code_blobs c WHERE NOT EXISTS (SELECT 1 FROM code_revision_blobs b WHERE b.hash = c.hash)",
      );
      return { revisions: revisions.rowCount ?? 0, blobs: blobs.rowCount ?? 0 };
    });
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await checkout(this.pool);
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
