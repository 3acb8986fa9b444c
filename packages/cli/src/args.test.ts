import { describe, expect, it } from "vitest";
import {
  UsageError,
  errorObjectFromFlags,
  parseExecutionName,
  parseIntegerArg,
  parseJsonArg,
  parseParameterOverrides,
  parseSecondsArg,
  parseStatusArg,
  resolveDatabaseUrl,
  resolveEndpoint,
  resolveFunctionSource,
} from "./args.js";

const files: Record<string, string> = { "event.json": '{"name":"Ada"}\n', "bad.json": "{name: Ada}" };
const read = (file: string) => {
  const text = files[file];
  if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${file}'`);
  return text;
};

describe("parseJsonArg", () => {
  it("returns inline JSON exactly as given", () => {
    expect(parseJsonArg("--payload", '{ "a": 1 }', read)).toBe('{ "a": 1 }');
    expect(parseJsonArg("--payload", '"just a string"', read)).toBe('"just a string"');
  });

  it("reads @file and keeps its bytes", () => {
    expect(parseJsonArg("--payload", "@event.json", read)).toBe('{"name":"Ada"}\n');
  });

  it("names the flag and the problem for bad JSON", () => {
    expect(() => parseJsonArg("--payload", "{name: Ada}", read)).toThrow(UsageError);
    expect(() => parseJsonArg("--payload", "{name: Ada}", read)).toThrow(/^--payload: not valid JSON: /);
    expect(() => parseJsonArg("--result", "@bad.json", read)).toThrow(
      /^--result: not valid JSON \(from bad.json\)/,
    );
    expect(() => parseJsonArg("--payload", "", read)).toThrow(/^--payload: not valid JSON/);
  });

  it("names the flag when the file cannot be read", () => {
    expect(() => parseJsonArg("--payload", "@missing.json", read)).toThrow(
      /^--payload: cannot read missing.json: ENOENT/,
    );
    expect(() => parseJsonArg("--payload", "@", read)).toThrow("--payload: expected a file name after @");
  });
});

describe("parseSecondsArg", () => {
  it("takes whole and decimal seconds within the range", () => {
    expect(parseSecondsArg("--lease-ttl", "10", 1, 3600)).toBe(10);
    expect(parseSecondsArg("--lease-ttl", " 2.5 ", 1, 3600)).toBe(2.5);
  });

  it("names the flag, the range and the value otherwise", () => {
    for (const bad of ["0.5", "3601", "-2", "ten", "", "1e3", "2s"]) {
      expect(() => parseSecondsArg("--lease-ttl", bad, 1, 3600)).toThrow(
        `--lease-ttl: expected a number of seconds from 1 to 3600, got '${bad}'`,
      );
    }
  });
});

describe("parseIntegerArg", () => {
  it("accepts integers in range", () => {
    expect(parseIntegerArg("--port", "0", 0, 65535)).toBe(0);
    expect(parseIntegerArg("--port", "9014", 0, 65535)).toBe(9014);
  });

  it.each(["abc", "-1", "1.5", "65536", "", "1e3"])("rejects %j naming the flag", (value) => {
    expect(() => parseIntegerArg("--port", value, 0, 65535)).toThrow(
      /^--port: expected an integer from 0 to 65535/,
    );
  });
});

describe("parseStatusArg", () => {
  it("accumulates, upper-cases and splits on commas", () => {
    expect(parseStatusArg("running")).toEqual(["RUNNING"]);
    expect(parseStatusArg("failed,timed_out", ["RUNNING"])).toEqual(["RUNNING", "FAILED", "TIMED_OUT"]);
  });

  it("lists the valid statuses when one is wrong", () => {
    expect(() => parseStatusArg("DONE")).toThrow(
      "--status: 'DONE' is not one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED",
    );
  });
});

describe("parseExecutionName", () => {
  it("applies the API's name rule", () => {
    expect(parseExecutionName("order-42_a")).toBe("order-42_a");
    expect(() => parseExecutionName("with space")).toThrow(/^--name: /);
    expect(() => parseExecutionName("x".repeat(65))).toThrow(/^--name: /);
  });
});

describe("resolveEndpoint", () => {
  it("prefers the flag, then DORMOUSE_ENDPOINT, then the default", () => {
    const env = { DORMOUSE_ENDPOINT: "http://env:1" };
    expect(resolveEndpoint("http://flag:2/", env)).toBe("http://flag:2");
    expect(resolveEndpoint(undefined, env)).toBe("http://env:1");
    expect(resolveEndpoint(undefined, {})).toBe("http://127.0.0.1:9014");
  });

  it("says which setting is wrong", () => {
    expect(() => resolveEndpoint("not a url", {})).toThrow("--endpoint: not a URL: 'not a url'");
    expect(() => resolveEndpoint(undefined, { DORMOUSE_ENDPOINT: "ftp://x" })).toThrow(
      /^DORMOUSE_ENDPOINT: /,
    );
  });
});

describe("resolveFunctionSource", () => {
  it("defaults to ./template.yaml and honours --template", () => {
    expect(resolveFunctionSource(undefined, undefined)).toEqual({ template: "template.yaml" });
    expect(resolveFunctionSource(undefined, "app/t.yml")).toEqual({ template: "app/t.yml" });
  });

  it("treats a source file as a single handler and a YAML file as a template", () => {
    for (const file of ["h.ts", "h.js", "h.mjs", "h.cjs", "h.mts", "h.cts"]) {
      expect(resolveFunctionSource(file, undefined)).toEqual({ handlerFile: file });
    }
    expect(resolveFunctionSource("sam.yaml", undefined)).toEqual({ template: "sam.yaml" });
  });

  it("rejects other files and ambiguous combinations", () => {
    expect(() => resolveFunctionSource("notes.txt", undefined)).toThrow(/neither a handler file/);
    expect(() => resolveFunctionSource("h.ts", "t.yaml")).toThrow(/not both/);
  });
});

describe("errorObjectFromFlags", () => {
  it("maps only the flags given", () => {
    expect(errorObjectFromFlags({})).toBeUndefined();
    expect(errorObjectFromFlags({ errorType: "Rejected", errorData: "{}" })).toEqual({
      ErrorType: "Rejected",
      ErrorData: "{}",
    });
  });
});

describe("parseParameterOverrides", () => {
  it("reads Key=Value pairs, several per argument and across arguments", () => {
    const first = parseParameterOverrides("Stage=prod Timeout=5");
    expect(first).toEqual({ Stage: "prod", Timeout: "5" });
    expect(parseParameterOverrides("Url=http://x/?a=b", first)).toEqual({
      Stage: "prod",
      Timeout: "5",
      Url: "http://x/?a=b",
    });
  });

  it("keeps quoted spaces and empty values, and reads CloudFormation's long form", () => {
    expect(parseParameterOverrides(`Greeting="hello world" Empty= Other='a b'`)).toEqual({
      Greeting: "hello world",
      Empty: "",
      Other: "a b",
    });
    expect(parseParameterOverrides("ParameterKey=Stage,ParameterValue=prod,eu")).toEqual({
      Stage: "prod,eu",
    });
  });

  it("names the flag and the malformed pair", () => {
    expect(() => parseParameterOverrides("Stage")).toThrow(UsageError);
    expect(() => parseParameterOverrides("Stage")).toThrow(
      "--parameter-overrides: expected Key=Value (or ParameterKey=K,ParameterValue=V), got 'Stage'",
    );
    expect(() => parseParameterOverrides("=prod")).toThrow(/got '=prod'/);
    expect(() => parseParameterOverrides("my-stage=prod")).toThrow(
      "--parameter-overrides: 'my-stage' is not a parameter name (letters and digits only)",
    );
    expect(() => parseParameterOverrides(`Greeting="hello`)).toThrow(/unclosed " in/);
    expect(() => parseParameterOverrides("  ")).toThrow(/got an empty argument/);
  });

  it("refuses one name with two different values", () => {
    expect(parseParameterOverrides("Stage=prod", { Stage: "prod" })).toEqual({ Stage: "prod" });
    expect(() => parseParameterOverrides("Stage=dev", { Stage: "prod" })).toThrow(
      "--parameter-overrides: Stage is given twice ('prod' and 'dev')",
    );
  });
});

describe("resolveDatabaseUrl", () => {
  const env = { DORMOUSE_DATABASE_URL: " postgres://env@db:5432/dormouse " };

  it("prefers --database, then DORMOUSE_DATABASE_URL; neither means SQLite", () => {
    expect(resolveDatabaseUrl("postgresql://flag@db/x", env)).toBe("postgresql://flag@db/x");
    expect(resolveDatabaseUrl(undefined, env)).toBe("postgres://env@db:5432/dormouse");
    expect(resolveDatabaseUrl(undefined, {})).toBeUndefined();
    expect(resolveDatabaseUrl(undefined, { DORMOUSE_DATABASE_URL: "  " })).toBeUndefined();
  });

  it("names the setting that is not a PostgreSQL URL, without echoing it", () => {
    expect(() => resolveDatabaseUrl("mysql://root:hunter2@db/x", {})).toThrow(UsageError);
    expect(() => resolveDatabaseUrl("mysql://root:hunter2@db/x", {})).toThrow(
      /^--database: expected a PostgreSQL URL/,
    );
    expect(() => resolveDatabaseUrl("mysql://root:hunter2@db/x", {})).not.toThrow(/hunter2/);
    expect(() => resolveDatabaseUrl(undefined, { DORMOUSE_DATABASE_URL: "db.sqlite" })).toThrow(
      /^DORMOUSE_DATABASE_URL: expected a PostgreSQL URL/,
    );
  });
});
