// A function's code as content-addressed blobs plus a manifest (issue #3). Publishing reads the
// CodeUri directory once; from then on the server runs the snapshot, not the directory, so an
// execution replays on exactly the code it started on even after the files changed or were deleted.
//
// node_modules (and .git, .dormouse) are skipped: code published on this machine runs with its
// source's dependencies (code-cache.ts); a deployment adds its own (dependencies.ts).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(["node_modules", ".git", ".dormouse"]);

/** Generous for source code, small enough that a stray data directory is noticed. */
export const SNAPSHOT_LIMITS = { files: 5_000, bytes: 64 * 1024 * 1024 } as const;

export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SnapshotError";
  }
}

/** One file: path relative to the code directory (always with `/`), its hash and whether it runs. */
export interface ManifestEntry {
  path: string;
  hash: string;
  executable?: true;
}

export interface Snapshot {
  /** Sorted by path. */
  manifest: ManifestEntry[];
  /** Bytes by hash (each distinct content once). */
  blobs: Map<string, Uint8Array>;
}

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * Reads `codeDir` into a snapshot. When the directory has no package.json, the nearest one above
 * it is included as `package.json`, because it decides how Node loads the code (`"type": "module"`).
 */
export function snapshotDirectory(codeDir: string, opts = { includeParentManifest: true }): Snapshot {
  const manifest: ManifestEntry[] = [];
  const blobs = new Map<string, Uint8Array>();
  let total = 0;
  const add = (relative: string, file: string, mode: number): void => {
    const bytes = fs.readFileSync(file);
    total += bytes.length;
    if (manifest.length >= SNAPSHOT_LIMITS.files || total > SNAPSHOT_LIMITS.bytes) {
      throw new SnapshotError(
        `${codeDir} is too large to snapshot (more than ${SNAPSHOT_LIMITS.files} files or ` +
          `${SNAPSHOT_LIMITS.bytes / 1024 / 1024} MiB outside node_modules); point CodeUri at the function's own directory`,
      );
    }
    const hash = sha256(bytes);
    blobs.set(hash, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
    const entry: ManifestEntry = { path: relative, hash };
    if ((mode & 0o111) !== 0) entry.executable = true;
    manifest.push(entry);
  };
  const walk = (dir: string, prefix: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      const relative = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      // Symlinks are followed (a linked shared module is part of the code); broken ones are skipped.
      const stat = fs.statSync(full, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) walk(full, relative);
      else if (stat.isFile()) add(relative, full, stat.mode);
    }
  };
  walk(codeDir, "");
  if (opts.includeParentManifest && !manifest.some((e) => e.path === "package.json")) {
    const above = nearestAbove(path.dirname(codeDir), "package.json", (p) => fs.statSync(p).isFile());
    if (above) add("package.json", above, 0o644);
  }
  manifest.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { manifest, blobs };
}

/** The nearest `name` in `dir` or an ancestor of it that passes `test`. */
export function nearestAbove(dir: string, name: string, test: (p: string) => boolean): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const candidate = path.join(current, name);
    try {
      if (test(candidate)) return candidate;
    } catch {
      // not there; keep walking up
    }
    if (path.dirname(current) === current) return undefined;
  }
}
