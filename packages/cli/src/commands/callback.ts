// `dormouse callback succeed|fail|heartbeat <callback-id>`: completes what a function is waiting
// for in `ctx.waitForCallback` / `ctx.createCallback` (protocol §5).
import {
  SendDurableExecutionCallbackFailureCommand,
  SendDurableExecutionCallbackHeartbeatCommand,
  SendDurableExecutionCallbackSuccessCommand,
} from "@aws-sdk/client-lambda";
import type { Command } from "commander";
import { errorObjectFromFlags, parseJsonArg } from "../args.js";
import type { ErrorFlags } from "../args.js";
import { addClientOptions, withClient } from "../client.js";
import type { ClientOptions } from "../client.js";
import { toJson } from "../format.js";

export function registerCallback(program: Command): void {
  const callback = program
    .command("callback")
    .description("complete or heartbeat a callback an execution waits for");

  addClientOptions(
    callback
      .command("succeed")
      .description("complete a callback successfully")
      .argument("<callback-id>", "the id the function received")
      .option(
        "--result <json|@file>",
        "result as JSON text, or @file (@- for stdin); default: no result",
        (v) => parseJsonArg("--result", v),
      ),
  ).action(async (callbackId: string, options: ClientOptions & { result?: string }) => {
    const output = await withClient(options, (client) =>
      client.send(
        new SendDurableExecutionCallbackSuccessCommand({
          CallbackId: callbackId,
          // Sent verbatim: the function receives exactly this text (the SDK's default deserializer
          // passes it through; `serdes: defaultSerdes` parses it as JSON).
          Result: options.result === undefined ? undefined : new TextEncoder().encode(options.result),
        }),
      ),
    );
    console.log(options.json ? toJson(output) : "callback completed: succeeded");
  });

  addClientOptions(
    callback
      .command("fail")
      .description("complete a callback with an error")
      .argument("<callback-id>", "the id the function received")
      .option("--error-type <type>", "ErrorType the function sees")
      .option("--error-message <message>", "ErrorMessage the function sees")
      .option("--error-data <data>", "ErrorData (free text)"),
  ).action(async (callbackId: string, options: ClientOptions & ErrorFlags) => {
    const output = await withClient(options, (client) =>
      client.send(
        new SendDurableExecutionCallbackFailureCommand({
          CallbackId: callbackId,
          Error: errorObjectFromFlags(options),
        }),
      ),
    );
    console.log(options.json ? toJson(output) : "callback completed: failed");
  });

  addClientOptions(
    callback
      .command("heartbeat")
      .description("tell the function the callback is still being worked on (resets its heartbeat timeout)")
      .argument("<callback-id>", "the id the function received"),
  ).action(async (callbackId: string, options: ClientOptions) => {
    const output = await withClient(options, (client) =>
      client.send(new SendDurableExecutionCallbackHeartbeatCommand({ CallbackId: callbackId })),
    );
    console.log(options.json ? toJson(output) : "heartbeat sent");
  });
}
