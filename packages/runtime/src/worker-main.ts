// Entry point of a worker process (one Lambda "execution environment"): loads one handler module,
// then runs the invocations the server sends over IPC, one at a time. worker.ts starts it with
// tsx's loader, so TypeScript handlers and ESM or CJS JavaScript all load without a build step.
//
// argv: <handler file> <export name> <sync marker>
import type { ErrorObject } from "@dormouse/protocol";
import { toErrorObject } from "./error-object.js";
import type { Handler } from "./load-handler.js";
import { loadHandler } from "./load-handler.js";
import type { ServerMessage, WorkerMessage } from "./messages.js";

const [handlerFile = "", handlerExport = "", syncMarker = ""] = process.argv.slice(2);

// Captured before user code runs, so a handler that patches or replaces these cannot break the
// protocol.
const send = process.send?.bind(process);
const writeOut = process.stdout.write.bind(process.stdout);
const writeErr = process.stderr.write.bind(process.stderr);
const env = {
  memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? "",
  logGroup: process.env.AWS_LAMBDA_LOG_GROUP_NAME ?? "",
  logStream: process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? "",
};

if (!send) {
  writeErr("worker-main must be started by the Dormouse runtime (no IPC channel)\n");
  process.exit(2);
}

function post(msg: WorkerMessage, then?: () => void): void {
  if (!process.connected) return then?.();
  send!(msg, undefined, undefined, () => then?.());
}

// A worker must not outlive the server: when the IPC channel closes, the parent is gone.
process.on("disconnect", () => process.exit(0));

// Errors outside the handler's promise leave the process in an unknown state: report and exit,
// as Lambda's runtime does. The server turns the exit into Runtime.ExitError and discards us.
let dying = false;
function die(type: string, err: unknown): void {
  if (dying) process.exit(1);
  dying = true;
  const e = toErrorObject(err);
  writeErr(`${type}: ${e.StackTrace?.join("\n") ?? `${e.ErrorType}: ${e.ErrorMessage}`}\n`);
  const error: ErrorObject = { ErrorType: type, ErrorMessage: `${e.ErrorType}: ${e.ErrorMessage}` };
  if (e.StackTrace) error.StackTrace = e.StackTrace;
  post({ type: "fatal", error }, () => process.exit(1));
}
process.on("uncaughtException", (err) => die("Runtime.UncaughtException", err));
process.on("unhandledRejection", (reason) => die("Runtime.UnhandledPromiseRejection", reason));

/** Async handlers return a promise; 3-argument handlers answer through the callback instead. */
function callHandler(handler: Handler, event: unknown, context: unknown): Promise<unknown> {
  if (handler.length < 3) return (async () => handler(event, context))();
  return new Promise((resolve, reject) => {
    const callback = (err?: unknown, result?: unknown) => (err != null ? reject(err) : resolve(result));
    const r = handler(event, context, callback);
    if (typeof (r as PromiseLike<unknown> | undefined)?.then === "function") {
      (r as PromiseLike<unknown>).then(resolve, reject);
    }
  });
}

function makeContext(msg: ServerMessage) {
  return {
    awsRequestId: msg.requestId,
    functionName: msg.functionName,
    functionVersion: msg.functionVersion,
    invokedFunctionArn: msg.invokedFunctionArn ?? "",
    memoryLimitInMB: env.memory,
    logGroupName: env.logGroup,
    logStreamName: env.logStream,
    // Accepted for compatibility; the result is sent as soon as the handler answers.
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, msg.deadline - Date.now()),
    ...(msg.tenantId !== undefined ? { tenantId: msg.tenantId } : {}),
  };
}

async function run(handler: Handler, msg: ServerMessage): Promise<void> {
  const { requestId } = msg;
  let outcome: WorkerMessage;
  try {
    const event: unknown = msg.payload === "" ? {} : JSON.parse(msg.payload);
    const value = await callHandler(handler, event, makeContext(msg));
    outcome = { type: "result", requestId, payload: serialize(value) };
  } catch (err) {
    outcome = { type: "error", requestId, error: toErrorObject(err) };
  }
  // The marker tells the server that everything this invocation printed has been read, so late
  // output is not tagged with the next invocation (pipes and IPC are not ordered together).
  writeOut(syncMarker);
  writeErr(syncMarker);
  post(outcome);
}

function serialize(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch (err) {
    const e = toErrorObject(err);
    throw Object.assign(new Error(`Unable to stringify response body: ${e.ErrorMessage}`), {
      name: e.ErrorType,
    });
  }
}

const loaded = await loadHandler(handlerFile, handlerExport);
if (typeof loaded !== "function") {
  post({ type: "init-error", error: loaded });
} else {
  process.on("message", (raw: ServerMessage) => {
    switch (raw.type) {
      case "invoke":
        void run(loaded, raw);
        break;
      default:
        raw.type satisfies never;
    }
  });
  post({ type: "ready" });
}
