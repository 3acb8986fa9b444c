// Resolves CloudFormation intrinsics in the function properties Dormouse reads. Dormouse deploys
// no stack, so the values are what a one-region, one-account stack named "dormouse" would see:
// parameters take their Default, functions are known by name and ARN, anything else is an error
// that names the intrinsic rather than a value silently left as an object.
import { DEFAULT_ARN_CONTEXT, functionArn } from "@dormouse/protocol";
import { isIntrinsicObject, isRecord } from "./records.js";
import type { JsonRecord } from "./records.js";
import { TemplateError, show } from "./template-error.js";

/** `!Ref AWS::NoValue`: the property (or list item) is removed. */
export const NO_VALUE: unique symbol = Symbol("AWS::NoValue");

const { partition, region, account } = DEFAULT_ARN_CONTEXT;
const STACK_NAME = "dormouse";

const PSEUDO_PARAMETERS: Record<string, string> = {
  "AWS::Region": region,
  "AWS::AccountId": account,
  "AWS::Partition": partition,
  "AWS::StackName": STACK_NAME,
  "AWS::URLSuffix": "amazonaws.com",
  "AWS::StackId": `arn:${partition}:cloudformation:${region}:${account}:stack/${STACK_NAME}/00000000-0000-0000-0000-000000000000`,
};

/** What the resolver needs to know about the template. */
export interface TemplateScope {
  /** The template file as the caller named it, for messages. */
  file: string;
  parameters: JsonRecord;
  mappings: JsonRecord;
  conditions: JsonRecord;
  /** Logical id → resource Type. */
  resourceTypes: Record<string, string>;
  isFunction(logicalId: string): boolean;
  /** Resolves the function's FunctionName on demand (it may use intrinsics itself). */
  functionName(logicalId: string): string;
  /** The function's AutoPublishAlias, undefined when it has none. */
  aliasName(logicalId: string): string | undefined;
}

export interface Where {
  resource?: string;
  field: string;
}

/** Thrown by the helpers below; `apply` turns it into a TemplateError naming the intrinsic. */
class Unresolvable extends Error {}

export class IntrinsicResolver {
  private readonly conditionValues = new Map<string, boolean>();
  private readonly evaluating = new Set<string>();

  constructor(private readonly scope: TemplateScope) {}

  /** Returns the value with every intrinsic replaced, or NO_VALUE. */
  resolve(value: unknown, where: Where): unknown {
    return this.walk(value, where, true);
  }

  /**
   * `extendPath` adds `.key` and `[i]` to the field while walking plain maps and lists; inside an
   * intrinsic's arguments it is off, so errors name the property the user wrote the intrinsic on.
   */
  private walk(value: unknown, where: Where, extendPath: boolean): unknown {
    const at = (suffix: string): Where => (extendPath ? { ...where, field: where.field + suffix } : where);
    if (Array.isArray(value)) {
      return value
        .map((item, i) => this.walk(item, at(`[${i}]`), extendPath))
        .filter((item) => item !== NO_VALUE);
    }
    if (!isRecord(value)) return value;
    if (isIntrinsicObject(value)) {
      const [name, arg] = Object.entries(value)[0]!;
      return this.apply(name, arg, where);
    }
    const out: JsonRecord = {};
    for (const [key, item] of Object.entries(value)) {
      const resolved = this.walk(item, at(`.${key}`), extendPath);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }

  /** Resolves an intrinsic's argument. */
  private argument(value: unknown, where: Where): unknown {
    return this.walk(value, where, false);
  }

  /** Evaluates a named entry of the Conditions section. */
  condition(name: string, where: Where): boolean {
    const known = this.conditionValues.get(name);
    if (known !== undefined) return known;
    const field = `Conditions.${name}`;
    if (!(name in this.scope.conditions)) {
      throw this.error(where, `refers to condition ${name}, which is not defined in Conditions`);
    }
    if (this.evaluating.has(name)) throw this.error({ field }, "refers to itself");
    this.evaluating.add(name);
    try {
      const value = this.evaluateCondition(this.scope.conditions[name], { field });
      this.conditionValues.set(name, value);
      return value;
    } finally {
      this.evaluating.delete(name);
    }
  }

  private apply(name: string, arg: unknown, where: Where): unknown {
    try {
      return this.applyUnchecked(name, arg, where);
    } catch (error) {
      if (!(error instanceof Unresolvable)) throw error;
      throw this.error(where, `cannot be resolved: ${display(name, arg)} (${error.message})`);
    }
  }

  private applyUnchecked(name: string, arg: unknown, where: Where): unknown {
    switch (name) {
      case "Ref":
        if (typeof arg !== "string") throw new Unresolvable("Ref takes a name");
        return this.ref(arg);
      case "Fn::GetAtt":
        return this.getAtt(arg);
      case "Fn::Sub":
        return this.sub(arg, where);
      case "Fn::Join": {
        const [delimiter, list] = pair(arg, "Fn::Join takes [delimiter, [values]]");
        return this.list(list, where)
          .map((item) => text(item))
          .join(text(delimiter));
      }
      case "Fn::Select": {
        const [index, list] = pair(arg, "Fn::Select takes [index, [values]]");
        const i = Number(this.argument(index, where));
        const items = this.list(list, where);
        if (!Number.isInteger(i) || i < 0 || i >= items.length) {
          throw new Unresolvable(`index ${show(index)} is outside a list of ${items.length}`);
        }
        return items[i];
      }
      case "Fn::Split": {
        const [delimiter, source] = pair(arg, "Fn::Split takes [delimiter, string]");
        return text(this.argument(source, where)).split(text(delimiter));
      }
      case "Fn::If": {
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== "string") {
          throw new Unresolvable("Fn::If takes [condition, valueIfTrue, valueIfFalse]");
        }
        if (!(arg[0] in this.scope.conditions)) {
          throw new Unresolvable(`condition ${arg[0]} is not defined in Conditions`);
        }
        return this.argument(this.condition(arg[0], where) ? arg[1] : arg[2], where);
      }
      case "Fn::FindInMap":
        return this.findInMap(arg, where);
      case "Fn::Base64":
        return Buffer.from(text(this.argument(arg, where))).toString("base64");
      case "Fn::Equals":
      case "Fn::Not":
      case "Fn::And":
      case "Fn::Or":
        throw new Unresolvable(`${name} is only allowed in Conditions; use Fn::If here`);
      default:
        throw new Unresolvable("Dormouse deploys no stack, so it has no value for this");
    }
  }

  private ref(name: string): unknown {
    if (name === "AWS::NoValue") return NO_VALUE;
    const pseudo = PSEUDO_PARAMETERS[name];
    if (pseudo !== undefined) return pseudo;
    if (name.startsWith("AWS::")) throw new Unresolvable(`${name} is not a known pseudo parameter`);
    const dot = name.indexOf(".");
    if (dot > 0 && this.scope.isFunction(name.slice(0, dot)))
      return this.functionRef(name.slice(0, dot), name.slice(dot + 1));
    const parameter = this.scope.parameters[name];
    if (parameter !== undefined) return parameterValue(name, parameter);
    if (this.scope.isFunction(name)) return this.scope.functionName(name);
    const type = this.scope.resourceTypes[name];
    if (type !== undefined) {
      throw new Unresolvable(`${name} has type ${type}; only parameters and functions can be referenced`);
    }
    throw new Unresolvable(`${name} is not a parameter, pseudo parameter or resource of this template`);
  }

  /** SAM's `!Ref MyFunction.Alias`: the ARN of the alias AutoPublishAlias makes. */
  private functionRef(logicalId: string, member: string): string {
    if (member === "Version") {
      throw new Unresolvable(
        `${logicalId}.Version is only known once the version is published; use ${logicalId}.Alias (with AutoPublishAlias)`,
      );
    }
    if (member !== "Alias")
      throw new Unresolvable(`a function has no ${member} to reference; try ${logicalId}.Alias`);
    const alias = this.scope.aliasName(logicalId);
    if (alias === undefined)
      throw new Unresolvable(`${logicalId} has no AutoPublishAlias, so it has no alias`);
    return `${functionArn(DEFAULT_ARN_CONTEXT, this.scope.functionName(logicalId))}:${alias}`;
  }

  private getAtt(arg: unknown): string {
    const parts = typeof arg === "string" ? splitOnce(arg) : arg;
    if (!Array.isArray(parts) || parts.length !== 2 || !parts.every((p) => typeof p === "string")) {
      throw new Unresolvable("Fn::GetAtt takes [resource, attribute]");
    }
    const [resource, attribute] = parts as [string, string];
    if (!this.scope.isFunction(resource)) {
      const type = this.scope.resourceTypes[resource];
      throw new Unresolvable(
        type === undefined
          ? `${resource} is not a resource of this template`
          : `${resource} has type ${type}; only function attributes can be resolved`,
      );
    }
    if (attribute !== "Arn") throw new Unresolvable(`only the Arn attribute of a function can be resolved`);
    return functionArn(DEFAULT_ARN_CONTEXT, this.scope.functionName(resource));
  }

  private sub(arg: unknown, where: Where): string {
    const [template, variables] = Array.isArray(arg) ? arg : [arg, {}];
    if (typeof template !== "string" || !isRecord(variables)) {
      throw new Unresolvable("Fn::Sub takes a string or [string, { variables }]");
    }
    return template.replace(/\$\{([^}]*)\}/g, (_match, inner: string) => {
      if (inner.startsWith("!")) return `\${${inner.slice(1)}}`; // `${!Literal}` escapes a placeholder
      const name = inner.trim();
      if (name in variables) return text(this.argument(variables[name], where));
      if (name.includes(".") && !name.startsWith("AWS::")) return this.getAtt(name);
      return text(this.ref(name));
    });
  }

  private findInMap(arg: unknown, where: Where): unknown {
    if (!Array.isArray(arg) || arg.length < 3) {
      throw new Unresolvable("Fn::FindInMap takes [map, topLevelKey, secondLevelKey]");
    }
    const keys = arg.slice(0, 3).map((key) => text(this.argument(key, where)));
    let value: unknown = this.scope.mappings;
    for (const key of keys) {
      if (!isRecord(value) || !(key in value)) throw new Unresolvable(`Mappings has no ${keys.join(".")}`);
      value = value[key];
    }
    return value;
  }

  private list(value: unknown, where: Where): unknown[] {
    const resolved = this.argument(value, where);
    if (!Array.isArray(resolved)) throw new Unresolvable(`expected a list, got ${show(resolved)}`);
    return resolved;
  }

  private evaluateCondition(definition: unknown, where: Where): boolean {
    if (isRecord(definition) && Object.keys(definition).length === 1) {
      const [name, arg] = Object.entries(definition)[0]!;
      const args = Array.isArray(arg) ? arg : [arg];
      switch (name) {
        case "Condition":
          if (typeof arg === "string") return this.condition(arg, where);
          break;
        case "Fn::Equals": {
          if (args.length !== 2) break;
          const [a, b] = args.map((v) => this.argument(v, where));
          return isScalar(a) && isScalar(b)
            ? String(a) === String(b)
            : JSON.stringify(a) === JSON.stringify(b);
        }
        case "Fn::Not":
          if (args.length === 1) return !this.evaluateCondition(args[0], where);
          break;
        case "Fn::And":
          return args.every((c) => this.evaluateCondition(c, where));
        case "Fn::Or":
          return args.some((c) => this.evaluateCondition(c, where));
      }
    }
    throw this.error(
      where,
      `is not a condition (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition): ${show(definition)}`,
    );
  }

  private error(where: Where, detail: string): TemplateError {
    return new TemplateError(detail, { file: this.scope.file, ...where });
  }
}

function parameterValue(name: string, parameter: unknown): unknown {
  if (!isRecord(parameter) || parameter.Default === undefined) {
    throw new Unresolvable(
      `parameter ${name} has no Default; give it one, or a value with --parameter-overrides ${name}=<value>`,
    );
  }
  const type = typeof parameter.Type === "string" ? parameter.Type : "String";
  const value = parameter.Default;
  // A list parameter's Ref is a list; every other parameter's Ref is a string, as on CloudFormation.
  if (type === "CommaDelimitedList" || type.startsWith("List<")) {
    return Array.isArray(value) ? value.map(String) : String(value).split(",");
  }
  return isScalar(value) ? String(value) : value;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

/** A value used inside a string (Sub, Join, Split): strings, numbers and booleans only. */
function text(value: unknown): string {
  if (isScalar(value)) return String(value);
  throw new Unresolvable(`expected a string, got ${value === NO_VALUE ? "AWS::NoValue" : show(value)}`);
}

function pair(arg: unknown, usage: string): [unknown, unknown] {
  if (!Array.isArray(arg) || arg.length !== 2) throw new Unresolvable(usage);
  return [arg[0], arg[1]];
}

function splitOnce(value: string): string[] {
  const dot = value.indexOf(".");
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

/** How the user wrote it, roughly: `!Ref MyTable`, `!GetAtt Queue.Arn`, `!ImportValue "Shared"`. */
function display(name: string, arg: unknown): string {
  const short = name.replace(/^Fn::/, "");
  if (name === "Ref" && typeof arg === "string") return `!Ref ${arg}`;
  if (name === "Fn::GetAtt" && Array.isArray(arg)) return `!GetAtt ${arg.map(String).join(".")}`;
  if (name === "Fn::GetAtt" && typeof arg === "string") return `!GetAtt ${arg}`;
  return `!${short} ${show(arg)}`;
}
