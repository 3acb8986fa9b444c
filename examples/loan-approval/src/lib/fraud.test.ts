import { describe, expect, it } from "vitest";
import { assessFraudRisk } from "./fraud.js";

const request = {
  callbackId: "cb",
  applicationId: "LA-ABCDEFGH",
  applicantName: "Alice Johnson",
  sinLast4: "1111",
};
const now = new Date("2026-01-02T03:04:05Z");

describe("assessFraudRisk", () => {
  it("passes an ordinary case", () => {
    expect(assessFraudRisk({ ...request, amount: 150_000 }, now)).toEqual({
      passed: true,
      riskScore: 8,
      signals: [],
      checkedAt: "2026-01-02T03:04:05.000Z",
    });
  });

  it("fails on signals that add up to 70", () => {
    const flagged = assessFraudRisk({ ...request, sinLast4: "0000", amount: 10_000 }, now);
    expect(flagged).toMatchObject({ passed: false, signals: ["SIN ending 0000 is on the watch list"] });
    const large = assessFraudRisk({ ...request, applicantName: "R2 D2", amount: 600_000 }, now);
    expect(large).toMatchObject({ passed: false, riskScore: 83 });
  });
});
