import { basename } from "node:path";

export async function handler(): Promise<{ file: string; hasRequire: boolean }> {
  return { file: basename(__filename), hasRequire: typeof require === "function" };
}
