// Loads the functions of a SAM/CloudFormation template the way `sam local` would see them.
import path from "node:path";
import type { HttpTrigger } from "@dormouse/api";
import type { FunctionDefinition } from "@dormouse/runtime";
import { LAMBDA_FUNCTION, SERVERLESS_FUNCTION, buildFunction } from "./function-resource.js";
import { functionName } from "./function-properties.js";
import { checkConflicts, httpTriggers } from "./http-triggers.js";
import { LAMBDA_URL, SERVED_ELSEWHERE, lambdaUrlTrigger } from "./lambda-url.js";
import { IntrinsicResolver, NO_VALUE } from "./intrinsics.js";
import { applyParameterOverrides } from "./parameter-overrides.js";
import { parseTemplate } from "./parse-template.js";
import type { JsonRecord } from "./records.js";
import { isRecord, mergeGlobals } from "./records.js";
import { TemplateError, show } from "./template-error.js";

export interface LoadedTemplate {
  functions: FunctionDefinition[];
  /** HttpApi/Api routes and function URLs of the functions, served by the gateway. */
  triggers: HttpTrigger[];
  /** Resources that are not functions (tables, queues, APIs …), left alone. */
  ignored: { logicalId: string; type: string }[];
  warnings: string[];
  /** Absolute path of the template. */
  file: string;
}

export interface LoadTemplateOptions {
  /** Values for template parameters, replacing their Default (`--parameter-overrides`). */
  parameterOverrides?: Readonly<Record<string, string>>;
}

const FUNCTION_TYPES: ReadonlySet<string> = new Set([SERVERLESS_FUNCTION, LAMBDA_FUNCTION]);

/** `file` is named as given in error messages (TemplateError). */
export async function loadTemplate(file: string, options: LoadTemplateOptions = {}): Promise<LoadedTemplate> {
  const absolute = path.resolve(file);
  const template = await parseTemplate(file, absolute);
  const parameters = applyParameterOverrides(template.parameters, options.parameterOverrides ?? {}, file);
  const warnings = [...template.warnings];

  const resources = new Map<string, { type: string; properties: JsonRecord; condition: unknown }>();
  for (const [logicalId, resource] of Object.entries(template.resources)) {
    const type = isRecord(resource) ? resource.Type : undefined;
    if (typeof type !== "string") {
      throw new TemplateError(`is missing or not a string (got ${show(type)})`, {
        file,
        resource: logicalId,
        field: "Type",
      });
    }
    const properties = (resource as JsonRecord).Properties ?? {};
    if (!isRecord(properties)) {
      throw new TemplateError(`must be a map (got ${show(properties)})`, {
        file,
        resource: logicalId,
        field: "Properties",
      });
    }
    resources.set(logicalId, { type, properties, condition: (resource as JsonRecord).Condition });
  }

  // Function names are resolved on demand because `!Ref OtherFunction` in one function's
  // properties needs the other's name, which may itself be `!Sub "${AWS::StackName}-x"`.
  const names = new Map<string, string>();
  const naming = new Set<string>();
  const nameOf = (logicalId: string): string => {
    const known = names.get(logicalId);
    if (known !== undefined) return known;
    const fail = (field: string, detail: string): never => {
      throw new TemplateError(detail, { file, resource: logicalId, field });
    };
    if (naming.has(logicalId)) fail("FunctionName", "refers to itself");
    naming.add(logicalId);
    const raw = resources.get(logicalId)!.properties.FunctionName;
    const value = resolver.resolve(raw, { resource: logicalId, field: "FunctionName" });
    const name = value === undefined || value === NO_VALUE ? logicalId : functionName(value, fail);
    naming.delete(logicalId);
    names.set(logicalId, name);
    return name;
  };
  const resolver = new IntrinsicResolver({
    file,
    parameters,
    mappings: template.mappings,
    conditions: template.conditions,
    resourceTypes: Object.fromEntries([...resources].map(([id, r]) => [id, r.type])),
    isFunction: (id) => FUNCTION_TYPES.has(resources.get(id)?.type ?? ""),
    functionName: nameOf,
    aliasName: (id): string | undefined => {
      const resource = resources.get(id);
      if (resource?.type !== SERVERLESS_FUNCTION) return undefined;
      const raw = resource.properties.AutoPublishAlias ?? template.globalFunction.AutoPublishAlias;
      const value: unknown = resolver.resolve(raw, { resource: id, field: "AutoPublishAlias" });
      return typeof value === "string" ? value : undefined;
    },
  });

  // Globals apply to Serverless functions only, as in SAM; FunctionName is never global.
  const { FunctionName: _notGlobal, ...globals } = template.globalFunction;
  const functions: FunctionDefinition[] = [];
  const triggers: HttpTrigger[] = [];
  const urls: string[] = [];
  const ignored: LoadedTemplate["ignored"] = [];
  const owners = new Map<string, string>();
  for (const [logicalId, resource] of resources) {
    const { type } = resource;
    if (type === LAMBDA_URL) {
      urls.push(logicalId);
      continue;
    }
    if (type !== SERVERLESS_FUNCTION && type !== LAMBDA_FUNCTION) {
      ignored.push({ logicalId, type });
      // APIs are served through their functions' events; saying they are ignored would mislead.
      if (!SERVED_ELSEWHERE.has(type))
        warnings.push(`Ignoring resource ${logicalId} (${type}): Dormouse runs functions only`);
      continue;
    }
    if (typeof resource.condition === "string") {
      if (!resolver.condition(resource.condition, { resource: logicalId, field: "Condition" })) {
        warnings.push(`Skipping resource ${logicalId}: its condition ${resource.condition} is false`);
        continue;
      }
    }
    const name = nameOf(logicalId);
    const owner = owners.get(name);
    if (owner !== undefined) {
      throw new TemplateError(`${show(name)} is already used by resource ${owner}`, {
        file,
        resource: logicalId,
        field: "FunctionName",
      });
    }
    owners.set(name, logicalId);
    const properties =
      type === SERVERLESS_FUNCTION
        ? (mergeGlobals(globals, resource.properties) as JsonRecord)
        : resource.properties;
    const def = buildFunction({
      file,
      templateDir: path.dirname(absolute),
      logicalId,
      type,
      properties,
      name,
      resolver,
    });
    functions.push(def);
    const http = httpTriggers(
      { file, logicalId, properties, resolver, serverless: type === SERVERLESS_FUNCTION },
      def,
    );
    triggers.push(...http.triggers);
    warnings.push(...http.warnings);
  }
  for (const logicalId of urls) {
    const resource = resources.get(logicalId)!;
    if (typeof resource.condition === "string") {
      if (!resolver.condition(resource.condition, { resource: logicalId, field: "Condition" })) continue;
    }
    const url = lambdaUrlTrigger({ file, logicalId, properties: resource.properties, resolver }, functions);
    triggers.push(url.trigger);
    warnings.push(...url.warnings);
  }
  checkConflicts(file, triggers);

  if (functions.length === 0) {
    const found = ignored.length === 0 ? "" : ` (found ${ignored.map((r) => r.type).join(", ")})`;
    throw new TemplateError(`has no ${SERVERLESS_FUNCTION} or ${LAMBDA_FUNCTION}${found}`, {
      file,
      field: "Resources",
    });
  }
  return { functions, triggers, ignored, warnings, file: absolute };
}
