// A stand-in for the server process in crash.test.ts: it owns one warm worker, prints the
// outcome, and stays up until the test kill -9s it.
import { fileURLToPath } from "node:url";
import { Runtime } from "../src/index.ts";

const dir = fileURLToPath(new URL(".", import.meta.url));
const rt = new Runtime({ apiEndpoint: "http://127.0.0.1:9", onLog: () => {} });
const outcome = await rt.invoke(
  {
    name: "held",
    version: "1",
    handlerFile: `${dir}holds-socket.mjs`,
    handlerExport: "handler",
    handler: "holds-socket.handler",
    runtime: "nodejs20.x",
    codeDir: dir,
    timeoutSeconds: 10,
    memoryMb: 128,
    environment: { HOLD_PORT: process.argv[2] ?? "" },
  },
  { requestId: "host-1", payload: "{}", deadline: Date.now() + 10_000 },
);
console.log(JSON.stringify(outcome));
