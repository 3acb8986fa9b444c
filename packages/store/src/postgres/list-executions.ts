// listExecutions in SQL: one statement per combination of filters, named by its text so that each
// shape is prepared once per connection. Pages on (started_at, arn) like the SQLite adapter, with the
// same opaque cursor (cursor.ts).
import { createHash } from "node:crypto";
import type pg from "pg";
import { decodeListCursor } from "../cursor.js";
import type { ListExecutionsQuery } from "../store.js";

/** The statement for one page; it asks for `limit + 1` rows to learn whether a next page exists. */
export function listExecutionsStatement(query: ListExecutionsQuery, limit: number): pg.QueryConfig {
  const where: string[] = [];
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  if (query.functionName !== undefined) where.push(`function_name = ${param(query.functionName)}`);
  if (query.arn !== undefined) where.push(`arn = ${param(query.arn)}`);
  if (query.version !== undefined) where.push(`version = ${param(query.version)}`);
  if (query.name !== undefined) where.push(`name = ${param(query.name)}`);
  if (query.namePrefix !== undefined && query.namePrefix !== "") {
    // An exact, case-sensitive prefix test: no LIKE, so `_` and `%` are ordinary characters.
    where.push(`starts_with(name, ${param(query.namePrefix)})`);
  }
  // One statement shape for any number of statuses.
  if (query.statuses !== undefined) where.push(`status = ANY (${param(query.statuses)}::text[])`);
  if (query.startedAfter !== undefined) where.push(`started_at > ${param(query.startedAfter)}`);
  if (query.startedBefore !== undefined) where.push(`started_at < ${param(query.startedBefore)}`);
  const order = query.oldestFirst ? "ASC" : "DESC";
  if (query.cursor !== undefined) {
    const cursor = decodeListCursor(query.cursor);
    const after = query.oldestFirst ? ">" : "<";
    where.push(`(started_at, arn) ${after} (${param(cursor.startedAt)}::bigint, ${param(cursor.arn)})`);
  }
  const text =
    `SELECT record FROM executions ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ` +
    `ORDER BY started_at ${order}, arn ${order} LIMIT ${param(limit + 1)}`;
  const name = `dormouse_list_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`;
  return { name, text, values };
}
