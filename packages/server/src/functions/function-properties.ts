// Checks for the function properties Dormouse reads, after intrinsics are resolved.
// Ranges are Lambda's own, so a template that loads here also deploys.
import type { FunctionDefinition } from "@dormouse/runtime";
import { SUPPORTED_RUNTIMES } from "./handler-file.js";
import { isRecord } from "./records.js";
import { show } from "./template-error.js";

/** Throws a TemplateError for `field` of the resource being read. */
export type Fail = (field: string, detail: string) => never;

export const LIMITS = {
  timeoutSeconds: { min: 1, max: 900, default: 3 },
  memoryMb: { min: 128, max: 10_240, default: 128 },
  executionTimeoutSeconds: { min: 1, max: 31_622_400 },
  retentionDays: { min: 1, max: 90, default: 14 },
} as const;

const FUNCTION_NAME = /^[a-zA-Z0-9-_]{1,64}$/;
const ALIAS_NAME = /^(?!\d+$)[a-zA-Z0-9-_]{1,128}$/;
const VARIABLE_NAME = /^[a-zA-Z][a-zA-Z0-9_]*$/;

/** CloudFormation accepts numbers written as strings (`"30"`), so do we. */
export function integerIn(
  value: unknown,
  range: { min: number; max: number },
  field: string,
  fail: Fail,
): number {
  const number = typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number) || number < range.min || number > range.max) {
    fail(field, `must be an integer between ${range.min} and ${range.max} (got ${show(value)})`);
  }
  return number;
}

export function functionName(value: unknown, fail: Fail): string {
  if (typeof value !== "string" || !FUNCTION_NAME.test(value)) {
    fail("FunctionName", `must be 1 to 64 letters, digits, - or _ (got ${show(value)})`);
  }
  return value;
}

export function runtime(value: unknown, name: string, fail: Fail, hint: string): string {
  if (value === undefined) fail("Runtime", `is missing${hint}`);
  if (typeof value !== "string") fail("Runtime", `must be a string (got ${show(value)})`);
  if (!(SUPPORTED_RUNTIMES as readonly string[]).includes(value)) {
    fail(
      "Runtime",
      `${value} of function ${name} is not supported; Dormouse runs ${SUPPORTED_RUNTIMES.join(", ")}`,
    );
  }
  return value;
}

export function environment(value: unknown, fail: Fail): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) fail("Environment", `must be a map with Variables (got ${show(value)})`);
  const variables = value.Variables;
  if (variables === undefined) return {};
  if (!isRecord(variables)) {
    fail("Environment.Variables", `must be a map of names to values (got ${show(variables)})`);
  }
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(variables)) {
    if (!VARIABLE_NAME.test(key)) {
      fail("Environment.Variables", `has the invalid name ${show(key)}; use letters, digits and _`);
    }
    if (typeof item !== "string" && typeof item !== "number" && typeof item !== "boolean") {
      fail(`Environment.Variables.${key}`, `must be a string, number or boolean (got ${show(item)})`);
    }
    out[key] = String(item);
  }
  return out;
}

export function durableConfig(value: unknown, fail: Fail): FunctionDefinition["durable"] {
  if (value === undefined) return undefined;
  if (!isRecord(value)) fail("DurableConfig", `must be a map (got ${show(value)})`);
  if (value.ExecutionTimeout === undefined) {
    fail("DurableConfig.ExecutionTimeout", "is required when DurableConfig is present");
  }
  const retention = value.RetentionPeriodInDays ?? LIMITS.retentionDays.default;
  return {
    executionTimeoutSeconds: integerIn(
      value.ExecutionTimeout,
      LIMITS.executionTimeoutSeconds,
      "DurableConfig.ExecutionTimeout",
      fail,
    ),
    retentionDays: integerIn(retention, LIMITS.retentionDays, "DurableConfig.RetentionPeriodInDays", fail),
  };
}

/** Lambda alias names: letters, digits, - and _, not all digits (that would be a version). */
export function aliasName(value: unknown, fail: Fail): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !ALIAS_NAME.test(value)) {
    fail(
      "AutoPublishAlias",
      `must be 1 to 128 letters, digits, - or _, and not only digits (got ${show(value)})`,
    );
  }
  return value;
}
