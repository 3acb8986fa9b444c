import { describe, expect, it } from "vitest";
import { FaultPoints, parseFaultPoint } from "./fault-points.js";
import type { FaultPointName } from "./fault-points.js";

describe("parseFaultPoint", () => {
  it("reads a name, optionally with the pass to fire on", () => {
    expect(parseFaultPoint("timer:after-fire-commit")).toEqual({ name: "timer:after-fire-commit", hit: 1 });
    expect(parseFaultPoint(" checkpoint:after-commit-before-reply@3 ")).toEqual({
      name: "checkpoint:after-commit-before-reply",
      hit: 3,
    });
  });

  it("names what is wrong", () => {
    expect(() => parseFaultPoint("checkpoint:before-commit")).toThrow(
      /unknown fault point "checkpoint:before-commit"; expected one of checkpoint:after-commit-before-reply,/,
    );
    expect(() => parseFaultPoint("timer:after-fire-commit@0")).toThrow(/must be 1 or more/);
    expect(() => parseFaultPoint("timer:after-fire-commit@x")).toThrow(/unknown fault point/);
  });
});

describe("FaultPoints", () => {
  it("crashes on the armed pass of an armed point only", () => {
    const crashed: FaultPointName[] = [];
    const points = new FaultPoints(
      [
        { name: "checkpoint:after-commit-before-reply", hit: 3 },
        { name: "timer:after-fire-commit", hit: 1 },
      ],
      (name) => crashed.push(name),
    );
    points.reached("invocation:after-begin-before-invoke");
    points.reached("checkpoint:after-commit-before-reply");
    points.reached("checkpoint:after-commit-before-reply");
    expect(crashed).toEqual([]);
    points.reached("checkpoint:after-commit-before-reply");
    expect(crashed).toEqual(["checkpoint:after-commit-before-reply"]);
    points.reached("checkpoint:after-commit-before-reply");
    points.reached("timer:after-fire-commit");
    expect(crashed).toEqual(["checkpoint:after-commit-before-reply", "timer:after-fire-commit"]);
    expect(points.armed).toEqual([]);
  });

  it("is inert when nothing is armed", () => {
    const points = new FaultPoints([], () => {
      throw new Error("must not crash");
    });
    for (const name of ["checkpoint:after-commit-before-reply", "timer:after-fire-commit"] as const) {
      points.reached(name);
    }
    expect(points.armed).toEqual([]);
  });
});
