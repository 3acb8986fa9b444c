// The messages between the workflow, the manager, the fraud check and the page.
import type { BureauReport } from "./credit.js";

/** What the API sends as the manager-approval callback's result. */
export interface ManagerDecision {
  approved: boolean;
  manager: string;
  comment?: string;
  decidedAt: string;
}

/** The fraud-check function's event: the callback to complete, and the case. */
export interface FraudCheckRequest {
  callbackId: string;
  applicationId: string;
  applicantName: string;
  sinLast4: string;
  amount: number;
}

/** What the fraud-check function sends as the callback's result. */
export interface FraudCheckResult {
  passed: boolean;
  /** 0 (no risk) to 100. */
  riskScore: number;
  signals: string[];
  checkedAt: string;
}

/** The workflow's result. */
export interface LoanDecision {
  applicationId: string;
  applicantName: string;
  amount: number;
  status: "APPROVED" | "DENIED";
  reason: string;
  creditScore?: number;
  bureauReports?: BureauReport[];
  managerReview?: ManagerDecision;
  fraudCheck?: FraudCheckResult;
  decidedAt: string;
}

export interface ManagerDecisionInput {
  approved: boolean;
  manager: string;
  comment?: string;
}

/** The manager's answer as the page posts it: `approved` is required, the rest is optional. */
export function checkManagerDecisionInput(
  body: unknown,
): { ok: true; value: ManagerDecisionInput } | { ok: false; problems: string[] } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, problems: ["the body must be a JSON object with approved (true or false)"] };
  }
  const { approved, manager, comment } = body as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof approved !== "boolean") problems.push("approved must be true or false");
  if (manager !== undefined && (typeof manager !== "string" || manager.trim().length > 60)) {
    problems.push("manager must be a name of at most 60 characters");
  }
  if (comment !== undefined && (typeof comment !== "string" || comment.length > 500)) {
    problems.push("comment must be text of at most 500 characters");
  }
  if (problems.length > 0) return { ok: false, problems };
  const name = typeof manager === "string" && manager.trim() !== "" ? manager.trim() : "Loan manager";
  const note = typeof comment === "string" ? comment.trim() : "";
  return {
    ok: true,
    value: { approved: approved as boolean, manager: name, ...(note ? { comment: note } : {}) },
  };
}

/** A callback result is whatever its sender sent: read it as a manager's decision, or say why not. */
export function asManagerDecision(value: unknown): ManagerDecision {
  const v = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof v.approved !== "boolean") throw new TypeError("the manager's answer has no approved flag");
  return {
    approved: v.approved,
    manager: typeof v.manager === "string" && v.manager !== "" ? v.manager : "Loan manager",
    ...(typeof v.comment === "string" && v.comment !== "" ? { comment: v.comment } : {}),
    decidedAt: typeof v.decidedAt === "string" ? v.decidedAt : "",
  };
}

export function asFraudCheckResult(value: unknown): FraudCheckResult {
  const v = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof v.passed !== "boolean" || typeof v.riskScore !== "number") {
    throw new TypeError("the fraud check's answer has no passed flag or risk score");
  }
  return {
    passed: v.passed,
    riskScore: v.riskScore,
    signals: Array.isArray(v.signals) ? v.signals.map(String) : [],
    checkedAt: typeof v.checkedAt === "string" ? v.checkedAt : "",
  };
}
