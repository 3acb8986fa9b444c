// The credit bureaus and the lending rules. The bureaus are simulated: each scores a SIN the same way
// every time, so the demo profiles always end the same way (and a replay sees the same numbers, though
// the checkpointed results are what it actually uses).
import { createHash } from "node:crypto";
import { dollars, sinLast4 } from "./application.js";

/** `latencyMs`: how long each simulated bureau takes to answer, so the page shows them working. */
export const BUREAUS = [
  { id: "equifax", name: "Equifax", latencyMs: 450 },
  { id: "transunion", name: "TransUnion", latencyMs: 800 },
  { id: "experian", name: "Experian", latencyMs: 600 },
] as const;

export type BureauId = (typeof BUREAUS)[number]["id"];

export interface BureauReport {
  bureau: BureauId;
  name: string;
  score: number;
  checkedAt: string;
}

/** The demo profiles' scores, by the SIN's last four digits; every other SIN gets one from a hash. */
const PROFILE_SCORES: Record<string, number> = { "1111": 782, "2222": 541, "3333": 688 };

export const RULES = {
  /** Below this average score an application is denied. */
  minimumScore: 600,
  /** From minimumScore up to this score, loans are limited to limitedAmount. */
  fullCreditScore: 720,
  limitedAmount: 25_000,
} as const;

function hashNumber(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0);
}

export function bureauScore(bureau: BureauId, sin: string): number {
  const base = PROFILE_SCORES[sinLast4(sin)] ?? 520 + (hashNumber(sin) % 300);
  // Bureaus disagree a little: -6..+6 points, the same every time for a SIN.
  const spread = (hashNumber(`${bureau}:${sin}`) % 13) - 6;
  return Math.max(300, Math.min(900, base + spread));
}

export function averageScore(reports: readonly Pick<BureauReport, "score">[]): number {
  if (reports.length === 0) throw new Error("no credit reports to average");
  return Math.round(reports.reduce((sum, r) => sum + r.score, 0) / reports.length);
}

export type Assessment =
  | { outcome: "approved"; reason: string }
  | { outcome: "denied"; reason: string }
  | { outcome: "manager-review"; reason: string };

/**
 * The lending rules, in order: a low score is denied; a fair score may borrow up to the limited
 * amount; a good score may borrow anything, but above the threshold a manager must agree.
 */
export function assess(amount: number, creditScore: number, managerThreshold: number): Assessment {
  if (creditScore < RULES.minimumScore) {
    return {
      outcome: "denied",
      reason: `Credit score too low (${creditScore}; the minimum is ${RULES.minimumScore})`,
    };
  }
  if (creditScore < RULES.fullCreditScore && amount > RULES.limitedAmount) {
    return {
      outcome: "denied",
      reason:
        `${dollars(amount)} is above the ${dollars(RULES.limitedAmount)} limit for a credit score of ` +
        `${creditScore} (below ${RULES.fullCreditScore})`,
    };
  }
  if (amount > managerThreshold) {
    return {
      outcome: "manager-review",
      reason: `${dollars(amount)} is above ${dollars(managerThreshold)}: a manager must approve`,
    };
  }
  return { outcome: "approved", reason: `Credit score ${creditScore} qualifies for ${dollars(amount)}` };
}
