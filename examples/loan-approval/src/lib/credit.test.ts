import { describe, expect, it } from "vitest";
import { BUREAUS, RULES, assess, averageScore, bureauScore } from "./credit.js";

const scoreOf = (sin: string) => averageScore(BUREAUS.map((b) => ({ score: bureauScore(b.id, sin) })));

describe("the demo profiles", () => {
  it("score the same every time, in their bands", () => {
    expect(bureauScore("equifax", "123451111")).toBe(bureauScore("equifax", "123451111"));
    expect(scoreOf("123451111")).toBeGreaterThanOrEqual(RULES.fullCreditScore); // Alice
    expect(scoreOf("123452222")).toBeLessThan(RULES.minimumScore); // Bob
    const charlie = scoreOf("123453333");
    expect(charlie).toBeGreaterThanOrEqual(RULES.minimumScore);
    expect(charlie).toBeLessThan(RULES.fullCreditScore);
  });

  it("end as the issue says with a $100,000 threshold", () => {
    const threshold = 100_000;
    expect(assess(150_000, scoreOf("123451111"), threshold).outcome).toBe("manager-review");
    expect(assess(90_000, scoreOf("123451111"), threshold).outcome).toBe("approved");
    expect(assess(50_000, scoreOf("123452222"), threshold)).toMatchObject({
      outcome: "denied",
      reason: expect.stringMatching(/^Credit score too low/),
    });
    expect(assess(25_000, scoreOf("123453333"), threshold).outcome).toBe("approved");
    expect(assess(25_001, scoreOf("123453333"), threshold)).toMatchObject({
      outcome: "denied",
      reason: expect.stringContaining("above the $25,000 limit"),
    });
  });
});

describe("bureauScore", () => {
  it("stays within 300..900 for any SIN", () => {
    for (const sin of ["000000000", "999999999", "046454286", "123456789"]) {
      for (const b of BUREAUS) {
        const s = bureauScore(b.id, sin);
        expect(s).toBeGreaterThanOrEqual(300);
        expect(s).toBeLessThanOrEqual(900);
      }
    }
  });
});
