import { describe, expect, it } from "vitest";
import {
  checkJson,
  formatDuration,
  formatOffset,
  formatRelative,
  middleEllipsis,
  parsePayload,
} from "./format";

describe("format", () => {
  it("formats durations from milliseconds to days", () => {
    expect(formatDuration(0)).toBe("0 ms");
    expect(formatDuration(840)).toBe("840 ms");
    expect(formatDuration(1250)).toBe("1.25 s");
    expect(formatDuration(12_400)).toBe("12.4 s");
    expect(formatDuration(192_000)).toBe("3 m 12 s");
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe("2 h 5 m");
    expect(formatDuration(3 * 86_400_000)).toBe("3 d");
  });

  it("labels axis offsets compactly", () => {
    expect(formatOffset(0)).toBe("0");
    expect(formatOffset(250)).toBe("+250ms");
    expect(formatOffset(90_000)).toBe("+1.5m");
  });

  it("says how long ago", () => {
    expect(formatRelative(1000, 3000)).toBe("just now");
    expect(formatRelative(0, 125_000)).toBe("2 m ago");
    expect(formatRelative(60_000, 0)).toBe("in 1 m");
  });

  it("tells JSON from text and says where JSON goes wrong", () => {
    expect(parsePayload(undefined)).toEqual({ kind: "empty" });
    expect(parsePayload('{"a":1}')).toEqual({ kind: "json", value: { a: 1 } });
    expect(parsePayload("approved")).toEqual({ kind: "text", text: "approved" });
    expect(checkJson('{"a": 1}')).toBeUndefined();
    const problem = checkJson('{\n  "a": 1,\n}');
    expect(problem?.message).toMatch(/\S/);
  });

  it("shortens the middle of long ids", () => {
    const s = middleEllipsis("abcdefghijklmnopqrstuvwxyz", 11);
    expect(s).toHaveLength(11);
    expect(s).toMatch(/^abcd.*….*wxyz$/);
  });
});
