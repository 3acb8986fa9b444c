// Structured JSON logs with the application id as correlation id. Each line is printed (what Lambda
// sends to CloudWatch Logs) and kept in the app store, where the API reads an application's lines
// for the page.
import type { DurableContext, DurableLogger, DurableLoggingContext } from "@aws/durable-execution-sdk-js";
import { appStore } from "./app-store.js";

export type Level = "DEBUG" | "INFO" | "WARN" | "ERROR";
export type LogData = Record<string, unknown>;

export interface AppLogger {
  info(message: string, data?: LogData): void;
  warn(message: string, data?: LogData): void;
  error(message: string, data?: LogData): void;
}

export const REPLAY_TAG = "[REPLAY]";

export interface LogEntry extends LogData {
  timestamp: string;
  level: Level;
  service: string;
  correlationId: string;
  message: string;
}

/** Prints the line and stores it; a logging failure never fails the caller. */
export function writeLogEntry(entry: LogEntry): void {
  console.log(JSON.stringify(entry));
  try {
    appStore().appendLog(entry.correlationId, entry);
  } catch (err) {
    console.error(
      JSON.stringify({ level: "ERROR", message: "could not store a log line", error: String(err) }),
    );
  }
}

function entryOf(level: Level, service: string, correlationId: string, message: string, data?: LogData) {
  return { timestamp: new Date().toISOString(), level, service, correlationId, message, ...data };
}

/** A logger for plain functions (the API, the fraud check): every call is a new line. */
export function serviceLogger(service: string, correlationId: string): AppLogger {
  const log = (level: Level) => (message: string, data?: LogData) =>
    writeLogEntry(entryOf(level, service, correlationId, message, data));
  return { info: log("INFO"), warn: log("WARN"), error: log("ERROR") };
}

/**
 * A logger for the durable workflow. A durable function runs again from the top after every wait,
 * so the code between its operations runs again too: those lines are written again, tagged
 * `[REPLAY]` and `"replay": true`, instead of passing for new events.
 *
 * Which calls are replays is the SDK's call: `ctx.logger` is mode-aware (it drops calls while the
 * context replays completed operations). This logger is installed as the context's custom logger,
 * so a call the SDK lets through reaches it and is live; one the SDK drops never does, and is written
 * as a replay. Lines get the execution ARN, request id and operation from the SDK's logging context.
 */
export function workflowLogger(ctx: DurableContext, correlationId: string, service: string): AppLogger {
  let durable: DurableLoggingContext | undefined;
  let reached = false;
  const live = () => {
    reached = true;
  };
  const sdkSide: DurableLogger = {
    configureDurableLoggingContext(context) {
      durable = context;
    },
    info: live,
    warn: live,
    error: live,
    debug: live,
  };
  ctx.configureLogger({ customLogger: sdkSide, modeAware: true });

  const log = (level: Level) => (message: string, data?: LogData) => {
    reached = false;
    if (level === "ERROR") ctx.logger.error(message);
    else if (level === "WARN") ctx.logger.warn(message);
    else ctx.logger.info(message);
    const replay = !reached;
    const meta = durable?.getDurableLogData();
    writeLogEntry({
      ...entryOf(level, service, correlationId, replay ? `${REPLAY_TAG} ${message}` : message, data),
      replay,
      ...(meta?.executionArn ? { executionArn: meta.executionArn } : {}),
      ...(meta?.requestId ? { requestId: meta.requestId } : {}),
      ...(meta?.operationName ? { operation: meta.operationName } : {}),
    });
  };
  return { info: log("INFO"), warn: log("WARN"), error: log("ERROR") };
}
