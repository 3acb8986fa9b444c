// The executions list's filters live in the URL (?function=&status=&q=&after=&before=), so a
// filtered list can be linked and survives a reload.
import type { ConsoleExecutionSummary, ExecutionStatus } from "@dormouse/protocol";
import { EXECUTION_STATUSES } from "@dormouse/protocol";
import type { ExecutionFilters } from "../../api";

export interface ListQuery {
  functionName: string;
  statuses: ExecutionStatus[];
  q: string;
  /** datetime-local values ("2025-07-04T14:30"), local time. */
  after: string;
  before: string;
}

export function readQuery(search: URLSearchParams): ListQuery {
  const statuses = search
    .getAll("status")
    .filter((s): s is ExecutionStatus => (EXECUTION_STATUSES as readonly string[]).includes(s));
  return {
    functionName: search.get("function") ?? "",
    statuses,
    q: search.get("q") ?? "",
    after: search.get("after") ?? "",
    before: search.get("before") ?? "",
  };
}

export function hasFilters(q: ListQuery): boolean {
  return q.functionName !== "" || q.statuses.length > 0 || q.q !== "" || q.after !== "" || q.before !== "";
}

function localMs(value: string): number | undefined {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

export function toFilters(q: ListQuery): ExecutionFilters {
  const startedAfter = localMs(q.after);
  const startedBefore = localMs(q.before);
  return {
    ...(q.functionName ? { functionName: q.functionName } : {}),
    ...(q.statuses.length > 0 ? { statuses: q.statuses } : {}),
    ...(q.q.trim() ? { q: q.q.trim() } : {}),
    ...(startedAfter !== undefined ? { startedAfter } : {}),
    ...(startedBefore !== undefined ? { startedBefore } : {}),
  };
}

/** Whether a live update belongs in the list as filtered (the server's rule, applied locally). */
export function matches(f: ExecutionFilters, e: ConsoleExecutionSummary): boolean {
  if (f.functionName && e.functionName !== f.functionName) return false;
  if (f.statuses && !f.statuses.includes(e.status)) return false;
  if (f.q && !(e.name.startsWith(f.q) || e.arn === f.q)) return false;
  if (f.startedAfter !== undefined && e.startedAt < f.startedAfter) return false;
  if (f.startedBefore !== undefined && e.startedAt > f.startedBefore) return false;
  return true;
}

/** The last path segment of an execution ARN: its id. */
export function executionId(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}
