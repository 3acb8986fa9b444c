// One `AWS::Serverless::Function` or `AWS::Lambda::Function` resource → a FunctionDefinition.
import path from "node:path";
import type { FunctionDefinition } from "@dormouse/runtime";
import * as check from "./function-properties.js";
import type { Fail } from "./function-properties.js";
import { findHandlerFile, isDirectory, parseHandler } from "./handler-file.js";
import { NO_VALUE } from "./intrinsics.js";
import type { IntrinsicResolver } from "./intrinsics.js";
import type { JsonRecord } from "./records.js";
import { isRecord } from "./records.js";
import { TemplateError, show } from "./template-error.js";

export const SERVERLESS_FUNCTION = "AWS::Serverless::Function";
export const LAMBDA_FUNCTION = "AWS::Lambda::Function";

export interface FunctionResource {
  /** The template file as the caller named it, for messages. */
  file: string;
  templateDir: string;
  logicalId: string;
  type: typeof SERVERLESS_FUNCTION | typeof LAMBDA_FUNCTION;
  /** Properties with Globals already merged in (Serverless functions only). */
  properties: JsonRecord;
  /** The resolved FunctionName (or the logical id). */
  name: string;
  resolver: IntrinsicResolver;
}

export function buildFunction(resource: FunctionResource): FunctionDefinition {
  const { file, logicalId, properties, resolver } = resource;
  const fail: Fail = (field, detail) => {
    throw new TemplateError(detail, { file, resource: logicalId, field });
  };
  // Only the properties read here are resolved: Events, Policies and the like may reference
  // resources Dormouse cannot know (tables, queues) and are none of its business.
  const get = (field: string): unknown => {
    const value = resolver.resolve(properties[field], { resource: logicalId, field });
    return value === NO_VALUE ? undefined : value;
  };
  const serverless = resource.type === SERVERLESS_FUNCTION;

  if (get("PackageType") === "Image") {
    fail("PackageType", "Image is not supported; Dormouse runs code directories");
  }
  if (serverless && properties.InlineCode !== undefined) {
    fail("InlineCode", "is not supported; put the code in a file and point CodeUri and Handler at it");
  }
  const runtime = check.runtime(
    get("Runtime"),
    resource.name,
    fail,
    serverless ? "; set it on the function or in Globals.Function" : "",
  );

  const handler = get("Handler");
  if (handler === undefined) fail("Handler", "is missing");
  const reference = typeof handler === "string" ? parseHandler(handler) : undefined;
  if (typeof handler !== "string" || reference === undefined) {
    fail("Handler", `must look like path/module.export, e.g. src/app.handler (got ${show(handler)})`);
  }

  const codeDir = codeDirectory(resource, serverless ? "CodeUri" : "Code", get, fail);
  const lookup = findHandlerFile(codeDir, reference.module);
  if ("tried" in lookup) {
    fail("Handler", `file not found for ${show(handler)}; tried ${lookup.tried.join(", ")}`);
  }

  const { LIMITS } = check;
  const timeout = check.integerIn(
    get("Timeout") ?? LIMITS.timeoutSeconds.default,
    LIMITS.timeoutSeconds,
    "Timeout",
    fail,
  );
  const memory = check.integerIn(
    get("MemorySize") ?? LIMITS.memoryMb.default,
    LIMITS.memoryMb,
    "MemorySize",
    fail,
  );
  const durable = check.durableConfig(get("DurableConfig"), fail);
  const alias = serverless ? check.aliasName(get("AutoPublishAlias"), fail) : undefined;
  return {
    name: resource.name,
    version: "$LATEST",
    handlerFile: lookup.found,
    handlerExport: reference.exportName,
    handler,
    runtime,
    codeDir,
    timeoutSeconds: timeout,
    memoryMb: memory,
    environment: check.environment(get("Environment"), fail),
    // A plain function has no `durable` key at all, not `durable: undefined`.
    ...(durable === undefined ? {} : { durable }),
    ...(alias === undefined ? {} : { autoPublishAlias: alias }),
  };
}

/** CodeUri (or Code for a plain Lambda function, as `aws cloudformation package` reads it). */
function codeDirectory(
  resource: FunctionResource,
  field: "CodeUri" | "Code",
  get: (field: string) => unknown,
  fail: Fail,
): string {
  const value = get(field);
  if (value === undefined) {
    if (field === "Code") fail("Code", "is missing; set it to a local directory");
    return resource.templateDir;
  }
  if (typeof value !== "string" || /^s3:\/\//i.test(value)) {
    const kinds = field === "Code" ? "ZipFile, S3 and image code are" : "S3 locations are";
    const got = isRecord(value) ? Object.keys(value).join(", ") : show(value);
    fail(field, `must be a local directory; ${kinds} not supported (got ${got})`);
  }
  const dir = path.resolve(resource.templateDir, value);
  if (!isDirectory(dir)) fail(field, `must be an existing directory (${dir} is not one)`);
  return dir;
}
