// The command tree's exit codes for bad command lines; these fail before any request is made.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { MockInstance } from "vitest";
import { run } from "./program.js";

let stderr: MockInstance;
let stdout: MockInstance;
const errText = () => stderr.mock.calls.map((c) => String(c[0])).join("");

beforeEach(() => {
  stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    process.stderr.write(`${args.join(" ")}\n`);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const dormouse = (...args: string[]) => run(["node", "dormouse", ...args]);

describe("run", () => {
  it("exits 0 for --help and --version", async () => {
    expect(await dormouse("--help")).toBe(0);
    expect(await dormouse("--version")).toBe(0);
    expect(stdout.mock.calls.map((c) => String(c[0])).join("")).toMatch(/Usage: dormouse/);
  });

  it("exits 2 for unknown options and missing arguments", async () => {
    expect(await dormouse("invoke", "greeter", "--bogus")).toBe(2);
    expect(errText()).toContain("unknown option '--bogus'");
    expect(await dormouse("executions", "get")).toBe(2);
    expect(errText()).toContain("missing required argument 'arn'");
    expect(await dormouse("nonsense")).toBe(2);
  });

  it("exits 2 naming the flag for a bad JSON payload", async () => {
    expect(await dormouse("invoke", "greeter", "--payload", "{not json")).toBe(2);
    expect(errText()).toMatch(/^error: --payload: not valid JSON/m);
  });

  it("exits 2 for bad values of typed flags", async () => {
    expect(await dormouse("executions", "list", "f", "--status", "DONE")).toBe(2);
    expect(await dormouse("executions", "history", "arn", "--limit", "-3")).toBe(2);
    expect(await dormouse("dev", "--port", "99999")).toBe(2);
    expect(errText()).toContain("error: --port: expected an integer from 0 to 65535, got '99999'");
    expect(await dormouse("callback", "succeed", "id", "--result", "@/definitely/missing.json")).toBe(2);
    expect(await dormouse("invoke", "greeter", "--endpoint", "nope")).toBe(2);
  });

  it("exits 2 for a malformed --parameter-overrides pair, for dev, start and deploy", async () => {
    expect(await dormouse("dev", "--parameter-overrides", "Stage=prod", "Timeout")).toBe(2);
    expect(errText()).toContain(
      "error: --parameter-overrides: expected Key=Value (or ParameterKey=K,ParameterValue=V), got 'Timeout'",
    );
    expect(await dormouse("start", "--parameter-overrides", "bad-name=1")).toBe(2);
    expect(await dormouse("deploy", "--parameter-overrides", "A=1 A=2")).toBe(2);
    expect(errText()).toContain("error: --parameter-overrides: A is given twice ('1' and '2')");
  });
});
