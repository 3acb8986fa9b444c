// The client half of `dormouse deploy`: a template's functions as a DeployBundle (revisions plus
// each distinct file once, base64 by hash) for POST /dormouse-api/deploy. A deployment carries its
// run-time dependencies (dependencies.ts) and no path of the client's: the server runs it from its
// snapshot alone. Files are content-addressed, so the client first asks which the server lacks
// and sends only those.
import type { DeployBundle } from "@dormouse/scheduler";
import type { FunctionDefinition } from "@dormouse/runtime";
import { dependencySnapshot } from "./dependencies.js";
import type { RevisionRecord } from "./revision.js";
import { prepareRevision } from "./revision.js";
import type { Snapshot } from "./snapshot.js";
import { snapshotDirectory } from "./snapshot.js";

export function deployBundle(defs: FunctionDefinition[]): DeployBundle {
  const bundle: DeployBundle = { functions: [], blobs: {} };
  const snapshots = new Map<string, Snapshot>(); // by code directory: functions often share one
  for (const def of defs) {
    let code = snapshots.get(def.codeDir);
    if (!code) {
      const own = snapshotDirectory(def.codeDir);
      const deps = dependencySnapshot(def.codeDir);
      code = {
        manifest: [...own.manifest, ...deps.manifest].sort((a, b) => (a.path < b.path ? -1 : 1)),
        blobs: new Map([...deps.blobs, ...own.blobs]),
      };
      snapshots.set(def.codeDir, code);
    }
    const { record, blobs } = prepareRevision(def, code);
    const deployed: RevisionRecord = { ...record };
    delete deployed.sourceDir;
    bundle.functions.push({
      revision: deployed as unknown as Record<string, unknown>,
      ...(def.autoPublishAlias === undefined ? {} : { autoPublishAlias: def.autoPublishAlias }),
    });
    for (const b of blobs) bundle.blobs[b.hash] ??= Buffer.from(b.bytes).toString("base64");
  }
  return bundle;
}

export interface DeployResponse {
  status: number;
  body: Record<string, unknown>;
  /** Bytes of file content sent (base64), after leaving out what the server had. */
  sentBytes: number;
}

/** Posts the bundle to a server, sending only the files it does not have yet. */
export async function sendDeployBundle(endpoint: string, bundle: DeployBundle): Promise<DeployResponse> {
  const post = async (route: string, body: unknown) => {
    const response = await fetch(new URL(route, endpoint), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }).catch((err: unknown) => {
      throw new Error(`cannot reach ${endpoint} (${String((err as Error).cause ?? err)})`);
    });
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    return { status: response.status, body: json };
  };
  const asked = await post("/dormouse-api/deploy/missing", { blobs: Object.keys(bundle.blobs) });
  // An older server without the question gets everything.
  const missing = asked.status === 200 && Array.isArray(asked.body.missing) ? asked.body.missing : undefined;
  const send = async (blobs: Record<string, string>) => {
    const sentBytes = Object.values(blobs).reduce((n, b) => n + b.length, 0);
    return { ...(await post("/dormouse-api/deploy", { ...bundle, blobs })), sentBytes };
  };
  if (!missing) return send(bundle.blobs);
  const first = await send(Object.fromEntries(missing.map((h) => [h, bundle.blobs[h as string]!])));
  // Collected between the question and the deploy (rare): send everything once more.
  if (first.status === 400 && /blobs missing/.test(String(first.body.message ?? first.body.Message ?? ""))) {
    return send(bundle.blobs);
  }
  return first;
}
