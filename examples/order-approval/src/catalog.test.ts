import { describe, expect, it } from "vitest";
import { PRODUCTS, orderProblem, sampleOrder, totalCents } from "./catalog.js";

describe("catalog", () => {
  it("prices an order from the shop's prices", () => {
    expect(
      totalCents([
        { sku: "MUG-01", quantity: 2 },
        { sku: "BAG-03", quantity: 1 },
      ]),
    ).toBe(2 * 1200 + 3900);
  });

  it.each([
    [[], "non-empty list"],
    ["MUG-01", "non-empty list"],
    [[null], "each item must be"],
    [[{ sku: "NOPE", quantity: 1 }], 'unknown sku "NOPE"; the shop sells MUG-01, TEE-02, BAG-03, CAP-04'],
    [[{ sku: "MUG-01", quantity: 0 }], "quantity of MUG-01 must be a whole number from 1 to 99"],
    [[{ sku: "MUG-01", quantity: 1.5 }], "whole number"],
    [[{ sku: "MUG-01" }], "whole number"],
  ])("says what is wrong with %j", (lines, message) => {
    expect(orderProblem(lines)).toContain(message);
  });

  it("makes sample baskets the shop accepts", () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let i = 0; i < 50; i++) {
      const basket = sampleOrder(random);
      expect(orderProblem(basket)).toBeUndefined();
      expect(new Set(basket.map((l) => l.sku)).size).toBe(basket.length);
      expect(basket.length).toBeLessThanOrEqual(PRODUCTS.length);
    }
  });
});
