// The loan API as the page sees it: the response shapes of src/api.ts, and typed failures.

export type StageKey = "validate" | "credit-checks" | "decide" | "manager" | "fraud-check" | "complete";
export type StageState = "pending" | "active" | "waiting" | "done" | "skipped" | "failed";

export interface Stage {
  key: StageKey;
  label: string;
  state: StageState;
  detail?: string;
}

export interface LogLine {
  seq: number;
  timestamp: string;
  level: string;
  service: string;
  message: string;
  replay: boolean;
  entry: Record<string, unknown>;
}

export interface BureauReport {
  bureau: string;
  name: string;
  score: number;
}

export interface LoanDecision {
  applicationId: string;
  applicantName: string;
  amount: number;
  status: "APPROVED" | "DENIED";
  reason: string;
  creditScore?: number;
  bureauReports?: BureauReport[];
  managerReview?: { approved: boolean; manager: string; comment?: string };
  fraudCheck?: { passed: boolean; riskScore: number; signals: string[] };
  decidedAt: string;
}

export interface ApplicationView {
  application: {
    applicationId: string;
    applicantName: string;
    sinLast4: string;
    amount: number;
    submittedAt: string;
  };
  execution: {
    arn: string;
    status: "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "STOPPED";
    startedAt?: string;
    endedAt?: string;
    error?: { type?: string; message?: string };
  };
  stages: Stage[];
  waitingFor: "manager" | "fraud-check" | null;
  assessment?: { outcome: "approved" | "denied" | "manager-review"; reason: string };
  decision: LoanDecision | null;
  logs: LogLine[];
}

export interface Stats {
  applicationsSubmitted: number;
  approvalsProcessed: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data: unknown;
  try {
    data = text === "" ? undefined : JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const err = (data ?? {}) as { error?: string; message?: string };
    throw new ApiError(response.status, err.error ?? "HttpError", err.message ?? `HTTP ${response.status}`);
  }
  return data as T;
}

export const api = {
  submit: (input: { applicantName: string; sin: string; amount: number }) =>
    call<{ applicationId: string; executionArn: string }>("POST", "/api/applications", input),
  application: (id: string) => call<ApplicationView>("GET", `/api/applications/${encodeURIComponent(id)}`),
  decide: (id: string, input: { approved: boolean; manager: string; comment?: string }) =>
    call<{ applicationId: string; approved: boolean }>(
      "POST",
      `/api/applications/${encodeURIComponent(id)}/manager-decision`,
      input,
    ),
  stats: () => call<Stats>("GET", "/api/stats"),
};
