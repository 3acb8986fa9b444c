// ARN shapes (spec §1.2). The server mints them; nothing resolves them except for display and lookup.

export interface ArnContext {
  partition: string;
  region: string;
  account: string;
}

export const DEFAULT_ARN_CONTEXT: ArnContext = {
  partition: "aws",
  region: "us-east-1",
  account: "000000000000",
};

export function functionArn(ctx: ArnContext, functionName: string, version?: string): string {
  const base = `arn:${ctx.partition}:lambda:${ctx.region}:${ctx.account}:function:${functionName}`;
  return version === undefined ? base : `${base}:${version}`;
}

export function executionArn(
  ctx: ArnContext,
  functionName: string,
  version: string,
  executionName: string,
  executionId: string,
): string {
  return `${functionArn(ctx, functionName, version)}/durable-execution/${executionName}/${executionId}`;
}

export interface ParsedExecutionArn {
  functionName: string;
  version: string;
  executionName: string;
  executionId: string;
}

const EXECUTION_ARN =
  /^arn:[a-z-]+:lambda:[a-z0-9-]+:\d{12}:function:([a-zA-Z0-9-_]+):(\$LATEST(?:\.PUBLISHED)?|[0-9]+)\/durable-execution\/([a-zA-Z0-9-_]+)\/([a-zA-Z0-9-_]+)$/;

export function parseExecutionArn(arn: string): ParsedExecutionArn | undefined {
  const m = EXECUTION_ARN.exec(arn);
  if (!m) return undefined;
  return { functionName: m[1]!, version: m[2]!, executionName: m[3]!, executionId: m[4]! };
}

export interface ParsedFunctionRef {
  name: string;
  qualifier?: string;
}

/**
 * Function names as the Lambda API accepts them: `name`, `name:qualifier`,
 * `account:function:name[:qualifier]`, or a full ARN with optional qualifier.
 */
export function parseFunctionRef(ref: string): ParsedFunctionRef | undefined {
  const full =
    /^arn:[a-z-]+:lambda:[a-z0-9-]+:\d{12}:function:([a-zA-Z0-9-_]+)(?::([a-zA-Z0-9-_$.]+))?$/.exec(ref);
  const partial = /^\d{12}:function:([a-zA-Z0-9-_]+)(?::([a-zA-Z0-9-_$.]+))?$/.exec(ref);
  const plain = /^([a-zA-Z0-9-_]+)(?::([a-zA-Z0-9-_$.]+))?$/.exec(ref);
  const m = full ?? partial ?? plain;
  if (!m) return undefined;
  return m[2] === undefined ? { name: m[1]! } : { name: m[1]!, qualifier: m[2] };
}
