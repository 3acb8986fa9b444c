// The AWS SDK's own Lambda client pointed at a Dormouse server: the CLI is just another client of
// the Lambda-compatible API, so it exercises exactly what users' code does.
import { LambdaClient } from "@aws-sdk/client-lambda";
import type { Command } from "commander";
import { resolveEndpoint } from "./args.js";

export interface ClientOptions {
  endpoint?: string;
  json?: boolean;
}

/** Options every client command shares. */
export function addClientOptions(command: Command): Command {
  return command
    .option("--endpoint <url>", "Dormouse API URL (default: $DORMOUSE_ENDPOINT or http://127.0.0.1:9014)")
    .option("--json", "print the raw API output as JSON, for scripts");
}

/** A transport failure: the server could not be reached at all. */
export class ConnectionError extends Error {
  override readonly name = "ConnectionError";
  constructor(
    readonly endpoint: string,
    readonly code: string,
    options: { cause: unknown },
  ) {
    super(`cannot reach ${endpoint} (${code})`, options);
  }
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
]);

/**
 * Runs `fn` with a client for the resolved endpoint and always releases its sockets. Transport
 * errors become ConnectionError so the message can say where the CLI looked.
 */
export async function withClient<T>(
  options: ClientOptions,
  fn: (client: LambdaClient) => Promise<T>,
): Promise<T> {
  const endpoint = resolveEndpoint(options.endpoint);
  // The SDK warns on every run under Node 20 about its own future support window; a CLI user
  // cannot act on that, so it is silenced here (the user's own processes are unaffected).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const client = new LambdaClient({
    endpoint,
    region: "us-east-1",
    // Dormouse does not check signatures, but the SDK refuses to send unsigned requests.
    credentials: { accessKeyId: "dormouse", secretAccessKey: "dormouse" },
  });
  try {
    return await fn(client);
  } catch (error) {
    const code = connectionErrorCode(error);
    throw code === undefined ? error : new ConnectionError(endpoint, code, { cause: error });
  } finally {
    client.destroy();
  }
}

/** Node reports connect failures with `code`; with several addresses (localhost) as an AggregateError. */
export function connectionErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, errors } = error as { code?: unknown; errors?: unknown };
  if (typeof code === "string" && CONNECTION_CODES.has(code)) return code;
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const innerCode = connectionErrorCode(inner);
      if (innerCode !== undefined) return innerCode;
    }
  }
  return undefined;
}
