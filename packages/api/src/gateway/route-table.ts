// Route matching as API Gateway does it: the most specific route wins. Per path segment a literal
// beats a `{param}`, which beats a greedy `{proxy+}` (so a greedy route with a longer literal prefix
// wins); on equal paths an exact method beats `ANY`; `$default` catches what nothing else matched.
import type { HttpTrigger, RouteTrigger, UrlTrigger } from "./triggers.js";
import { FUNCTION_URL_PREFIX, routeKey } from "./triggers.js";

type Segment =
  { kind: "literal"; text: string } | { kind: "param"; name: string } | { kind: "greedy"; name: string };

export interface RoutePattern {
  segments: Segment[];
}

export interface RouteMatch {
  trigger: RouteTrigger;
  /** Decoded; empty when the route has no parameters. */
  pathParameters: Record<string, string>;
}

export interface UrlMatch {
  trigger: UrlTrigger;
  /** The path the function sees (the `/_url/<name>` prefix removed), still percent-encoded. */
  rawPath: string;
}

const PARAM = /^\{([A-Za-z0-9_.-]+)(\+?)\}$/;
// Characters API Gateway accepts in a resource path, besides `{}` for parameters.
const LITERAL = /^[A-Za-z0-9._~:@!$&'()*+,;=%-]+$/;
export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"] as const;

/** Parses `/orders/{id}`; returns a message (to follow "Path ") when the path is not valid. */
export function parseRoutePath(path: string): RoutePattern | string {
  if (!path.startsWith("/")) return `must start with / (got "${path}")`;
  if (path === "/") return { segments: [] };
  const parts = path.slice(1).split("/");
  const segments: Segment[] = [];
  const names = new Set<string>();
  for (const [i, part] of parts.entries()) {
    if (part === "") return `has an empty segment (got "${path}")`;
    const param = PARAM.exec(part);
    if (param) {
      const name = param[1]!;
      if (names.has(name)) return `uses the parameter {${name}} twice`;
      names.add(name);
      if (param[2] === "+") {
        if (i !== parts.length - 1) return `may have a greedy parameter {${name}+} only at the end`;
        segments.push({ kind: "greedy", name });
      } else segments.push({ kind: "param", name });
    } else if (LITERAL.test(part)) {
      segments.push({ kind: "literal", text: part });
    } else {
      return `has an invalid segment "${part}"; use letters, digits, -._~ and {param} or {proxy+}`;
    }
  }
  return { segments };
}

/** Normalises `any`, `*` and lower case; undefined for a method API Gateway does not know. */
export function normaliseMethod(method: string): string | undefined {
  const upper = method.trim().toUpperCase();
  const normalised = upper === "*" ? "ANY" : upper;
  return (METHODS as readonly string[]).includes(normalised) ? normalised : undefined;
}

/** Two routes that would receive the same requests: same method and the same path shape. */
export function findRouteConflict(triggers: readonly HttpTrigger[]): [HttpTrigger, HttpTrigger] | undefined {
  const seen = new Map<string, HttpTrigger>();
  for (const trigger of triggers) {
    const key = trigger.kind === "FunctionUrl" ? `url ${trigger.functionName}` : shapeKey(trigger);
    const other = seen.get(key);
    if (other) return [other, trigger];
    seen.set(key, trigger);
  }
  return undefined;
}

/** `GET /orders/{}`: parameter names do not tell two routes apart. */
function shapeKey(trigger: RouteTrigger): string {
  if (trigger.path === "$default") return "$default";
  const pattern = parseRoutePath(trigger.path);
  const path =
    typeof pattern === "string"
      ? trigger.path
      : "/" +
        pattern.segments
          .map((s) => (s.kind === "literal" ? s.text : s.kind === "param" ? "{}" : "{+}"))
          .join("/");
  return `${trigger.method} ${path}`;
}

interface CompiledRoute {
  trigger: RouteTrigger;
  pattern: RoutePattern;
}

export class RouteTable {
  private readonly routes: CompiledRoute[] = [];
  private readonly fallback: RouteTrigger | undefined;
  private readonly urls = new Map<string, UrlTrigger>();
  private readonly urlsByHost = new Map<string, UrlTrigger>();

  /** Triggers must be valid (the template loader checked them); an invalid path throws. */
  constructor(readonly triggers: readonly HttpTrigger[]) {
    let fallback: RouteTrigger | undefined;
    for (const trigger of triggers) {
      if (trigger.kind === "FunctionUrl") {
        this.urls.set(trigger.functionName, trigger);
        this.urlsByHost.set(trigger.functionName.toLowerCase(), trigger);
        continue;
      }
      if (trigger.path === "$default") {
        fallback = trigger;
        continue;
      }
      const pattern = parseRoutePath(trigger.path);
      if (typeof pattern === "string") throw new Error(`route ${routeKey(trigger)}: path ${pattern}`);
      this.routes.push({ trigger, pattern });
    }
    this.fallback = fallback;
  }

  get size(): number {
    return this.triggers.length;
  }

  /** A function URL addressed by host (`<name>.lambda-url.…`) or by the `/_url/<name>` prefix. */
  matchUrl(host: string | undefined, rawPath: string): UrlMatch | undefined {
    const label = /^([^.]+)\.lambda-url\./i.exec(host ?? "")?.[1];
    const byHost = label === undefined ? undefined : this.urlsByHost.get(label.toLowerCase());
    if (byHost) return { trigger: byHost, rawPath };
    if (!rawPath.startsWith(FUNCTION_URL_PREFIX)) return undefined;
    const rest = rawPath.slice(FUNCTION_URL_PREFIX.length);
    const slash = rest.indexOf("/");
    const name = slash === -1 ? rest : rest.slice(0, slash);
    const trigger = this.urls.get(name);
    if (!trigger) return undefined;
    return { trigger, rawPath: slash === -1 ? "/" : rest.slice(slash) };
  }

  /** The route for `method` and the request's raw (percent-encoded) path. */
  match(method: string, rawPath: string): RouteMatch | undefined {
    const parts = rawPath === "/" || rawPath === "" ? [] : rawPath.replace(/^\//, "").split("/");
    let best: { route: CompiledRoute; params: Record<string, string>; score: number[] } | undefined;
    for (const route of this.routes) {
      const { method: want } = route.trigger;
      if (want !== "ANY" && want !== method) continue;
      const params = matchSegments(route.pattern.segments, parts);
      if (!params) continue;
      const score = [...route.pattern.segments.map(specificity), want === "ANY" ? 0 : 1];
      if (!best || compareScores(score, best.score) > 0) best = { route, params, score };
    }
    if (best) return { trigger: best.route.trigger, pathParameters: best.params };
    return this.fallback ? { trigger: this.fallback, pathParameters: {} } : undefined;
  }
}

function specificity(segment: Segment): number {
  return segment.kind === "literal" ? 3 : segment.kind === "param" ? 2 : 1;
}

/** Lexicographic; a longer score wins a tie on its prefix (more segments matched literally). */
function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    if (segment.kind === "greedy") {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.every((p) => p === "")) return undefined;
      params[segment.name] = decode(rest.join("/"));
      return params;
    }
    const part = parts[i];
    if (part === undefined || part === "") return undefined;
    if (segment.kind === "literal") {
      if (decode(part) !== decode(segment.text)) return undefined;
    } else params[segment.name] = decode(part);
  }
  return parts.length === segments.length ? params : undefined;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
