import { describe, expect, it } from "vitest";
import {
  APPLICATION_ID,
  checkApplicationInput,
  newApplicationId,
  validateApplication,
} from "./application.js";

describe("checkApplicationInput", () => {
  it("accepts a form and normalises the name and the SIN", () => {
    expect(
      checkApplicationInput({ applicantName: "  Alice   Johnson ", sin: "123-451 111", amount: 150_000 }),
    ).toEqual({
      ok: true,
      value: { applicantName: "Alice Johnson", sin: "123451111", amount: 150_000 },
    });
  });

  it("names every problem at once", () => {
    expect(checkApplicationInput({ applicantName: "A", sin: "12", amount: 999.5 })).toEqual({
      ok: false,
      problems: [
        "applicantName must be 2 to 80 characters",
        "sin must be nine digits (e.g. 046-454-286)",
        "amount must be whole dollars",
      ],
    });
    expect(checkApplicationInput({ applicantName: 7, sin: 123456789, amount: "5" })).toEqual({
      ok: false,
      problems: ["applicantName must be a string", "sin must be a string", "amount must be a number"],
    });
    expect(checkApplicationInput([])).toMatchObject({ ok: false });
  });

  it("keeps amounts between $1,000 and $1,000,000", () => {
    const at = (amount: number) =>
      checkApplicationInput({ applicantName: "Bo", sin: "123456789", amount }).ok;
    expect([at(999), at(1_000), at(1_000_000), at(1_000_001)]).toEqual([false, true, true, false]);
  });
});

describe("validateApplication", () => {
  it("also requires the application id the API gave", () => {
    const input = { applicantName: "Bob Martinez", sin: "123452222", amount: 50_000 };
    expect(validateApplication({ ...input, applicationId: "LA-ABCDEFGH" })).toEqual({
      ok: true,
      value: { ...input, applicationId: "LA-ABCDEFGH" },
    });
    expect(validateApplication(input)).toEqual({
      ok: false,
      problems: ["applicationId must look like LA-XXXXXXXX"],
    });
    expect(validateApplication(undefined)).toMatchObject({ ok: false });
  });
});

describe("newApplicationId", () => {
  it("draws eight unambiguous characters", () => {
    const id = newApplicationId((n) => Uint8Array.from({ length: n }, (_, i) => i * 37));
    expect(id).toMatch(APPLICATION_ID);
    expect(newApplicationId((n) => new Uint8Array(n).fill(255))).toBe("LA-99999999");
  });
});
