// Entry point of a load-check process: started ahead of need (a "spare"), it loads the packages
// that recently checked code imported (the SDK, mostly: through tsx that alone takes ~0.3 s), then
// waits. Asked to check, it loads each handler module as a worker would (same environment and
// directory), reports each verdict, and exits: ES modules cannot be unloaded, so every check
// gets a fresh process and the parent starts the next spare.
//
// argv: <JSON list of module URLs to load in advance>
import { register } from "node:module";
import { MessageChannel } from "node:worker_threads";
import { toErrorObject } from "./error-object.js";
import { loadHandler } from "./load-handler.js";
import type { CheckerMessage, CheckRequest } from "./check-messages.js";

const send = process.send?.bind(process);
if (!send) {
  process.stderr.write("check-main must be started by the Dormouse runtime (no IPC channel)\n");
  process.exit(2);
}
const post = (msg: CheckerMessage, then?: () => void): void => {
  if (!process.connected) return then?.();
  send!(msg, undefined, undefined, () => then?.());
};
process.on("disconnect", () => process.exit(0));

// Code that throws outside the import (a timer at module level) leaves the process unusable.
const die = (err: unknown): void => {
  const e = toErrorObject(err);
  post(
    {
      type: "fatal",
      error: { ErrorType: "Runtime.UncaughtException", ErrorMessage: `${e.ErrorType}: ${e.ErrorMessage}` },
    },
    () => process.exit(1),
  );
};
process.on("uncaughtException", die);
process.on("unhandledRejection", die);

const imported = new Set<string>();
const { port1, port2 } = new MessageChannel();
port1.on("message", (url: string) => imported.add(url));
port1.unref();
register(new URL("./check-hooks.mjs", import.meta.url), { data: { port: port2 }, transferList: [port2] });

const warm = JSON.parse(process.argv[2] ?? "[]") as string[];
for (const url of warm) {
  // A package that no longer loads is not our business here; the check itself will tell.
  await import(url).catch(() => undefined);
}
post({ type: "ready" });

process.on("message", (raw: CheckRequest) => {
  if (raw?.type === "check") void check(raw);
});

async function check(request: CheckRequest): Promise<void> {
  for (const [index, target] of request.targets.entries()) {
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, target.env);
    process.chdir(target.cwd);
    const loaded = await loadHandler(target.handlerFile, target.handlerExport);
    post(
      typeof loaded === "function" ? { type: "checked", index } : { type: "checked", index, error: loaded },
    );
  }
  // The hooks thread reports resolutions asynchronously: let those in flight arrive.
  await new Promise((resolve) => setImmediate(resolve));
  post({ type: "done", imported: [...imported] }, () => process.exit(0));
}
