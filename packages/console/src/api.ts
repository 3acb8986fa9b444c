// Every request the console makes. Reads go to the console API (/console-api, JSON); actions use
// the Lambda REST API itself, the same calls the AWS SDK and the CLI make.
import type {
  ConsoleEventsResponse,
  ConsoleExecutionResponse,
  ConsoleExecutionsResponse,
  ConsoleFunctionsResponse,
  ErrorObject,
  ExecutionStatus,
} from "@dormouse/protocol";
import { CONSOLE_API_PREFIX } from "@dormouse/protocol";
import type { Connection } from "./connection";

/** The server answered, and said no. `errorType` is the AWS error name (x-amzn-errortype). */
export class ServerError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = "ServerError";
  }
  get notFound(): boolean {
    return this.status === 404;
  }
}

/** The server did not answer at all. */
export class UnreachableError extends Error {
  constructor(message = "The Dormouse server is not reachable") {
    super(message);
    this.name = "UnreachableError";
  }
}

export interface ExecutionFilters {
  functionName?: string;
  statuses?: ExecutionStatus[];
  q?: string;
  startedAfter?: number;
  startedBefore?: number;
}

export interface StartOptions {
  qualifier?: string;
  name?: string;
}

export class ConsoleClient {
  constructor(private readonly connection: Connection) {}

  functions(signal?: AbortSignal): Promise<ConsoleFunctionsResponse> {
    return this.json(`${CONSOLE_API_PREFIX}/functions`, { signal });
  }

  executions(
    filters: ExecutionFilters,
    page: { cursor?: string; limit?: number },
    signal?: AbortSignal,
  ): Promise<ConsoleExecutionsResponse> {
    const params = new URLSearchParams();
    if (filters.functionName) params.set("function", filters.functionName);
    for (const s of filters.statuses ?? []) params.append("status", s);
    if (filters.q) params.set("q", filters.q);
    if (filters.startedAfter !== undefined) params.set("startedAfter", String(filters.startedAfter));
    if (filters.startedBefore !== undefined) params.set("startedBefore", String(filters.startedBefore));
    if (page.cursor) params.set("cursor", page.cursor);
    params.set("limit", String(page.limit ?? 50));
    return this.json(`${CONSOLE_API_PREFIX}/executions?${params}`, { signal });
  }

  execution(arn: string, signal?: AbortSignal): Promise<ConsoleExecutionResponse> {
    return this.json(`${CONSOLE_API_PREFIX}/executions/${encodeURIComponent(arn)}`, { signal });
  }

  events(
    arn: string,
    page: { after?: string | number; limit?: number },
    signal?: AbortSignal,
  ): Promise<ConsoleEventsResponse> {
    const params = new URLSearchParams({ limit: String(page.limit ?? 500) });
    if (page.after !== undefined) params.set("after", String(page.after));
    return this.json(`${CONSOLE_API_PREFIX}/executions/${encodeURIComponent(arn)}/events?${params}`, {
      signal,
    });
  }

  /** The raw body is the result, delivered to the function as it is. */
  async callbackSucceed(callbackId: string, result: string): Promise<void> {
    await this.send(`/2025-12-01/durable-execution-callbacks/${encodeURIComponent(callbackId)}/succeed`, {
      method: "POST",
      body: result,
      headers: { "content-type": "application/octet-stream" },
    });
  }

  async callbackFail(callbackId: string, error: ErrorObject): Promise<void> {
    await this.send(`/2025-12-01/durable-execution-callbacks/${encodeURIComponent(callbackId)}/fail`, {
      method: "POST",
      body: JSON.stringify(error),
      headers: { "content-type": "application/json" },
    });
  }

  async callbackHeartbeat(callbackId: string): Promise<void> {
    await this.send(`/2025-12-01/durable-execution-callbacks/${encodeURIComponent(callbackId)}/heartbeat`, {
      method: "POST",
    });
  }

  async stop(arn: string, error?: ErrorObject): Promise<void> {
    await this.send(`/2025-12-01/durable-executions/${encodeURIComponent(arn)}/stop`, {
      method: "POST",
      ...(error ? { body: JSON.stringify(error), headers: { "content-type": "application/json" } } : {}),
    });
  }

  /** Starts a durable execution asynchronously and returns its ARN. */
  async start(functionName: string, payload: string, opts: StartOptions = {}): Promise<string> {
    const query = opts.qualifier ? `?Qualifier=${encodeURIComponent(opts.qualifier)}` : "";
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "X-Amz-Invocation-Type": "Event",
    };
    if (opts.name) headers["X-Amz-Durable-Execution-Name"] = opts.name;
    const response = await this.send(
      `/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations${query}`,
      { method: "POST", body: payload, headers },
    );
    const arn = response.headers.get("X-Amz-Durable-Execution-Arn");
    if (!arn) {
      throw new ServerError(response.status, undefined, "The server did not return an execution ARN");
    }
    return arn;
  }

  private async json<T>(url: string, init: RequestInit): Promise<T> {
    const response = await this.send(url, { ...init, headers: { accept: "application/json" } });
    return (await response.json()) as T;
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (err) {
      if (isAbort(err)) throw err;
      this.connection.markOffline();
      throw new UnreachableError();
    }
    const errorType = response.headers.get("x-amzn-errortype") ?? undefined;
    // A proxy in front of a stopped server (vite's, or any gateway) answers 502/503/504 itself.
    if (response.status >= 502 && response.status <= 504 && errorType === undefined) {
      this.connection.markOffline();
      throw new UnreachableError();
    }
    this.connection.markOnline();
    if (response.ok) return response;
    throw new ServerError(response.status, errorType, await errorMessage(response));
  }
}

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { message?: unknown; Message?: unknown };
    const message = body.message ?? body.Message;
    if (typeof message === "string" && message !== "") return message;
  } catch {
    // not JSON: fall through
  }
  return text.trim() || `${response.status} ${response.statusText}`;
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === "AbortError";
}

/** One line for a failed request, for people: "ResourceNotFoundException: Execution … not found". */
export function describeError(err: unknown): string {
  if (err instanceof ServerError) return err.errorType ? `${err.errorType}: ${err.message}` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
