// The functions this server runs, backed by the store (issue #3): `$LATEST` per function,
// immutable numbered versions, aliases. Resolution is synchronous (the orchestrator resolves inside
// its decisions), so versions, aliases and their revisions are kept in memory and written through.
//
//   publish(defs)   snapshot each function's code; $LATEST moves when code or configuration
//                   changed; with AutoPublishAlias a new version is published (only when changed)
//                   and the alias moved to it
//   resolve(ref)    name | name:$LATEST | name:N | name:alias | partial/full ARN → ResolvedFunction,
//                   with the revision (codeId) so that $LATEST executions stay on their code
//   definition(ref) the FunctionDefinition to run, from the materialised snapshot
//   removeAllBut    functions a template no longer declares are deleted (versions and aliases);
//                   their executions keep running on the revisions they pinned
//   collect()       versions, revisions, blobs and materialised directories nothing needs
import type { ResolvedFunction } from "@dormouse/engine";
import { invalidParameter, parseFunctionRef } from "@dormouse/protocol";
import type { FunctionDefinition } from "@dormouse/runtime";
import type {
  FunctionAlias,
  FunctionCatalog,
  FunctionSummary,
  FunctionVersionRef,
} from "@dormouse/scheduler";
import type { AliasRecord, FunctionVersionRecord, Store } from "@dormouse/store";
import { LATEST } from "@dormouse/store";
import { CodeCache } from "./code-cache.js";
import type { CodeUsers } from "./code-cache.js";
import type { PreparedRevision, RevisionRecord } from "./revision.js";
import { prepareRevision, toDefinition } from "./revision.js";
import { zip } from "./zip.js";

export interface PublishedFunction {
  name: string;
  /** The revision `$LATEST` now runs. */
  codeId: string;
  /** True when `$LATEST` moved (the code or configuration changed). */
  changed: boolean;
  /** The version published now, if any. */
  publishedVersion?: string;
  alias?: { name: string; version: string };
}

export interface CollectResult {
  /** `name:version` of each version deleted. */
  versions: string[];
  revisions: number;
  blobs: number;
  /** Materialised code directories removed. */
  directories: number;
}

export interface RegistryOptions {
  store: Store;
  /** `<dataDir>/code`: where snapshots are materialised for the runtime. */
  codeRoot: string;
  clock?: () => number;
  /** Called after a publish, removal or collection, so that other nodes reload (see reload()). */
  onChanged?: () => void;
}

/** The lock (across the nodes sharing the store) that publishes and collections take turns on. */
const FUNCTIONS_LOCK = "functions";

export class FunctionRegistry implements FunctionCatalog {
  /** Per function: `$LATEST` first, then versions by number. */
  private readonly versions = new Map<string, FunctionVersionRecord[]>();
  private readonly aliasesByName = new Map<string, Map<string, AliasRecord>>();
  private readonly records = new Map<string, RevisionRecord>();
  private readonly code: CodeCache;
  private readonly clock: () => number;
  /** Publishing and collecting take turns (a collection must not see half a publish). */
  private turn: Promise<unknown> = Promise.resolve();

  private constructor(private readonly opts: RegistryOptions) {
    this.code = new CodeCache(opts.store, opts.codeRoot);
    this.clock = opts.clock ?? Date.now;
  }

  static async open(opts: RegistryOptions): Promise<FunctionRegistry> {
    const registry = new FunctionRegistry(opts);
    await registry.reload();
    return registry;
  }

  /**
   * Reads versions and aliases from the store again (another node published or removed something).
   * Resolution goes on from the previous view until the new one is complete.
   */
  async reload(): Promise<void> {
    const { store } = this.opts;
    const [versions, aliases] = await Promise.all([store.listFunctionVersions(), store.listAliases()]);
    for (const v of versions) await this.record(v.codeId);
    this.versions.clear();
    for (const v of versions) {
      const list = this.versions.get(v.functionName);
      if (list) list.push(v);
      else this.versions.set(v.functionName, [v]);
    }
    this.aliasesByName.clear();
    for (const a of aliases) this.aliasMap(a.functionName).set(a.name, a);
  }

  /** Reloads in turn with this node's publishes (after another node changed the functions). */
  refresh(): Promise<void> {
    const run = this.turn.then(
      () => this.reload(),
      () => this.reload(),
    );
    this.turn = run.catch(() => undefined);
    return run;
  }

  /**
   * Publishes definitions without checking that they load (the functions a server starts with);
   * they are the whole application: functions not among them are removed.
   */
  publish(defs: FunctionDefinition[]): Promise<PublishedFunction[]> {
    const prepared = defs.map((def) => ({ def, rev: prepareRevision(def) }));
    return this.exclusive(async () => {
      const out: PublishedFunction[] = [];
      for (const { def, rev } of prepared) out.push(await this.publishRevision(rev, def.autoPublishAlias));
      await this.removeAllBut(new Set(defs.map((d) => d.name)));
      return out;
    });
  }

  async publishRevision(rev: PreparedRevision, aliasName?: string): Promise<PublishedFunction> {
    const { store } = this.opts;
    const name = rev.record.name;
    const now = this.clock();
    await store.saveCode(rev.revision, rev.blobs);
    this.records.set(rev.revision.id, rev.record);
    const list = this.versions.get(name) ?? [];
    const latest = list.find((v) => v.version === LATEST);
    const changed = latest?.codeId !== rev.revision.id;
    if (changed) {
      const record = await store.setLatest(name, rev.revision.id, now);
      this.versions.set(name, [record, ...list.filter((v) => v.version !== LATEST)]);
    }
    const result: PublishedFunction = { name, codeId: rev.revision.id, changed };
    if (aliasName !== undefined) {
      const published = await this.publishVersionNow(name);
      if (published.created) result.publishedVersion = published.version.version;
      const alias = {
        functionName: name,
        name: aliasName,
        version: published.version.version,
        updatedAt: now,
      };
      const current = this.aliasMap(name).get(aliasName);
      if (current?.version !== alias.version) {
        await store.putAlias(alias);
        this.aliasMap(name).set(aliasName, alias);
      }
      result.alias = { name: aliasName, version: alias.version };
    }
    return result;
  }

  /** PublishVersion (the API): publishVersionNow, in turn with other publishes. */
  publishVersion(name: string): Promise<{ version: FunctionVersionRecord; created: boolean }> {
    return this.exclusive(() => this.publishVersionNow(name));
  }

  /** A new version of `$LATEST`, unless the newest version already has its code. */
  private async publishVersionNow(
    name: string,
  ): Promise<{ version: FunctionVersionRecord; created: boolean }> {
    const list = this.versions.get(name) ?? [];
    const latest = list.find((v) => v.version === LATEST);
    if (!latest) throw invalidParameter(`Function not found: ${name}`);
    const newest = list.at(-1);
    if (newest && newest.version !== LATEST && newest.codeId === latest.codeId) {
      return { version: newest, created: false };
    }
    const version = await this.opts.store.publishVersion(name, latest.codeId, this.clock());
    list.push(version);
    this.versions.set(name, list);
    return { version, created: true };
  }

  /** Hashes of the revision's files that neither the revision nor the store has. */
  async missingBlobs(rev: PreparedRevision): Promise<string[]> {
    const have = new Set(rev.blobs.map((b) => b.hash));
    return this.storedMissing(rev.revision.blobs.filter((h) => !have.has(h)));
  }

  /** The hashes the store has no blob for. */
  async storedMissing(hashes: string[]): Promise<string[]> {
    const stored = new Set((await this.opts.store.getBlobs(hashes)).map((b) => b.hash));
    return [...new Set(hashes)].filter((h) => !stored.has(h));
  }

  /**
   * Runs `work` while no other publish or collection runs, here or on another node sharing the
   * store: it holds the store's functions lock and starts from the store's current versions, so
   * nodes starting together with one template publish it once, and version numbers never race.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const locked = () =>
      this.opts.store.withLock(FUNCTIONS_LOCK, async () => {
        await this.reload();
        try {
          return await work();
        } finally {
          this.opts.onChanged?.();
        }
      });
    const run = this.turn.then(locked, locked);
    this.turn = run.catch(() => undefined);
    return run;
  }

  /**
   * Deletes the functions not named (a template no longer declares them), like Lambda's
   * DeleteFunction: no new executions, gone from the listings. Executions already running keep
   * the revision they pinned, which is kept until they are purged.
   */
  async removeAllBut(names: ReadonlySet<string>): Promise<string[]> {
    const removed = [...this.versions.keys()].filter((name) => !names.has(name)).sort();
    for (const name of removed) {
      await this.opts.store.deleteFunction(name);
      this.versions.delete(name);
      this.aliasesByName.delete(name);
    }
    return removed;
  }

  /** Saves a revision's code and writes it out, without publishing it (to check that it loads). */
  async materialise(rev: PreparedRevision): Promise<FunctionDefinition> {
    await this.opts.store.saveCode(rev.revision, rev.blobs);
    return toDefinition(rev.record, LATEST, await this.code.directory(rev.record));
  }

  resolve(ref: string, qualifier?: string): ResolvedFunction | undefined {
    const found = this.lookup(ref, qualifier);
    const record = found && this.records.get(found.codeId);
    if (!found || !record) return undefined;
    return {
      functionName: found.functionName,
      version: found.version,
      durable: record.durable !== undefined,
      executionTimeoutSeconds: record.durable?.executionTimeoutSeconds ?? 0,
      retentionDays: record.durable?.retentionDays ?? 0,
      functionTimeoutSeconds: record.timeoutSeconds,
      codeId: found.codeId,
    };
  }

  /** The version a reference names (aliases resolved to their version). */
  lookup(ref: string, qualifier?: string): FunctionVersionRecord | undefined {
    const parsed = parseFunctionRef(ref);
    if (!parsed) return undefined;
    if (qualifier !== undefined && parsed.qualifier !== undefined && qualifier !== parsed.qualifier) {
      throw invalidParameter(
        `The qualifier in FunctionName (${parsed.qualifier}) conflicts with the Qualifier parameter (${qualifier})`,
      );
    }
    const q = parsed.qualifier ?? qualifier ?? LATEST;
    const version = this.aliasesByName.get(parsed.name)?.get(q)?.version ?? q;
    return this.versions.get(parsed.name)?.find((v) => v.version === version);
  }

  /** What to run for an invocation: the pinned revision when there is one, else the version's. */
  async definition(ref: FunctionVersionRef): Promise<FunctionDefinition | undefined> {
    const codeId =
      ref.codeId ?? this.versions.get(ref.functionName)?.find((v) => v.version === ref.version)?.codeId;
    const record = codeId === undefined ? undefined : await this.record(codeId);
    if (!record) return undefined;
    return toDefinition(record, ref.version, await this.code.directory(record));
  }

  list(): FunctionSummary[] {
    const out: FunctionSummary[] = [];
    for (const [name, list] of [...this.versions].sort(([a], [b]) => (a < b ? -1 : 1))) {
      for (const v of list) {
        const r = this.records.get(v.codeId);
        if (r) out.push(summary(name, v, r));
      }
    }
    return out;
  }

  aliases(): FunctionAlias[] {
    return [...this.aliasesByName.values()].flatMap((m) =>
      [...m.values()].map((a) => ({ functionName: a.functionName, name: a.name, version: a.version })),
    );
  }

  versionsOf(name: string): FunctionVersionRecord[] {
    return [...(this.versions.get(name) ?? [])];
  }

  aliasesOf(name: string): AliasRecord[] {
    return [...(this.aliasesByName.get(name)?.values() ?? [])];
  }

  /**
   * Deletes the versions nothing needs any more, then the code only they used. A version is kept
   * while it is `$LATEST` or the newest, an alias points at it, or a stored execution (one not yet
   * purged after its retention) ran on it; a `$LATEST` execution keeps its revision's code.
   * Materialised directories go with their revisions, once `users` (the runtime) runs nothing
   * from them.
   */
  collect(users?: CodeUsers): Promise<CollectResult> {
    return this.exclusive(() => this.collectNow(users));
  }

  private async collectNow(users?: CodeUsers): Promise<CollectResult> {
    const { store } = this.opts;
    const deleted: string[] = [];
    for (const [name, list] of this.versions) {
      const newest = list.at(-1);
      const aliased = new Set([...(this.aliasesByName.get(name)?.values() ?? [])].map((a) => a.version));
      for (const v of list) {
        if (v.version === LATEST || v === newest || aliased.has(v.version)) continue;
        const used = await store.listExecutions({ functionName: name, version: v.version, limit: 1 });
        if (used.items.length > 0) continue;
        await store.deleteFunctionVersion(name, v.version);
        deleted.push(`${name}:${v.version}`);
      }
      this.versions.set(
        name,
        list.filter((v) => !deleted.includes(`${name}:${v.version}`)),
      );
    }
    const code = await store.collectCode();
    const versioned = new Set([...this.versions.values()].flatMap((list) => list.map((v) => v.codeId)));
    for (const id of [...this.records.keys()]) {
      if (!versioned.has(id) && !(await store.getCode(id))) this.records.delete(id);
    }
    const keep = new Set([...this.records.values()].map((r) => this.code.path(r)));
    const directories = this.code.sweep(keep, users).length;
    return { versions: deleted, ...code, directories };
  }

  /** The revision's files as a zip archive (GetFunction's Code.Location); undefined if unknown. */
  async archive(codeId: string): Promise<Buffer | undefined> {
    const record = await this.record(codeId);
    if (!record) return undefined;
    const blobs = new Map(
      (await this.opts.store.getBlobs(record.manifest.map((e) => e.hash))).map((b) => [b.hash, b.bytes]),
    );
    return zip(
      record.manifest.map((e) => {
        const bytes = blobs.get(e.hash);
        if (!bytes) throw new Error(`code of ${record.name} is missing the blob of ${e.path}`);
        return { path: e.path, bytes, ...(e.executable ? { executable: true } : {}) };
      }),
    );
  }

  revision(codeId: string): RevisionRecord | undefined {
    return this.records.get(codeId);
  }

  private aliasMap(name: string): Map<string, AliasRecord> {
    let m = this.aliasesByName.get(name);
    if (!m) this.aliasesByName.set(name, (m = new Map()));
    return m;
  }

  private async record(codeId: string): Promise<RevisionRecord | undefined> {
    const known = this.records.get(codeId);
    if (known) return known;
    const revision = await this.opts.store.getCode(codeId);
    if (!revision) return undefined;
    const record = JSON.parse(revision.record) as RevisionRecord;
    this.records.set(codeId, record);
    return record;
  }
}

function summary(name: string, v: FunctionVersionRecord, r: RevisionRecord): FunctionSummary {
  const s: FunctionSummary = {
    name,
    version: v.version,
    durable: r.durable !== undefined,
    timeoutSeconds: r.timeoutSeconds,
    memoryMb: r.memoryMb,
    handler: r.handler,
    runtime: r.runtime,
    environment: { ...r.environment },
    lastModified: v.publishedAt,
  };
  if (r.durable) {
    s.executionTimeoutSeconds = r.durable.executionTimeoutSeconds;
    s.retentionDays = r.durable.retentionDays;
  }
  return s;
}
