// A Dormouse server as a real process, for the crash suites: `node --import tsx server-process.ts
// <template> <data dir> [port] [log level] [postgres url]`. Prints one line `READY <url> <node id>` on
// stdout once it serves. DORMOUSE_FAULT_POINTS (comma-separated, `name` or `name@N`) arms fault
// points, DORMOUSE_TEST_LEASE_TTL (seconds) sets the lease TTL of a PostgreSQL node; this entry is
// the only place that reads them, the server itself takes them as configuration.
//
// The process exits when its stdin closes, so a test runner that dies cannot leave it behind.
import { startServer } from "@dormouse/server";

const [template, dataDir, port = "0", logLevel = "warn", database] = process.argv.slice(2);
if (!template || !dataDir) {
  process.stderr.write("usage: server-process.ts <template> <data dir> [port] [log level] [postgres url]\n");
  process.exit(2);
}

const faultPoints = (process.env.DORMOUSE_FAULT_POINTS ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter((s) => s !== "");

const server = await startServer({
  mode: "dev",
  template,
  dataDir,
  database,
  port: Number(port),
  host: "127.0.0.1",
  logLevel,
  faultPoints,
  ...(process.env.DORMOUSE_TEST_LEASE_TTL && {
    leaseTtlSeconds: Number(process.env.DORMOUSE_TEST_LEASE_TTL),
  }),
});

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  void server.close().finally(() => process.exit(0));
}
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();

process.stdout.write(`READY ${server.url} ${server.nodeId}\n`);
