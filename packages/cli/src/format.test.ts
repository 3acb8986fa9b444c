import { describe, expect, it } from "vitest";
import {
  formatDuration,
  formatErrorObject,
  formatRecord,
  formatTable,
  formatTime,
  toJson,
  truncate,
} from "./format.js";

describe("formatTable", () => {
  it("aligns columns and leaves no trailing spaces", () => {
    const table = formatTable(
      ["NAME", "STATUS", "ARN"],
      [
        ["a", "RUNNING", "arn:1"],
        ["longer-name", undefined, "arn:2"],
      ],
    );
    expect(table).toBe(
      ["NAME         STATUS   ARN", "a            RUNNING  arn:1", "longer-name           arn:2"].join("\n"),
    );
  });

  it("counts an ellipsis as one column", () => {
    expect(formatTable(["A", "B"], [["x…", "y"]])).toBe("A   B\nx…  y");
  });
});

describe("formatRecord", () => {
  it("aligns values, skips undefined ones and indents continuation lines", () => {
    expect(
      formatRecord([
        ["name", "n1"],
        ["missing", undefined],
        ["result", '{\n  "a": 1\n}'],
      ]),
    ).toBe(["name:   n1", "result: {", '          "a": 1', "        }"].join("\n"));
  });
});

describe("formatTime", () => {
  const instant = new Date("2025-06-01T12:03:07.250Z");

  it("renders local time with its offset", () => {
    expect(formatTime(instant, 120)).toBe("2025-06-01T14:03:07.250+02:00");
    expect(formatTime(instant, -330)).toBe("2025-06-01T06:33:07.250-05:30");
    expect(formatTime(instant, 0)).toBe("2025-06-01T12:03:07.250Z");
  });

  it("is empty for a missing time", () => {
    expect(formatTime(undefined)).toBe("");
  });

  it("defaults to the machine's zone", () => {
    expect(new Date(formatTime(instant)).getTime()).toBe(instant.getTime());
  });
});

describe("formatDuration", () => {
  it.each([
    [850, "850ms"],
    [2500, "2.5s"],
    [200_000, "3m 20s"],
    [120_000, "2m"],
    [3_600_000, "1h"],
    [3_900_000, "1h 5m"],
    [7 * 86_400_000, "7d"],
  ])("%d ms → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("payloads and errors", () => {
  it("formats error objects", () => {
    expect(formatErrorObject({ ErrorType: "T", ErrorMessage: "m" })).toBe("T: m");
    expect(formatErrorObject({ ErrorMessage: "m" })).toBe("m");
    expect(formatErrorObject({})).toBe("(no details)");
    expect(formatErrorObject(undefined)).toBeUndefined();
  });

  it("truncates to one line", () => {
    expect(truncate("a\n  b", 10)).toBe("a b");
    expect(truncate("abcdefghij", 5)).toBe("abcd…");
  });

  it("drops the SDK's $metadata from --json output and keeps dates as ISO", () => {
    const json = toJson({ $metadata: { httpStatusCode: 200 }, StopTimestamp: new Date(0) });
    expect(JSON.parse(json)).toEqual({ StopTimestamp: "1970-01-01T00:00:00.000Z" });
  });
});
