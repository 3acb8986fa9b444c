// Test helpers: real files in a fresh temp directory per test, removed afterwards.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect } from "vitest";
import { TemplateError } from "./template-error.js";

/** Call at the top of a test file; returns a function that writes `files` into a new directory. */
export function useTempProjects(): (files: Record<string, string>) => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return (files) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "dormouse-functions-"));
    dirs.push(dir);
    for (const [name, content] of Object.entries(files)) {
      const target = path.join(dir, name);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    return dir;
  };
}

export const HANDLER_SOURCE = "export const handler = async () => ({ ok: true });\n";

/** Asserts a TemplateError located at file/resource/field whose message says so and contains `parts`. */
export async function expectTemplateError(
  attempt: Promise<unknown> | (() => unknown),
  where: { file: string; resource?: string; field?: string },
  ...parts: string[]
): Promise<TemplateError> {
  let caught: unknown;
  try {
    await (typeof attempt === "function" ? attempt() : attempt);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(TemplateError);
  const error = caught as TemplateError;
  expect({ file: error.file, resource: error.resource, field: error.field }).toEqual({
    file: where.file,
    resource: where.resource,
    field: where.field,
  });
  const prefix = [
    `${where.file}: `,
    where.resource === undefined ? "" : `resource ${where.resource}: `,
    where.field ?? "",
  ].join("");
  expect(error.message.startsWith(prefix), `"${error.message}" should start with "${prefix}"`).toBe(true);
  for (const part of parts) expect(error.message).toContain(part);
  return error;
}
