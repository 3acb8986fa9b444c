// Reads a SAM/CloudFormation template (YAML or JSON; JSON is YAML) into plain values with
// intrinsics in their long form, and checks the top-level shape.
import { readFile } from "node:fs/promises";
import { parseDocument } from "yaml";
import type { YAMLError } from "yaml";
import { cfnYamlTags } from "./cfn-yaml-tags.js";
import { isRecord } from "./records.js";
import type { JsonRecord } from "./records.js";
import { TemplateError, show } from "./template-error.js";

export interface ParsedTemplate {
  parameters: JsonRecord;
  mappings: JsonRecord;
  conditions: JsonRecord;
  /** `Globals.Function`, or `{}`. */
  globalFunction: JsonRecord;
  resources: JsonRecord;
  warnings: string[];
}

/** `file` is used as given in messages; `absolute` is what is read. */
export async function parseTemplate(file: string, absolute: string): Promise<ParsedTemplate> {
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const detail =
      code === "ENOENT" ? `template not found (${absolute})` : `cannot be read: ${String(error)}`;
    throw new TemplateError(detail, { file });
  }

  const doc = parseDocument(text, { customTags: cfnYamlTags, prettyErrors: true });
  const [syntax] = doc.errors;
  if (syntax !== undefined) throw new TemplateError(`is not valid YAML${describe(syntax)}`, { file });
  const warnings = doc.warnings.map((warning) => `${file}${describe(warning)}`);

  let root: unknown;
  try {
    root = doc.toJS();
  } catch (error) {
    // e.g. too many alias expansions (a "billion laughs" document)
    throw new TemplateError(`cannot be read: ${String(error)}`, { file });
  }
  if (!isRecord(root)) throw new TemplateError(`must be a map with Resources (got ${show(root)})`, { file });
  const section = (name: string): JsonRecord => {
    const value = root[name] ?? {};
    if (!isRecord(value))
      throw new TemplateError(`must be a map (got ${show(value)})`, { file, field: name });
    return value;
  };

  const resources = section("Resources");
  if (Object.keys(resources).length === 0) {
    throw new TemplateError("has no resources; declare functions under Resources", {
      file,
      field: "Resources",
    });
  }
  const globalFunction = section("Globals").Function ?? {};
  if (!isRecord(globalFunction)) {
    throw new TemplateError(`must be a map (got ${show(globalFunction)})`, {
      file,
      field: "Globals.Function",
    });
  }
  return {
    parameters: section("Parameters"),
    mappings: section("Mappings"),
    conditions: section("Conditions"),
    globalFunction,
    resources,
    warnings,
  };
}

/** ` at line 3, column 7: <what>`; yaml's own message also carries a source excerpt we drop. */
function describe(problem: YAMLError): string {
  const what = problem.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  const position = problem.linePos?.[0];
  return position === undefined ? `: ${what}` : ` at line ${position.line}, column ${position.col}: ${what}`;
}
