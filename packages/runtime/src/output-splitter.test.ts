import { describe, expect, it } from "vitest";
import { OutputSplitter } from "./output-splitter.js";

function split(chunks: string[], marker = "<M>") {
  const out: string[] = [];
  const s = new OutputSplitter(
    marker,
    (l) => out.push(l),
    () => out.push("|"),
  );
  for (const c of chunks) s.push(c);
  s.end();
  return out;
}

describe("OutputSplitter", () => {
  it("splits lines across chunks and strips CR", () => {
    expect(split(["a\nb", "c\r\n", "d"])).toEqual(["a", "bc", "d"]);
  });

  it("reports the marker and flushes a partial line before it", () => {
    expect(split(["x\npartial<M>next\n"])).toEqual(["x", "partial", "|", "next"]);
    expect(split(["done\n<M>"])).toEqual(["done", "|"]);
  });

  it("finds a marker split across chunks", () => {
    expect(split(["a<", "M", ">b\n"])).toEqual(["a", "|", "b"]);
  });

  it("breaks up a runaway line without losing a marker that follows", () => {
    const long = "y".repeat(300 * 1024);
    const out = split([long, "<M>"]);
    expect(out.at(-1)).toBe("|");
    expect(out.slice(0, -1).join("")).toBe(long);
  });
});
