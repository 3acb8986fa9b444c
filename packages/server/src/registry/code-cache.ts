// Materialises revisions' snapshots as directories the runtime can run: `<dataDir>/code/<key>/`,
// written once (to a temporary name, then renamed) and reused by every version with the same code.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Store } from "@dormouse/store";
import type { RevisionRecord } from "./revision.js";
import { nearestAbove, sha256 } from "./snapshot.js";

export class CodeCache {
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly store: Store,
    /** `<dataDir>/code` */
    private readonly root: string,
  ) {}

  /** The directory holding the revision's files, written on first use. */
  directory(record: RevisionRecord): Promise<string> {
    // node_modules links to the source's dependencies, so the same files from another place differ.
    const key = sha256(JSON.stringify([record.manifest, record.sourceDir])).slice(0, 32);
    const dir = path.join(this.root, key);
    if (fs.existsSync(dir)) return Promise.resolve(dir);
    let writing = this.pending.get(key);
    if (!writing) {
      writing = this.write(record, dir).finally(() => this.pending.delete(key));
      this.pending.set(key, writing);
    }
    return writing;
  }

  private async write(record: RevisionRecord, dir: string): Promise<string> {
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
      const modules = nearestAbove(record.sourceDir, "node_modules", (p) => fs.statSync(p).isDirectory());
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
}
