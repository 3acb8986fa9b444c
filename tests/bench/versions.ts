// `npm run bench:versions` (issue #3): what a version snapshot of each example contains and how
// long publishing takes, and how fast `dormouse dev` publishes a saved change.
//
//   snapshot   the function's CodeUri read and hashed (files, bytes, distinct contents)
//   publish    the first publish into an empty store (snapshot + store writes), per template
//   check      loading a changed handler before publishing it (the warm load checker)
//   deploy     `dormouse deploy`'s bundle posted to a running server: first time, then unchanged
//   reload     a saved file → the new version published (fs.watch + debounce + check + publish)
//
// Figures depend on the machine and its load; nothing is asserted.
// `npm run bench:versions -- [--quick] [--only=reload|examples]`
import fs from "node:fs";
import path from "node:path";
import { Runtime } from "@dormouse/runtime";
import {
  dependencySnapshot,
  deployBundle,
  FunctionRegistry,
  loadTemplate,
  prepareRevision,
  sendDeployBundle,
  startServer,
} from "@dormouse/server";
import type { ReloadResult } from "@dormouse/server";
import { openSqliteStore } from "@dormouse/store";
import { fmt, line, median, removeTempDirs, tempDir } from "./support.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const ROOT = path.resolve(import.meta.dirname, "../..");
const quick = process.argv.includes("--quick");
const ms = (t0: number) => performance.now() - t0;
const kib = (bytes: number) => `${fmt(bytes / 1024, 1)} KiB`;

async function examples(): Promise<void> {
  console.log("\nsnapshot and publish of each example (first publish into an empty store)");
  const dirs = fs
    .readdirSync(path.join(ROOT, "examples"))
    .map((d) => path.join(ROOT, "examples", d))
    .filter((d) => fs.existsSync(path.join(d, "template.yaml")));
  for (const dir of dirs) {
    const { functions } = await loadTemplate(path.join(dir, "template.yaml"));
    const data = tempDir();
    const store = await openSqliteStore({ file: path.join(data, "dormouse.db") });
    const runtime = new Runtime({ apiEndpoint: "http://127.0.0.1:9", onLog: () => {} });
    try {
      const registry = await FunctionRegistry.open({ store, codeRoot: path.join(data, "code") });
      console.log(`  ${path.relative(ROOT, dir)} (${functions.length} functions)`);
      const distinct = new Map<string, number>();
      for (const def of functions) {
        const t0 = performance.now();
        const rev = prepareRevision(def);
        const took = ms(t0);
        const bytes = rev.blobs.reduce((n, b) => n + b.bytes.length, 0);
        for (const b of rev.blobs) distinct.set(b.hash, b.bytes.length);
        const deps = dependencySnapshot(def.codeDir);
        const depBytes = [...deps.blobs.values()].reduce((n, b) => n + b.length, 0);
        line(
          `    ${def.name}`,
          `${rev.record.manifest.length} files, ${kib(bytes)}`,
          `snapshot ${fmt(took, 1)} ms`,
          `deployed with ${deps.manifest.length} files of dependencies (${kib(depBytes)})`,
        );
      }
      const t0 = performance.now();
      await registry.publish(functions);
      const publish = ms(t0);
      const checks: number[] = [];
      for (const def of functions) {
        const c0 = performance.now();
        const error = await runtime.check(def);
        checks.push(ms(c0));
        if (error) console.log(`    ${def.name} does not load: ${error.ErrorMessage}`);
      }
      const stored = [...distinct.values()].reduce((n, b) => n + b, 0);
      line(
        `    all`,
        `${distinct.size} distinct files, ${kib(stored)} stored`,
        `publish ${fmt(publish, 1)} ms`,
        `load check ${fmt(median(checks), 0)} ms median (cold process)`,
      );
      await deploy(path.join(dir, "template.yaml"));
    } finally {
      await runtime.close();
      await store.close();
    }
  }
}

/** `dormouse deploy` of a template to a server already running it: changed, then unchanged. */
async function deploy(template: string): Promise<void> {
  const server = await startServer({
    mode: "start",
    template,
    port: 0,
    host: "127.0.0.1",
    dataDir: tempDir(),
    logLevel: "silent",
  });
  try {
    const post = async () => {
      const t0 = performance.now();
      const { functions } = await loadTemplate(template);
      const res = await sendDeployBundle(server.url, deployBundle(functions));
      const rejected = res.body.rejected as unknown[] | undefined;
      if (res.status !== 200 || (rejected?.length ?? 0) > 0) {
        throw new Error(`deploy failed: ${res.status} ${JSON.stringify(res.body)}`);
      }
      return { took: ms(t0), bytes: res.sentBytes };
    };
    // The first deploy publishes new revisions (deployed code carries its dependencies instead of
    // linking the server's copy of the source), so it is checked; the second changes nothing.
    const first = await post();
    line(`    deploy (checked, published)`, `${kib(first.bytes)} of files sent`, `${fmt(first.took, 0)} ms`);
    const again = await post();
    line(`    deploy again (unchanged)`, `${kib(again.bytes)} of files sent`, `${fmt(again.took, 0)} ms`);
  } finally {
    await server.close();
  }
}

async function reload(rounds: number): Promise<void> {
  console.log(`\nhot reload: save → new version published (${rounds} saves)`);
  const dir = tempDir();
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  fs.mkdirSync(path.join(dir, "src"));
  const handler = (n: number) =>
    `import { withDurableExecution } from "@aws/durable-execution-sdk-js";\n` +
    `export const handler = withDurableExecution(async () => ${n});\n`;
  const write = (n: number) => {
    fs.writeFileSync(path.join(dir, "src", "app.tmp"), handler(n));
    fs.renameSync(path.join(dir, "src", "app.tmp"), path.join(dir, "src", "app.mjs"));
  };
  write(0);
  fs.writeFileSync(
    path.join(dir, "template.yaml"),
    [
      "Resources:",
      "  App:",
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      "      FunctionName: app",
      "      CodeUri: src/",
      "      Handler: app.handler",
      "      Runtime: nodejs20.x",
      "      AutoPublishAlias: live",
      "      DurableConfig: { ExecutionTimeout: 60, RetentionPeriodInDays: 1 }",
      "",
    ].join("\n"),
  );
  let resolveNext: ((r: ReloadResult) => void) | undefined;
  const server = await startServer(
    {
      mode: "dev",
      template: path.join(dir, "template.yaml"),
      port: 0,
      host: "127.0.0.1",
      dataDir: tempDir(),
      logLevel: "silent",
      watch: true,
    },
    { onReload: (r) => resolveNext?.(r) },
  );
  try {
    const took: number[] = [];
    for (let i = 1; i <= rounds; i++) {
      // Saves come at a person's pace: the check process started after the last check (and the
      // first one, started with the watcher) has had time to load.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const published = new Promise<ReloadResult>((resolve) => (resolveNext = resolve));
      const t0 = performance.now();
      write(i);
      const result = await published;
      if (!result.ok || result.published[0]?.publishedVersion !== String(i + 1)) {
        throw new Error(`reload ${i} did not publish version ${i + 1}: ${JSON.stringify(result)}`);
      }
      took.push(ms(t0));
    }
    line(
      "  save → published",
      `median ${fmt(median(took), 0)} ms`,
      `min ${fmt(Math.min(...took), 0)} ms`,
      `max ${fmt(Math.max(...took), 0)} ms`,
    );
  } finally {
    await server.close();
  }
}

const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
try {
  if (only === undefined || only === "reload") await reload(quick ? 3 : 10);
  if (only === undefined || only === "examples") await examples();
} finally {
  removeTempDirs();
}
