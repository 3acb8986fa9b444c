// What the user sees when a command fails, and the exit code: 2 for a wrong command line (the
// caller's fault, fix the flags), 1 for anything that went wrong while doing the work.
import { UsageError, errorMessage } from "./args.js";
import { ConnectionError } from "./client.js";

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface Failure {
  message: string;
  exitCode: number;
}

export function describeFailure(error: unknown): Failure {
  if (error instanceof UsageError) return { message: `error: ${error.message}`, exitCode: EXIT_USAGE };
  if (error instanceof ConnectionError) {
    return {
      message: `error: ${error.message}: is \`dormouse dev\` running at ${error.endpoint}? (set --endpoint or DORMOUSE_ENDPOINT to use another server)`,
      exitCode: EXIT_FAILURE,
    };
  }
  if (isServiceError(error)) {
    return { message: `error: ${error.name}: ${error.message}`, exitCode: EXIT_FAILURE };
  }
  if ((error as { code?: unknown } | null)?.code === "EADDRINUSE") {
    return {
      message: `error: ${errorMessage(error)}: is another server running there? choose another --port`,
      exitCode: EXIT_FAILURE,
    };
  }
  // The server reports a bad configuration (port, template path) as ConfigError: a usage problem.
  if (error instanceof Error && error.name === "ConfigError") {
    return { message: `error: ${error.message}`, exitCode: EXIT_USAGE };
  }
  return { message: `error: ${errorMessage(error)}`, exitCode: EXIT_FAILURE };
}

/** An error the API answered with: the SDK names it after the AWS error (`ResourceNotFoundException`). */
function isServiceError(error: unknown): error is Error & { $fault: string } {
  return error instanceof Error && typeof (error as { $fault?: unknown }).$fault === "string";
}
