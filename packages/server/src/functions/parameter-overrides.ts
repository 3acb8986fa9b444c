// `--parameter-overrides Key=Value …` as `sam local` and `sam deploy` take them: a value given for a
// template parameter replaces its Default. CloudFormation refuses a value the parameter's own
// constraints rule out and a name the template does not declare, and so does this.
import { isRecord } from "./records.js";
import type { JsonRecord } from "./records.js";
import { TemplateError, show } from "./template-error.js";

/** CloudFormation's rule for a parameter's logical id. */
export const PARAMETER_NAME = /^[A-Za-z0-9]{1,255}$/;

/**
 * Returns the Parameters section with each overridden parameter's Default replaced by the given
 * value (a new object; the input is not changed). `file` is named in errors.
 */
export function applyParameterOverrides(
  parameters: JsonRecord,
  overrides: Readonly<Record<string, string>>,
  file: string,
): JsonRecord {
  const out: JsonRecord = { ...parameters };
  for (const [name, value] of Object.entries(overrides)) {
    const declared = parameters[name];
    if (declared === undefined) {
      const known = Object.keys(parameters);
      throw new TemplateError(
        `has no parameter ${name} (given as a parameter override); ${
          known.length === 0 ? "the template declares no parameters" : `declared: ${known.join(", ")}`
        }`,
        { file, field: "Parameters" },
      );
    }
    const field = `Parameters.${name}`;
    if (!isRecord(declared)) {
      throw new TemplateError(`must be a map with a Type (got ${show(declared)})`, { file, field });
    }
    const problem = constraintViolation(declared, value);
    if (problem !== undefined) {
      throw new TemplateError(`does not allow the override ${show(value)}: ${problem}`, { file, field });
    }
    out[name] = { ...declared, Default: value };
  }
  return out;
}

/** Why `value` breaks the parameter's Type or constraints, or undefined when it is allowed. */
function constraintViolation(parameter: JsonRecord, value: string): string | undefined {
  const type = typeof parameter.Type === "string" ? parameter.Type : "String";
  const isList = type === "CommaDelimitedList" || type.startsWith("List<");
  const items = isList ? value.split(",").map((item) => item.trim()) : [value];
  const numeric = type === "Number" || type === "List<Number>";
  for (const item of items) {
    if (numeric && (item.trim() === "" || !Number.isFinite(Number(item)))) {
      return `${show(item)} is not a number (Type ${type})`;
    }
  }
  const allowed = parameter.AllowedValues;
  if (Array.isArray(allowed)) {
    const texts = allowed.map(String);
    const outside = items.find((item) => !texts.includes(item));
    if (outside !== undefined) return `${show(outside)} is not one of AllowedValues ${texts.join(", ")}`;
  }
  if (typeof parameter.AllowedPattern === "string") {
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^(?:${parameter.AllowedPattern})$`);
    } catch {
      return `its AllowedPattern ${show(parameter.AllowedPattern)} is not a valid regular expression`;
    }
    const mismatch = items.find((item) => !pattern.test(item));
    if (mismatch !== undefined)
      return `${show(mismatch)} does not match AllowedPattern ${parameter.AllowedPattern}`;
  }
  const min = numberOr(parameter.MinLength);
  const max = numberOr(parameter.MaxLength);
  if (min !== undefined && value.length < min) return `it is shorter than MinLength ${min}`;
  if (max !== undefined && value.length > max) return `it is longer than MaxLength ${max}`;
  if (numeric) {
    const low = numberOr(parameter.MinValue);
    const high = numberOr(parameter.MaxValue);
    for (const item of items.map(Number)) {
      if (low !== undefined && item < low) return `${item} is below MinValue ${low}`;
      if (high !== undefined && item > high) return `${item} is above MaxValue ${high}`;
    }
  }
  return undefined;
}

function numberOr(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}
