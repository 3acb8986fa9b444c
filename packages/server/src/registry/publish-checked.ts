// Publishing changed code only when it loads (issue #3: a broken save during `dormouse dev` or a
// broken deploy must not take a function down). Changed revisions are materialised and their
// handlers loaded in one check process first; a function whose code does not load keeps its
// previous version. What is published is exactly what was checked (the snapshot, not the files,
// which may change meanwhile). The functions published are the whole application: the ones it no
// longer declares are removed.
import type { ErrorObject } from "@dormouse/protocol";
import type { FunctionDefinition } from "@dormouse/runtime";
import type { FunctionRegistry, PublishedFunction } from "./registry.js";
import type { PreparedRevision } from "./revision.js";
import { prepareRevision } from "./revision.js";

export interface CheckedPublish {
  published: PublishedFunction[];
  /** Functions left as they were because their new code does not load. */
  rejected: { name: string; error: ErrorObject }[];
  /** Functions no longer declared, now deleted (their running executions finish). */
  removed: string[];
}

/** One verdict per definition, in order: undefined when its handler loads. */
export type LoadCheck = (defs: FunctionDefinition[]) => Promise<(ErrorObject | undefined)[]>;

export interface Candidate {
  rev: PreparedRevision;
  alias?: string | undefined;
  /** The directory the code came from, named in errors instead of the materialised copy. */
  sourceDir?: string | undefined;
}

export function publishChecked(
  registry: FunctionRegistry,
  defs: FunctionDefinition[],
  check: LoadCheck,
): Promise<CheckedPublish> {
  const candidates = defs.map((def) => ({
    rev: prepareRevision(def),
    alias: def.autoPublishAlias,
    sourceDir: def.codeDir,
  }));
  return publishCandidates(registry, candidates, check);
}

export function publishCandidates(
  registry: FunctionRegistry,
  candidates: Candidate[],
  check: LoadCheck,
): Promise<CheckedPublish> {
  return registry.exclusive(async () => {
    const changed = candidates.filter(
      (c) => registry.lookup(c.rev.record.name)?.codeId !== c.rev.revision.id,
    );
    const defs = await Promise.all(changed.map((c) => registry.materialise(c.rev)));
    const verdicts = defs.length > 0 ? await check(defs) : [];
    const errors = new Map<Candidate, ErrorObject>();
    for (const [i, c] of changed.entries()) {
      const error = verdicts[i];
      if (error) errors.set(c, c.sourceDir ? relocate(error, defs[i]!.codeDir, c.sourceDir) : error);
    }
    const result: CheckedPublish = { published: [], rejected: [], removed: [] };
    for (const c of candidates) {
      const error = errors.get(c);
      if (error) result.rejected.push({ name: c.rev.record.name, error });
      else result.published.push(await registry.publishRevision(c.rev, c.alias));
    }
    result.removed = await registry.removeAllBut(new Set(candidates.map((c) => c.rev.record.name)));
    return result;
  });
}

/** The error with paths in the materialised copy shown as paths in the source. */
function relocate(error: ErrorObject, from: string, to: string): ErrorObject {
  const swap = (text: string) => text.replaceAll(from, to);
  const out: ErrorObject = { ...error };
  if (error.ErrorMessage !== undefined) out.ErrorMessage = swap(error.ErrorMessage);
  if (error.StackTrace) out.StackTrace = error.StackTrace.map(swap);
  return out;
}
