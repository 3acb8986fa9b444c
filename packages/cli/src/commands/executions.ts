// `dormouse executions list|get|history|stop`: the durable-execution control-plane APIs (protocol §7).
import {
  GetDurableExecutionCommand,
  GetDurableExecutionHistoryCommand,
  ListDurableExecutionsByFunctionCommand,
  StopDurableExecutionCommand,
} from "@aws-sdk/client-lambda";
import type { Command } from "commander";
import { errorObjectFromFlags, parseIntegerArg, parseStatusArg } from "../args.js";
import type { ErrorFlags, ExecutionStatusArg } from "../args.js";
import { addClientOptions, withClient } from "../client.js";
import type { ClientOptions } from "../client.js";
import { formatExecution, formatExecutionList, formatHistory } from "../format-executions.js";
import { formatRecord, formatTime, toJson } from "../format.js";
import { collectPages } from "../paginate.js";

const parseLimit = (v: string) => parseIntegerArg("--limit", v, 1, 1_000_000);

export function registerExecutions(program: Command): void {
  const executions = program.command("executions").description("list, inspect and stop durable executions");

  interface ListOptions extends ClientOptions {
    status?: ExecutionStatusArg[];
    name?: string;
    limit?: number;
  }
  addClientOptions(
    executions
      .command("list")
      .description("list the executions of a function, newest first")
      .argument("<function>", "function name or ARN")
      .option(
        "--status <status...>",
        "only these statuses (RUNNING SUCCEEDED FAILED TIMED_OUT STOPPED)",
        (v, prev) => parseStatusArg(v, prev as ExecutionStatusArg[] | undefined),
      )
      .option("--name <name>", "only the execution with this name")
      .option("--limit <n>", "print at most n executions (default: all)", parseLimit),
  ).action(async (fn: string, options: ListOptions) => {
    const { items, nextMarker } = await withClient(options, (client) =>
      collectPages(async (marker, maxItems) => {
        const page = await client.send(
          new ListDurableExecutionsByFunctionCommand({
            FunctionName: fn,
            Statuses: options.status,
            DurableExecutionName: options.name,
            Marker: marker,
            MaxItems: maxItems,
          }),
        );
        return { items: page.DurableExecutions ?? [], nextMarker: page.NextMarker };
      }, options.limit),
    );
    console.log(
      options.json
        ? toJson({ DurableExecutions: items, NextMarker: nextMarker })
        : formatExecutionList(items),
    );
  });

  addClientOptions(
    executions.command("get").description("show one execution").argument("<arn>", "durable execution ARN"),
  ).action(async (arn: string, options: ClientOptions) => {
    const output = await withClient(options, (client) =>
      client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn })),
    );
    console.log(options.json ? toJson(output) : formatExecution(output));
  });

  interface HistoryOptions extends ClientOptions {
    reverse?: boolean;
    limit?: number;
  }
  addClientOptions(
    executions
      .command("history")
      .description("print the event history of an execution")
      .argument("<arn>", "durable execution ARN")
      .option("--reverse", "newest event first")
      .option("--limit <n>", "print at most n events (default: all)", parseLimit),
  ).action(async (arn: string, options: HistoryOptions) => {
    const { items, nextMarker } = await withClient(options, (client) =>
      collectPages(async (marker, maxItems) => {
        const page = await client.send(
          new GetDurableExecutionHistoryCommand({
            DurableExecutionArn: arn,
            ReverseOrder: options.reverse,
            Marker: marker,
            MaxItems: maxItems,
          }),
        );
        return { items: page.Events ?? [], nextMarker: page.NextMarker };
      }, options.limit),
    );
    console.log(options.json ? toJson({ Events: items, NextMarker: nextMarker }) : formatHistory(items));
  });

  addClientOptions(
    executions
      .command("stop")
      .description("stop a running execution")
      .argument("<arn>", "durable execution ARN")
      .option("--error-type <type>", "ErrorType recorded as the reason")
      .option("--error-message <message>", "ErrorMessage recorded as the reason"),
  ).action(async (arn: string, options: ClientOptions & ErrorFlags) => {
    const output = await withClient(options, (client) =>
      client.send(
        new StopDurableExecutionCommand({ DurableExecutionArn: arn, Error: errorObjectFromFlags(options) }),
      ),
    );
    console.log(
      options.json ? toJson(output) : formatRecord([["stopped", formatTime(output.StopTimestamp)]]),
    );
  });
}
