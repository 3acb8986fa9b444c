// Versions and aliases (issue #3): ListVersionsByFunction, PublishVersion, ListAliases, GetAlias,
// with the shapes @aws-sdk/client-lambda parses. Versions are published by `dormouse dev` and
// `dormouse deploy` (AutoPublishAlias) or by PublishVersion; aliases come from the template.
import { functionArn, invalidParameter, notFound, parseFunctionRef } from "@dormouse/protocol";
import type { FunctionVersionsService } from "@dormouse/scheduler";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { functionName } from "../schemas.js";
import { pathParam, queryOf, validate } from "../validation.js";
import { functionConfiguration } from "../wire.js";
import type { RouteContext } from "./context.js";

/** Lambda's default page size for these listings. */
const PAGE = 50;

const pageQuery = z.object({
  Marker: z.string().optional(),
  MaxItems: z.coerce.number().int().min(1).max(10_000).optional(),
  FunctionVersion: z.string().optional(),
});

const codeArchiveName = z.string().regex(/^[0-9a-f]{64}\.zip$/, { error: "must be a revision id and .zip" });

const aliasName = z
  .string()
  .regex(/^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/, { error: "must be letters, digits, - or _, not only digits" })
  .max(128);

function page<T>(items: T[], marker: string | undefined, maxItems: number | undefined) {
  const start = marker === undefined ? 0 : Number(marker);
  if (!Number.isSafeInteger(start) || start < 0 || String(start) !== (marker ?? "0")) {
    throw invalidParameter("Marker: is not a marker returned by this API");
  }
  const end = start + (maxItems ?? PAGE);
  return { items: items.slice(start, end), ...(end < items.length ? { next: String(end) } : {}) };
}

export function registerFunctionVersionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { arnContext } = ctx;
  const versions = (): FunctionVersionsService => {
    if (!ctx.versions) throw invalidParameter("This server does not keep function versions");
    return ctx.versions;
  };
  /** The function's name: FunctionName may be an ARN, but not a qualified one here. */
  const nameOf = (request: FastifyRequest): string => {
    const ref = parseFunctionRef(pathParam(request, "fn", functionName, "FunctionName"))!;
    if (ref.qualifier !== undefined) {
      throw invalidParameter("FunctionName: must not be qualified here (no :version or :alias)");
    }
    return ref.name;
  };
  const aliasConfiguration = (fn: string, alias: { name: string; version: string }) => ({
    AliasArn: functionArn(arnContext, fn, alias.name),
    Name: alias.name,
    FunctionVersion: alias.version,
    Description: "",
    RevisionId: `${fn}:${alias.name}:${alias.version}`,
  });

  app.get("/2015-03-31/functions/:fn/versions", async (request) => {
    const name = nameOf(request);
    const q = validate(pageQuery, queryOf(request));
    const all = versions().listVersions(name);
    if (!all) throw notFound(`Function not found: ${functionArn(arnContext, name)}`);
    const { items, next } = page(all, q.Marker, q.MaxItems);
    return {
      Versions: items.map((v) => functionConfiguration(v, arnContext, v.version)),
      ...(next ? { NextMarker: next } : {}),
    };
  });

  app.post("/2015-03-31/functions/:fn/versions", async (request, reply) => {
    const name = nameOf(request);
    if (!versions().listVersions(name))
      throw notFound(`Function not found: ${functionArn(arnContext, name)}`);
    const published = await versions().publishVersion(name);
    void reply.code(201);
    return functionConfiguration(published, arnContext, published.version);
  });

  app.get("/2015-03-31/functions/:fn/aliases", async (request) => {
    const name = nameOf(request);
    const q = validate(pageQuery, queryOf(request));
    const all = versions().listAliases(name);
    if (!all) throw notFound(`Function not found: ${functionArn(arnContext, name)}`);
    const filtered =
      q.FunctionVersion === undefined ? all : all.filter((a) => a.version === q.FunctionVersion);
    const { items, next } = page(filtered, q.Marker, q.MaxItems);
    return {
      Aliases: items.map((a) => aliasConfiguration(name, a)),
      ...(next ? { NextMarker: next } : {}),
    };
  });

  // GetFunction's Code.Location: the snapshot a version runs, as a zip (like Lambda's package URL).
  app.get("/dormouse-api/code/:archive", async (request, reply) => {
    const archive = pathParam(request, "archive", codeArchiveName, "archive");
    const bytes = await versions().codeArchive(archive.slice(0, -".zip".length));
    if (!bytes) throw notFound(`Code not found: ${archive}`);
    return reply
      .type("application/zip")
      .header("content-disposition", `attachment; filename="${archive}"`)
      .header("cache-control", "public, max-age=31536000, immutable")
      .send(Buffer.from(bytes));
  });

  app.get("/2015-03-31/functions/:fn/aliases/:alias", async (request) => {
    const name = nameOf(request);
    const alias = pathParam(request, "alias", aliasName, "Name");
    const found = versions()
      .listAliases(name)
      ?.find((a) => a.name === alias);
    if (!found) throw notFound(`Alias not found: ${functionArn(arnContext, name, alias)}`);
    return aliasConfiguration(name, found);
  });
}
