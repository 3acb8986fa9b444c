// `dormouse dev` reloads functions on change (issue #3): the template and every function's code
// directory are watched; a change (debounced) re-reads the template, checks that changed handlers
// load, and publishes them. New executions get the new code; waiting ones keep the code they
// started on (they are pinned to their revision); a change that does not load is reported and the
// previous version keeps serving; a function removed from the template is deleted (its running
// executions finish). The load check runs in a process started ahead (`warm`), so a save is
// live in a fraction of a second.
import fs from "node:fs";
import path from "node:path";
import type { HttpTrigger } from "@dormouse/api";
import type { FunctionDefinition } from "@dormouse/runtime";
import type { ServerConfig } from "./config.js";
import { loadHandlerFile, loadTemplate } from "./functions/index.js";
import type { CheckedPublish, LoadCheck } from "./registry/publish-checked.js";
import { publishChecked } from "./registry/publish-checked.js";
import type { FunctionRegistry } from "./registry/registry.js";
import { SKIPPED_DIRECTORIES } from "./registry/snapshot.js";

export type ReloadResult =
  | ({
      ok: true;
      /** From the first change seen to the outcome (absent for `reload()` calls). */ ms?: number;
    } & CheckedPublish)
  | { ok: false; error: string };

/** Editors save by writing and renaming within a few ms; a burst of saves is one reload. */
export const RELOAD_DEBOUNCE_MS = 60;

export interface LoadedFunctions {
  functions: FunctionDefinition[];
  /** HTTP routes and function URLs (a handler file has none). */
  triggers: HttpTrigger[];
  warnings: string[];
}

export async function loadFunctions(
  source: ServerConfig["source"],
  parameterOverrides: ServerConfig["parameterOverrides"] = {},
): Promise<LoadedFunctions> {
  return source.kind === "handler"
    ? { functions: [loadHandlerFile(source.file)], triggers: [], warnings: [] }
    : await loadTemplate(source.file, { parameterOverrides });
}

export class HotReloader {
  private watchers: fs.FSWatcher[] = [];
  private watched = "";
  private timer: NodeJS.Timeout | undefined;
  /** When the first change not yet reloaded was seen. */
  private changedAt: number | undefined;
  /** Reloads run one after another; a request made while one waits to start joins it. */
  private chain: Promise<unknown> = Promise.resolve();
  private queued: Promise<ReloadResult> | undefined;
  private watching = false;
  private closed = false;

  constructor(
    private readonly opts: {
      source: ServerConfig["source"];
      parameterOverrides?: ServerConfig["parameterOverrides"];
      registry: FunctionRegistry;
      check: LoadCheck;
      /** Called when watching starts: get the load check ready for these functions. */
      warm?: (defs: FunctionDefinition[]) => void;
      onReload: (result: ReloadResult) => void;
      /** After a reload published: the HTTP triggers as the template now declares them. */
      onTriggers?: (triggers: HttpTrigger[]) => Promise<void>;
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
    if (!this.watching) this.opts.warm?.(defs);
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
    const changedAt = this.changedAt;
    this.changedAt = undefined;
    try {
      const loaded = await loadFunctions(this.opts.source, this.opts.parameterOverrides);
      result = { ok: true, ...(await publishChecked(this.opts.registry, loaded.functions, this.opts.check)) };
      if (changedAt !== undefined) result.ms = Math.round(performance.now() - changedAt);
      await this.opts.onTriggers?.(loaded.triggers);
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
        this.changedAt ??= performance.now();
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
