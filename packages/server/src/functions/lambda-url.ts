// `AWS::Lambda::Url`: a function URL declared as its own resource (CloudFormation's way; SAM's is
// FunctionUrlConfig on the function). TargetFunctionArn is `!Ref Fn`, `!GetAtt Fn.Arn` or either
// with a qualifier; Qualifier may name the alias or version instead.
import type { UrlTrigger } from "@dormouse/api";
import { parseFunctionRef } from "@dormouse/protocol";
import type { FunctionDefinition } from "@dormouse/runtime";
import type { Fail } from "./function-properties.js";
import { iamWarning, urlTrigger } from "./http-triggers.js";
import { NO_VALUE } from "./intrinsics.js";
import type { IntrinsicResolver } from "./intrinsics.js";
import type { JsonRecord } from "./records.js";
import { TemplateError, show } from "./template-error.js";

export const LAMBDA_URL = "AWS::Lambda::Url";

/** Resource types whose effect Dormouse provides through the functions' events: no warning. */
export const SERVED_ELSEWHERE: ReadonlySet<string> = new Set([
  "AWS::Serverless::HttpApi",
  "AWS::Serverless::Api",
  "AWS::Lambda::Permission",
]);

export function lambdaUrlTrigger(
  source: { file: string; logicalId: string; properties: JsonRecord; resolver: IntrinsicResolver },
  functions: readonly FunctionDefinition[],
): { trigger: UrlTrigger; warnings: string[] } {
  const { file, logicalId, properties, resolver } = source;
  const fail: Fail = (field, detail) => {
    throw new TemplateError(detail, { file, resource: logicalId, field });
  };
  const get = (field: string): unknown => {
    const value = resolver.resolve(properties[field], { resource: logicalId, field });
    return value === NO_VALUE ? undefined : value;
  };
  const arn = get("TargetFunctionArn");
  if (typeof arn !== "string")
    fail("TargetFunctionArn", `must name a function of this template (got ${show(arn)})`);
  const ref = parseFunctionRef(arn);
  if (!ref) fail("TargetFunctionArn", `is not a function name or ARN (got ${show(arn)})`);
  const def = functions.find((f) => f.name === ref.name);
  if (!def) fail("TargetFunctionArn", `names ${show(ref.name)}, which is not a function of this template`);
  const qualifier = get("Qualifier") ?? ref.qualifier;
  if (qualifier !== undefined && typeof qualifier !== "string") {
    fail("Qualifier", `must be an alias or version (got ${show(qualifier)})`);
  }
  const trigger = urlTrigger(
    { AuthType: get("AuthType") },
    { functionName: def.name, resource: logicalId, ...(qualifier === undefined ? {} : { qualifier }) },
    fail,
    "",
  );
  return { trigger, warnings: trigger.authType === "AWS_IAM" ? [iamWarning(logicalId)] : [] };
}
