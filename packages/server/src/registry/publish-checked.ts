// Publishing changed code only when it loads: each changed function's handler is imported in a
// throwaway worker first, and a function whose code does not load keeps its previous version
// (issue #3: a broken save during `dormouse dev` must not take the function down).
import type { ErrorObject } from "@dormouse/protocol";
import type { FunctionDefinition } from "@dormouse/runtime";
import type { FunctionRegistry, PublishedFunction } from "./registry.js";
import { prepareRevision } from "./revision.js";

export interface CheckedPublish {
  published: PublishedFunction[];
  /** Functions left as they were because their new code does not load. */
  rejected: { name: string; error: ErrorObject }[];
}

export type LoadCheck = (def: FunctionDefinition) => Promise<ErrorObject | undefined>;

export async function publishChecked(
  registry: FunctionRegistry,
  defs: FunctionDefinition[],
  check: LoadCheck,
): Promise<CheckedPublish> {
  const prepared = defs.map((def) => ({ def, rev: prepareRevision(def) }));
  const verdicts = await Promise.all(
    prepared.map(({ def, rev }) =>
      registry.lookup(def.name)?.codeId === rev.revision.id ? undefined : check(def),
    ),
  );
  const result: CheckedPublish = { published: [], rejected: [] };
  for (const [i, { def, rev }] of prepared.entries()) {
    const error = verdicts[i];
    if (error) result.rejected.push({ name: def.name, error });
    else result.published.push(await registry.publishRevision(rev, def.autoPublishAlias));
  }
  return result;
}
