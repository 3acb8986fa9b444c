// The `dormouse` command tree: builds the command tree and turns every failure into a message on
// stderr and an exit code (0 ok, 1 failed, 2 wrong command line).
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { registerCallback } from "./commands/callback.js";
import { registerDeploy } from "./commands/deploy.js";
import { registerDev } from "./commands/dev.js";
import { registerExecutions } from "./commands/executions.js";
import { registerInvoke } from "./commands/invoke.js";
import { EXIT_USAGE, describeFailure } from "./errors.js";

export function buildProgram(): Command {
  const program = new Command("dormouse")
    .description("Self-hosted server for AWS Lambda Durable Functions")
    .version(packageVersion(), "-v, --version")
    .showHelpAfterError("(add --help for usage)")
    // Throw instead of exiting so usage errors get exit code 2 in run(); inherited by subcommands.
    .exitOverride();
  registerDev(program);
  registerDeploy(program);
  registerInvoke(program);
  registerExecutions(program);
  registerCallback(program);
  return program;
}

export async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help/version text) already.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const failure = describeFailure(error);
    console.error(failure.message);
    return failure.exitCode;
  }
}

function packageVersion(): string {
  const file = new URL("../package.json", import.meta.url);
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}
