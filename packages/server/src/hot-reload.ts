// `dormouse dev` reloads functions on change (issue #3): the template and every function's code
// directory are watched; a change (debounced) re-reads the template, checks that changed handlers
// load, and publishes them. New executions get the new code; waiting ones keep the code they
// started on (they are pinned to their revision); a change that does not load is reported and the
// previous version keeps serving.
import fs from "node:fs";
import path from "node:path";
import type { FunctionDefinition } from "@dormouse/runtime";
import type { ServerConfig } from "./config.js";
import { loadHandlerFile, loadTemplate } from "./functions/index.js";
import type { CheckedPublish, LoadCheck } from "./registry/publish-checked.js";
import { publishChecked } from "./registry/publish-checked.js";
import type { FunctionRegistry } from "./registry/registry.js";
import { SKIPPED_DIRECTORIES } from "./registry/snapshot.js";

export type ReloadResult = ({ ok: true } & CheckedPublish) | { ok: false; error: string };

export const RELOAD_DEBOUNCE_MS = 150;

export async function loadFunctions(
  source: ServerConfig["source"],
): Promise<{ functions: FunctionDefinition[]; warnings: string[] }> {
  return source.kind === "handler"
    ? { functions: [loadHandlerFile(source.file)], warnings: [] }
    : await loadTemplate(source.file);
}

export class HotReloader {
  private watchers: fs.FSWatcher[] = [];
  private watched = "";
  private timer: NodeJS.Timeout | undefined;
  /** Reloads run one after another; a request made while one waits to start joins it. */
  private chain: Promise<unknown> = Promise.resolve();
  private queued: Promise<ReloadResult> | undefined;
  private watching = false;
  private closed = false;

  constructor(
    private readonly opts: {
      source: ServerConfig["source"];
      registry: FunctionRegistry;
      check: LoadCheck;
      onReload: (result: ReloadResult) => void;
      debounceMs?: number;
    },
  ) {}

  /** Starts watching the source and these functions' code directories. */
  watch(defs: FunctionDefinition[]): void {
    // Every directory is watched on its own (not `recursive`): Node 20's recursive watcher on
    // Linux loses files that editors replace by renaming, and this also sees new directories
    // at the next reload.
    const dirs = [...new Set(defs.flatMap((d) => directoriesUnder(d.codeDir)))].sort();
    const key = JSON.stringify(dirs);
    if (key === this.watched || this.closed) return;
    this.unwatch();
    this.watching = true;
    this.watched = key;
    const file = this.opts.source.file;
    // The template's directory, not the file: editors replace files by renaming over them.
    this.add(path.dirname(file), (name) => name === path.basename(file));
    for (const dir of dirs) this.add(dir, (name) => !skipped(name));
  }

  /** Reloads now (the watcher calls this after the debounce; tests may call it directly). */
  reload(): Promise<ReloadResult> {
    if (this.queued) return this.queued;
    const next = this.chain.then(() => {
      this.queued = undefined;
      return this.reloadOnce();
    });
    this.queued = next;
    this.chain = next;
    return next;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.unwatch();
  }

  private async reloadOnce(): Promise<ReloadResult> {
    let result: ReloadResult;
    try {
      const loaded = await loadFunctions(this.opts.source);
      result = { ok: true, ...(await publishChecked(this.opts.registry, loaded.functions, this.opts.check)) };
      if (this.watching) this.watch(loaded.functions);
    } catch (err) {
      result = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    if (!this.closed) this.opts.onReload(result);
    return result;
  }

  private add(dir: string, relevant: (name: string) => boolean): void {
    try {
      const watcher = fs.watch(dir, (_event, name) => {
        if (name !== null && !relevant(name.toString())) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.reload(), this.opts.debounceMs ?? RELOAD_DEBOUNCE_MS);
      });
      watcher.on("error", () => undefined); // a deleted directory; the next reload re-watches
      this.watchers.push(watcher);
    } catch {
      // The directory is gone; a later reload reports why and re-watches what exists.
    }
  }

  private unwatch(): void {
    for (const w of this.watchers.splice(0)) w.close();
    this.watched = "";
  }
}

/** `dir` and the directories below it, without node_modules, .git and .dormouse. */
function directoriesUnder(dir: string): string[] {
  const out = [dir];
  try {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name)) {
        out.push(...directoriesUnder(path.join(dir, entry.name)));
      }
    }
  } catch {
    // gone or unreadable: nothing to watch there
  }
  return out;
}

function skipped(name: string): boolean {
  return name.split(/[\\/]/).some((part) => SKIPPED_DIRECTORIES.has(part));
}
