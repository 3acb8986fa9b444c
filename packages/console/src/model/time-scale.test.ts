import { describe, expect, it } from "vitest";
import { formatOffset } from "../format";
import { linearScale, niceStep, squeezedScale, worthSqueezing } from "./time-scale";

describe("time scales", () => {
  it("maps linearly and puts ticks at round steps", () => {
    const s = linearScale(1000, 3000, 400, formatOffset);
    expect(s.x(1000)).toBe(0);
    expect(s.x(2000)).toBe(200);
    expect(s.x(3000)).toBe(400);
    expect(s.ticks.map((t) => t.label)).toEqual(["0", "+500ms", "+1s", "+1.5s", "+2s"]);
  });

  it("picks steps people read easily", () => {
    expect(niceStep(60_000, 6)).toBe(10_000);
    expect(niceStep(3 * 86_400_000, 4)).toBe(86_400_000);
  });

  it("squeezes a three-day sleep to a break so that 40 ms steps stay visible", () => {
    const day = 86_400_000;
    const gaps = [{ start: 100, end: 3 * day }];
    expect(worthSqueezing(0, 3 * day + 100, gaps)).toBe(true);
    const s = squeezedScale(0, 3 * day + 100, 1000, gaps, formatOffset);
    expect(s.breaks).toHaveLength(1);
    const b = s.breaks[0]!;
    expect(b.x1 - b.x0).toBeLessThanOrEqual(28);
    // The 100 ms before and after the sleep share the rest of the width.
    expect(s.x(100)).toBeGreaterThan(400);
    expect(s.x(3 * day + 100)).toBeCloseTo(1000, 5);
    expect(s.x(50)).toBeCloseTo(s.x(100) / 2, 5);
    expect(s.ticks[0]!.label).toBe("0");
  });

  it("leaves short executions alone", () => {
    expect(worthSqueezing(0, 1500, [{ start: 100, end: 1400 }])).toBe(false);
  });
});
