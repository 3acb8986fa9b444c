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

describe("parseConfig: parameterOverrides", () => {
  it("keeps the overrides frozen, none by default", () => {
    expect(parseConfig(base, "/srv").parameterOverrides).toEqual({});
    const config = parseConfig({ ...base, parameterOverrides: { Stage: "prod", Timeout: "5" } }, "/srv");
    expect(config.parameterOverrides).toEqual({ Stage: "prod", Timeout: "5" });
    expect(Object.isFrozen(config.parameterOverrides)).toBe(true);
  });

  it("rejects a name CloudFormation would not accept", () => {
    const parse = () => parseConfig({ ...base, parameterOverrides: { "my-stage": "prod" } }, "/srv");
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/^parameterOverrides: "my-stage" is not a parameter name/);
  });

  it("rejects overrides for a handler file, which has no parameters", () => {
    const parse = () =>
      parseConfig({ ...base, handlerFile: "app.ts", parameterOverrides: { Stage: "prod" } }, "/srv");
    expect(parse).toThrow(/^parameterOverrides: a handler file has no parameters; use a template/);
  });
});

describe("parseConfig: database", () => {
  it("uses the SQLite file under the data directory by default", () => {
    expect(parseConfig(base, "/srv").database).toEqual({
      kind: "sqlite",
      file: "/srv/.dormouse/dormouse.db",
    });
  });

  it("takes a postgres:// or postgresql:// URL and keeps a copy without the password for display", () => {
    const config = parseConfig({ ...base, database: " postgres://dormouse:s3cret@db:5432/prod " }, "/srv");
    expect(config.database).toEqual({
      kind: "postgres",
      url: "postgres://dormouse:s3cret@db:5432/prod",
      display: "postgres://dormouse:***@db:5432/prod",
    });
    expect(Object.isFrozen(config.database)).toBe(true);
    expect(parseConfig({ ...base, database: "postgresql:///dormouse" }, "/srv").database.kind).toBe(
      "postgres",
    );
  });

  it("rejects any other URL with a ConfigError that does not echo it", () => {
    const parse = (database: string) => () => parseConfig({ ...base, database }, "/srv");
    expect(parse("mysql://root:hunter2@db/x")).toThrow(ConfigError);
    expect(parse("mysql://root:hunter2@db/x")).toThrow(
      /^database: must be a PostgreSQL URL, .* \(got a mysql: URL\)/,
    );
    expect(parse("mysql://root:hunter2@db/x")).not.toThrow(/hunter2/);
    expect(parse("./data.db")).toThrow(/got something that is not a URL/);
    expect(parse("")).toThrow(/got an empty string/);
  });
});

describe("parseConfig: leaseTtlSeconds", () => {
  it("is 10 s by default and kept in ms", () => {
    expect(parseConfig(base, "/srv").leaseTtlMs).toBe(10_000);
    expect(parseConfig({ ...base, leaseTtlSeconds: 2.5 }, "/srv").leaseTtlMs).toBe(2_500);
  });

  it("rejects what is not a number of seconds from 1 to 3600, naming the field", () => {
    for (const bad of [0, 0.5, -3, 3601, Number.NaN, Infinity, "5" as unknown as number]) {
      const parse = () => parseConfig({ ...base, leaseTtlSeconds: bad }, "/srv");
      expect(parse).toThrow(ConfigError);
      expect(parse).toThrow(/^leaseTtlSeconds: must be a number of seconds from 1 to 3600/);
    }
  });
});
