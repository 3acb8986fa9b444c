// `POST /dormouse-api/deploy` (issue #3): a bundle of revisions and file contents from
// `dormouse deploy`. Every blob's hash is checked; changed functions are materialised and loaded in
// a check process, and only then published (with their AutoPublishAlias). The bundle is the whole
// application, as a template is for `sam deploy`: functions it does not declare are removed.
import { invalidParameter } from "@dormouse/protocol";
import type { DeployBundle, DeployResult, DeployService } from "@dormouse/scheduler";
import type { LoadCheck } from "./publish-checked.js";
import { publishCandidates } from "./publish-checked.js";
import type { FunctionRegistry } from "./registry.js";
import type { RevisionRecord } from "./revision.js";
import { fromRecord } from "./revision.js";
import { sha256 } from "./snapshot.js";

const NAME = /^[a-zA-Z0-9-_]{1,64}$/;

export function deployService(registry: FunctionRegistry, check: LoadCheck): DeployService {
  return {
    missing: (hashes) => registry.storedMissing(hashes),

    async deploy(bundle: DeployBundle): Promise<DeployResult> {
      const bytes = new Map<string, Uint8Array>();
      for (const [hash, base64] of Object.entries(bundle.blobs)) {
        const data = new Uint8Array(Buffer.from(base64, "base64"));
        if (sha256(data) !== hash) throw invalidParameter(`blobs.${hash}: content does not match its hash`);
        bytes.set(hash, data);
      }
      const names = new Set<string>();
      const candidates = bundle.functions.map((f, i) => {
        const record = revisionRecord(f.revision, `functions[${i}].revision`);
        if (names.has(record.name))
          throw invalidParameter(`functions[${i}].revision.name: ${record.name} is declared twice`);
        names.add(record.name);
        return { rev: fromRecord(record, bytes), alias: f.autoPublishAlias };
      });
      for (const { rev } of candidates) {
        const missing = await registry.missingBlobs(rev);
        if (missing.length > 0) {
          throw invalidParameter(`function ${rev.record.name}: blobs missing for ${missing.join(", ")}`);
        }
      }
      return publishCandidates(registry, candidates, check);
    },
  };
}

/** The revision as the client described it; the fields the server relies on are checked. */
function revisionRecord(value: Record<string, unknown>, field: string): RevisionRecord {
  const r = { ...value } as Partial<RevisionRecord>;
  const fail = (what: string): never => {
    throw invalidParameter(`${field}.${what}`);
  };
  if (r.format !== 1) fail("format: must be 1");
  if (typeof r.name !== "string" || !NAME.test(r.name)) fail("name: must be 1 to 64 letters, digits, - or _");
  if (!Array.isArray(r.manifest)) fail("manifest: must be a list of files");
  for (const e of r.manifest ?? []) {
    const bad =
      typeof e?.path !== "string" ||
      typeof e.hash !== "string" ||
      e.path.startsWith("/") ||
      e.path.split("/").some((part) => part === ".." || part === "" || part === ".");
    if (bad) fail(`manifest: ${JSON.stringify(e)} is not a relative file path with a hash`);
  }
  if (!r.manifest?.some((e) => e.path === r.handlerPath)) fail("handlerPath: must be a file of the manifest");
  for (const key of ["handlerExport", "handler", "runtime"] as const) {
    if (typeof r[key] !== "string") fail(`${key}: must be a string`);
  }
  for (const key of ["timeoutSeconds", "memoryMb"] as const) {
    if (typeof r[key] !== "number" || !Number.isInteger(r[key]) || r[key] < 1)
      fail(`${key}: must be a positive integer`);
  }
  if (typeof r.environment !== "object" || r.environment === null) fail("environment: must be a map");
  // A path on the client's machine means nothing here: deployed code runs from its snapshot and
  // the dependencies it carries (an older client may still send one).
  delete r.sourceDir;
  return r as RevisionRecord;
}
