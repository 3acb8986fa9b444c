// The run-time dependencies a deployment carries (issue #3): what the code's package.json lists in
// `dependencies` and `optionalDependencies`, and theirs in turn, found the way Node finds them
// (the nearest node_modules upwards) and laid out under `node_modules/` of the snapshot, as
// `sam build` lays out a function's production dependencies. Development dependencies are not
// sent. Packages the server provides (the durable execution SDK, the AWS SDK for JavaScript v3)
// are not sent either: the server's own install answers them, as Lambda's runtime answers the
// AWS SDK.
import fs from "node:fs";
import path from "node:path";
import type { ManifestEntry, Snapshot } from "./snapshot.js";
import { SnapshotError, nearestAbove, snapshotDirectory } from "./snapshot.js";

export function isProvidedByServer(name: string): boolean {
  return name === "@aws/durable-execution-sdk-js" || name.startsWith("@aws-sdk/");
}

/** Generous for production dependencies; past this, bundle the function (esbuild) instead. */
export const DEPENDENCY_LIMITS = { files: 20_000, bytes: 64 * 1024 * 1024 } as const;

interface Found {
  /** Where the package's files go, relative to the code root (`node_modules/a/node_modules/b`). */
  target: string;
  realDir: string;
}

/** The dependencies of the code in `codeDir`, as snapshot entries under `node_modules/`. */
export function dependencySnapshot(codeDir: string): Snapshot {
  const manifestFile = nearestAbove(codeDir, "package.json", (p) => fs.statSync(p).isFile());
  const out: Snapshot = { manifest: [], blobs: new Map() };
  if (!manifestFile) return out;
  const placed = new Map<string, Found>(); // by target
  const seen = new Set<string>(); // realDir + target
  const queue: { name: string; from: string; under: string }[] = runtimeDependencies(manifestFile).map(
    (name) => ({ name, from: codeDir, under: "" }),
  );
  let bytes = 0;
  while (queue.length > 0) {
    const { name, from, under } = queue.shift()!;
    if (isProvidedByServer(name)) continue;
    const dir = nearestAbove(from, path.join("node_modules", name), (p) => fs.statSync(p).isDirectory());
    // A missing package is left out: the server's load check then names what cannot be imported.
    if (!dir) continue;
    const realDir = fs.realpathSync(dir);
    // Hoisted to the top when it can be; nested below its dependant when another version is there.
    const top = `node_modules/${name}`;
    const atTop = placed.get(top);
    const target = !atTop || atTop.realDir === realDir ? top : `${under}/node_modules/${name}`;
    if (seen.has(`${realDir}\0${target}`)) continue;
    seen.add(`${realDir}\0${target}`);
    if (placed.has(target)) continue; // the nearer one already answers this name here
    placed.set(target, { target, realDir });
    const files = snapshotDirectory(realDir, { includeParentManifest: false });
    for (const entry of files.manifest) {
      const e: ManifestEntry = { ...entry, path: `${target}/${entry.path}` };
      out.manifest.push(e);
      const b = files.blobs.get(entry.hash);
      if (b && !out.blobs.has(entry.hash)) {
        out.blobs.set(entry.hash, b);
        bytes += b.length;
      }
    }
    if (out.manifest.length > DEPENDENCY_LIMITS.files || bytes > DEPENDENCY_LIMITS.bytes) {
      throw new SnapshotError(
        `the dependencies of ${codeDir} are too large to deploy (more than ${DEPENDENCY_LIMITS.files} files or ` +
          `${DEPENDENCY_LIMITS.bytes / 1024 / 1024} MiB); bundle the function (for example with esbuild)`,
      );
    }
    const own = path.join(realDir, "package.json");
    if (fs.existsSync(own)) {
      for (const dep of runtimeDependencies(own)) queue.push({ name: dep, from: realDir, under: target });
    }
  }
  out.manifest.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}

function runtimeDependencies(packageJson: string): string[] {
  try {
    const pkg = JSON.parse(fs.readFileSync(packageJson, "utf8")) as Record<string, unknown>;
    const names = (field: string) =>
      typeof pkg[field] === "object" && pkg[field] !== null ? Object.keys(pkg[field]) : [];
    return [...new Set([...names("dependencies"), ...names("optionalDependencies")])].sort();
  } catch {
    return []; // unreadable: Node would not read it either
  }
}
