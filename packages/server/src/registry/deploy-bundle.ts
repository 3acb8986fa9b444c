// The client half of `dormouse deploy`: a template's functions as a DeployBundle (revisions plus
// each distinct file once, base64 by hash) for POST /dormouse-api/deploy.
import type { DeployBundle } from "@dormouse/scheduler";
import type { FunctionDefinition } from "@dormouse/runtime";
import { prepareRevision } from "./revision.js";

export function deployBundle(defs: FunctionDefinition[]): DeployBundle {
  const bundle: DeployBundle = { functions: [], blobs: {} };
  for (const def of defs) {
    const { record, blobs } = prepareRevision(def);
    bundle.functions.push({
      revision: record as unknown as Record<string, unknown>,
      ...(def.autoPublishAlias === undefined ? {} : { autoPublishAlias: def.autoPublishAlias }),
    });
    for (const b of blobs) bundle.blobs[b.hash] ??= Buffer.from(b.bytes).toString("base64");
  }
  return bundle;
}
