import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config.js";

const base = { mode: "dev" as const, port: 0, host: "127.0.0.1", dataDir: ".dormouse" };

describe("parseConfig: faultPoints", () => {
  it("arms nothing by default", () => {
    expect(parseConfig(base, "/srv").faultPoints).toEqual([]);
  });

  it("parses each point once into the frozen config", () => {
    const config = parseConfig(
      { ...base, faultPoints: ["timer:after-fire-commit", "checkpoint:after-commit-before-reply@2"] },
      "/srv",
    );
    expect(config.faultPoints).toEqual([
      { name: "timer:after-fire-commit", hit: 1 },
      { name: "checkpoint:after-commit-before-reply", hit: 2 },
    ]);
    expect(Object.isFrozen(config.faultPoints)).toBe(true);
  });

  it("rejects an unknown point with a ConfigError naming the field", () => {
    const parse = () => parseConfig({ ...base, faultPoints: ["store:before-commit"] }, "/srv");
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/^faultPoints: unknown fault point "store:before-commit"/);
  });
});
