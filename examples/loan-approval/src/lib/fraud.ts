// The fraud rules (simulated): a few signals, each adding to a risk score; 70 or more fails.
import type { FraudCheckRequest, FraudCheckResult } from "./decision.js";

export const FRAUD_THRESHOLD = 70;

export function assessFraudRisk(request: FraudCheckRequest, now: Date): FraudCheckResult {
  const signals: string[] = [];
  let risk = 8;
  if (request.amount >= 500_000) {
    risk += 35;
    signals.push("very large amount");
  }
  if (request.sinLast4 === "0000") {
    risk += 65;
    signals.push("SIN ending 0000 is on the watch list");
  }
  if (/\d/.test(request.applicantName)) {
    risk += 40;
    signals.push("digits in the applicant's name");
  }
  return {
    passed: risk < FRAUD_THRESHOLD,
    riskScore: Math.min(100, risk),
    signals,
    checkedAt: now.toISOString(),
  };
}
