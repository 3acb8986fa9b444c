import { describe, expect, it } from "vitest";
import { asFraudCheckResult, asManagerDecision, checkManagerDecisionInput } from "./decision.js";

describe("checkManagerDecisionInput", () => {
  it("needs approved, and fills in the manager", () => {
    expect(checkManagerDecisionInput({ approved: false })).toEqual({
      ok: true,
      value: { approved: false, manager: "Loan manager" },
    });
    expect(checkManagerDecisionInput({ approved: true, manager: " Ana ", comment: " fine " })).toEqual({
      ok: true,
      value: { approved: true, manager: "Ana", comment: "fine" },
    });
    expect(checkManagerDecisionInput({ approved: "yes", manager: 3, comment: "x".repeat(501) })).toEqual({
      ok: false,
      problems: [
        "approved must be true or false",
        "manager must be a name of at most 60 characters",
        "comment must be text of at most 500 characters",
      ],
    });
    expect(checkManagerDecisionInput(null)).toMatchObject({ ok: false });
  });
});

describe("callback results", () => {
  it("are read as what they claim, or refused with the reason", () => {
    expect(asManagerDecision({ approved: true, manager: "Ana", decidedAt: "t" })).toEqual({
      approved: true,
      manager: "Ana",
      decidedAt: "t",
    });
    expect(() => asManagerDecision("approved")).toThrow("no approved flag");
    expect(asFraudCheckResult({ passed: true, riskScore: 8 })).toEqual({
      passed: true,
      riskScore: 8,
      signals: [],
      checkedAt: "",
    });
    expect(() => asFraudCheckResult({ approved: true })).toThrow("no passed flag");
  });
});
