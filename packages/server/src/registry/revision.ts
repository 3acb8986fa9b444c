// A revision: one function's configuration and code snapshot, named by a hash over both. What a
// version is, immutably; `$LATEST` points at the newest revision, executions pin one (`codeId`).
import path from "node:path";
import type { FunctionDefinition } from "@dormouse/runtime";
import type { CodeBlob, CodeRevision } from "@dormouse/store";
import type { ManifestEntry, Snapshot } from "./snapshot.js";
import { sha256, snapshotDirectory } from "./snapshot.js";

export interface RevisionRecord {
  format: 1;
  name: string;
  /** Handler module relative to the code root, with `/`. */
  handlerPath: string;
  handlerExport: string;
  handler: string;
  runtime: string;
  timeoutSeconds: number;
  memoryMb: number;
  environment: Record<string, string>;
  durable?: { executionTimeoutSeconds: number; retentionDays: number };
  /**
   * The directory the code was published from on this machine: its dependencies (node_modules)
   * resolve from there. Absent for deployed code, which carries its dependencies in the manifest.
   */
  sourceDir?: string;
  manifest: ManifestEntry[];
}

export interface PreparedRevision {
  revision: CodeRevision;
  record: RevisionRecord;
  blobs: CodeBlob[];
}

/** Snapshots the definition's code directory and describes it as a revision. */
export function prepareRevision(def: FunctionDefinition, snapshot?: Snapshot): PreparedRevision {
  const code = snapshot ?? snapshotDirectory(def.codeDir);
  const handlerPath = path.relative(def.codeDir, def.handlerFile).split(path.sep).join("/");
  const record: RevisionRecord = {
    format: 1,
    name: def.name,
    handlerPath,
    handlerExport: def.handlerExport,
    handler: def.handler,
    runtime: def.runtime,
    timeoutSeconds: def.timeoutSeconds,
    memoryMb: def.memoryMb,
    environment: Object.fromEntries(Object.entries(def.environment).sort(([a], [b]) => (a < b ? -1 : 1))),
    ...(def.durable ? { durable: def.durable } : {}),
    sourceDir: def.codeDir,
    manifest: code.manifest,
  };
  return fromRecord(record, code.blobs);
}

/** A revision from a record and the bytes of its files (as a deploy bundle sends them). */
export function fromRecord(record: RevisionRecord, bytes: Map<string, Uint8Array>): PreparedRevision {
  const text = JSON.stringify(record);
  const hashes = [...new Set(record.manifest.map((e) => e.hash))];
  return {
    revision: { id: sha256(text), functionName: record.name, record: text, blobs: hashes },
    record,
    blobs: hashes.flatMap((hash) => {
      const b = bytes.get(hash);
      return b ? [{ hash, bytes: b }] : [];
    }),
  };
}

/** The definition the runtime runs for `version`, from code materialised in `codeDir`. */
export function toDefinition(record: RevisionRecord, version: string, codeDir: string): FunctionDefinition {
  const def: FunctionDefinition = {
    name: record.name,
    version,
    handlerFile: path.join(codeDir, ...record.handlerPath.split("/")),
    handlerExport: record.handlerExport,
    handler: record.handler,
    runtime: record.runtime,
    codeDir,
    timeoutSeconds: record.timeoutSeconds,
    memoryMb: record.memoryMb,
    environment: { ...record.environment },
  };
  if (record.durable) def.durable = { ...record.durable };
  return def;
}
