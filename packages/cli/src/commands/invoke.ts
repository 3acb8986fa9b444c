// `dormouse invoke <function>`: starts an execution through the Lambda Invoke API, waiting for the
// outcome (RequestResponse) or returning at once with the execution ARN (--async, i.e. Event).
import { InvokeCommand } from "@aws-sdk/client-lambda";
import type { InvocationResponse } from "@aws-sdk/client-lambda";
import type { Command } from "commander";
import { parseExecutionName, parseJsonArg } from "../args.js";
import { addClientOptions, withClient } from "../client.js";
import type { ClientOptions } from "../client.js";
import { EXIT_FAILURE } from "../errors.js";
import { formatRecord } from "../format.js";

interface InvokeOptions extends ClientOptions {
  payload?: string;
  name?: string;
  async?: boolean;
  qualifier?: string;
}

export function registerInvoke(program: Command): void {
  const command = program
    .command("invoke")
    .description("start an execution of a function and print its result (or, with --async, its ARN)")
    .argument("<function>", "function name, name:qualifier, or ARN")
    .option(
      "--payload <json|@file>",
      "event as JSON text, or @file to read it from a file (@- for stdin)",
      (v) => parseJsonArg("--payload", v),
    )
    .option(
      "--name <execution-name>",
      "execution name; the same name and payload again returns that execution",
      (v) => parseExecutionName(v),
    )
    .option("--async", "do not wait: print the execution ARN and return")
    .option("--qualifier <q>", "version or alias ($LATEST by default)");
  addClientOptions(command).action(async (fn: string, options: InvokeOptions) => {
    const output = await withClient(options, (client) =>
      client.send(
        new InvokeCommand({
          FunctionName: fn,
          InvocationType: options.async ? "Event" : "RequestResponse",
          Payload: options.payload === undefined ? undefined : new TextEncoder().encode(options.payload),
          DurableExecutionName: options.name,
          Qualifier: options.qualifier,
        }),
      ),
    );
    const printed = options.json ? invokeJson(output) : formatInvokeOutput(output, options.async ?? false);
    console.log(printed.text);
    if (printed.failed) process.exitCode = EXIT_FAILURE;
  });
}

export interface PrintedInvoke {
  text: string;
  /** The function (execution) failed: the CLI exits 1 so scripts notice. */
  failed: boolean;
}

export function formatInvokeOutput(output: InvocationResponse, async: boolean): PrintedInvoke {
  if (async) {
    // Just the ARN, so `arn=$(dormouse invoke f --async)` works.
    return {
      text: output.DurableExecutionArn ?? `accepted (status ${output.StatusCode ?? 202})`,
      failed: false,
    };
  }
  const payload = decode(output.Payload);
  const failed = output.FunctionError !== undefined;
  return {
    failed,
    text: formatRecord([
      ["execution", output.DurableExecutionArn],
      ["version", output.ExecutedVersion],
      failed ? ["error", describeFunctionError(payload)] : ["result", payload === "" ? "(none)" : payload],
    ]),
  };
}

/** The raw response, with the payload bytes as the text they are. */
function invokeJson(output: InvocationResponse): PrintedInvoke {
  const { $metadata: _metadata, Payload, ...rest } = output as InvocationResponse & { $metadata?: unknown };
  const json = Payload === undefined ? rest : { ...rest, Payload: decode(Payload) };
  return { text: JSON.stringify(json, null, 2), failed: output.FunctionError !== undefined };
}

/** Lambda's error body: `{"errorType":…,"errorMessage":…}`; anything else is shown as it came. */
export function describeFunctionError(payload: string): string {
  try {
    const body = JSON.parse(payload) as { errorType?: unknown; errorMessage?: unknown };
    const parts = [body.errorType, body.errorMessage].filter(
      (p): p is string => typeof p === "string" && p !== "",
    );
    if (parts.length > 0) return parts.join(": ");
  } catch {
    // not JSON: fall through
  }
  return payload === "" ? "(no details)" : payload;
}

function decode(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? "" : new TextDecoder().decode(bytes);
}
