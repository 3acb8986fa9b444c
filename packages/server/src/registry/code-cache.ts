// Materialises revisions' snapshots as directories the runtime can run: `<dataDir>/code/<key>/`,
// written once (to a temporary name, then renamed) and reused by every version with the same code.
//
// Dependencies: a revision published from this machine (start, dev) links `node_modules` to the
// one its source resolved from; a deployed revision carries its own under `node_modules/`. Either
// way `<dataDir>/code/node_modules` links to the server's own install, which provides the durable
// execution SDK and the AWS SDK, as Lambda's Node.js runtime provides the AWS SDK.
//
// Directories are a cache: `sweep` removes those no remaining revision maps to, once no worker
// runs from them, and temporary ones a crashed writer left behind.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Store } from "@dormouse/store";
import type { RevisionRecord } from "./revision.js";
import { nearestAbove, sha256 } from "./snapshot.js";

/** Who runs code from the cache (the runtime's pools), so that a directory in use is kept. */
export interface CodeUsers {
  /** True while a worker runs (or will run) code from `dir`. */
  using(dir: string): boolean;
  /** Nothing needs `dir` any more: let its idle workers go (it is removed at a later sweep). */
  release(dir: string): void;
}

const TEMPORARY = /\.tmp-(\d+)-[0-9a-f]+$/;

export class CodeCache {
  private readonly pending = new Map<string, Promise<string>>();
  private provided = false;

  constructor(
    private readonly store: Store,
    /** `<dataDir>/code` */
    private readonly root: string,
  ) {}

  /** Where the revision's files are (or will be) written. */
  path(record: RevisionRecord): string {
    // A local revision's node_modules links to its source's dependencies, so the same files
    // published from another place differ.
    const key = sha256(JSON.stringify([record.manifest, record.sourceDir ?? null])).slice(0, 32);
    return path.join(this.root, key);
  }

  /** The directory holding the revision's files, written on first use. */
  directory(record: RevisionRecord): Promise<string> {
    const dir = this.path(record);
    if (fs.existsSync(dir)) return Promise.resolve(dir);
    let writing = this.pending.get(dir);
    if (!writing) {
      writing = this.write(record, dir).finally(() => this.pending.delete(dir));
      this.pending.set(dir, writing);
    }
    return writing;
  }

  /**
   * Removes the directories not in `keep` (and not being written) that no worker uses; asks the
   * users of the others to let them go. Also removes temporary directories of writers that are
   * gone. Returns the directories removed.
   */
  sweep(keep: ReadonlySet<string>, users?: CodeUsers): string[] {
    let entries: string[];
    try {
      entries = fs.readdirSync(this.root);
    } catch {
      return []; // nothing materialised yet
    }
    const removed: string[] = [];
    // Synchronous from here on: nothing can start using a directory between the check and the rm.
    for (const name of entries) {
      if (name === "node_modules") continue;
      const dir = path.join(this.root, name);
      const tmp = TEMPORARY.exec(name);
      if (tmp) {
        const pid = Number(tmp[1]);
        const writing = pid === process.pid ? this.isPending(dir) : isAlive(pid);
        if (!writing) removed.push(remove(dir));
        continue;
      }
      if (keep.has(dir) || this.pending.has(dir)) continue;
      if (users?.using(dir)) users.release(dir);
      else removed.push(remove(dir));
    }
    return removed;
  }

  private isPending(tmpDir: string): boolean {
    return this.pending.has(tmpDir.replace(TEMPORARY, ""));
  }

  private async write(record: RevisionRecord, dir: string): Promise<string> {
    this.provideServerModules();
    const hashes = [...new Set(record.manifest.map((e) => e.hash))];
    const blobs = new Map((await this.store.getBlobs(hashes)).map((b) => [b.hash, b.bytes]));
    const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
      for (const entry of record.manifest) {
        const bytes = blobs.get(entry.hash);
        if (!bytes) throw new Error(`code of ${record.name} is missing the blob of ${entry.path}`);
        const file = path.join(tmp, ...entry.path.split("/"));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, bytes, { mode: entry.executable ? 0o755 : 0o644 });
      }
      fs.mkdirSync(tmp, { recursive: true });
      const bundled = record.manifest.some((e) => e.path.startsWith("node_modules/"));
      const modules =
        record.sourceDir === undefined || bundled
          ? undefined
          : nearestAbove(record.sourceDir, "node_modules", (p) => fs.statSync(p).isDirectory());
      if (modules) fs.symlinkSync(modules, path.join(tmp, "node_modules"), "dir");
      try {
        fs.renameSync(tmp, dir);
      } catch (err) {
        // Another process (or an earlier run) wrote the same content first; theirs is as good.
        if (!fs.existsSync(dir)) throw err;
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    return dir;
  }

  /** `<root>/node_modules` → the node_modules that holds this server's durable execution SDK. */
  private provideServerModules(): void {
    if (this.provided) return;
    fs.mkdirSync(this.root, { recursive: true });
    const link = path.join(this.root, "node_modules");
    const target = serverModulesDir();
    if (readLink(link) !== target) {
      fs.rmSync(link, { force: true });
      try {
        fs.symlinkSync(target, link, "dir");
      } catch (err) {
        // Another writer linked it at the same moment.
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
    }
    this.provided = true;
  }
}

/** The node_modules directory the runtime resolves `@aws/durable-execution-sdk-js` from. */
export function serverModulesDir(): string {
  const runtime = createRequire(import.meta.url).resolve("@dormouse/runtime");
  const sdk = createRequire(runtime).resolve("@aws/durable-execution-sdk-js");
  const parts = sdk.split(path.sep);
  return parts.slice(0, parts.lastIndexOf("node_modules") + 1).join(path.sep);
}

function readLink(link: string): string | undefined {
  try {
    return fs.readlinkSync(link);
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function remove(dir: string): string {
  fs.rmSync(dir, { recursive: true, force: true });
  return dir;
}
