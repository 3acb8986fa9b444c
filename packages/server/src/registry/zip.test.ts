import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { crc32 as nodeCrc32 } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { crc32, zip } from "./zip.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("zip", () => {
  it("writes an archive that unzip extracts byte for byte, with modes and UTF-8 names", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dormouse-zip-"));
    dirs.push(dir);
    const text = "export const handler = async () => 'héllo';\n".repeat(50);
    const random = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251);
    const entries = [
      { path: "src/app.mjs", bytes: new TextEncoder().encode(text) },
      { path: "bin/run.sh", bytes: new TextEncoder().encode("#!/bin/sh\necho hi\n"), executable: true },
      { path: "data/ünïcode.bin", bytes: random },
      { path: "empty.txt", bytes: new Uint8Array() },
    ];
    const file = path.join(dir, "code.zip");
    fs.writeFileSync(file, zip(entries));
    expect(execFileSync("unzip", ["-t", file], { encoding: "utf8" })).toContain("No errors detected");
    execFileSync("unzip", ["-q", file, "-d", path.join(dir, "out")]);
    for (const e of entries) {
      expect(new Uint8Array(fs.readFileSync(path.join(dir, "out", e.path)))).toStrictEqual(e.bytes);
    }
    expect(fs.statSync(path.join(dir, "out", "bin/run.sh")).mode & 0o777).toBe(0o755);
    expect(fs.statSync(path.join(dir, "out", "src/app.mjs")).mode & 0o777).toBe(0o644);
    // The same files give the same bytes (no timestamps), so the archive can be cached by hash.
    expect(zip(entries).equals(zip(entries))).toBe(true);
  });

  it("computes the CRC-32 zip uses", () => {
    const bytes = new TextEncoder().encode("The quick brown fox jumps over the lazy dog");
    expect(crc32(bytes)).toBe(0x414fa339);
    expect(crc32(bytes)).toBe(nodeCrc32(bytes));
  });
});
