// The functions this server runs, resolvable the way the Lambda API names them (spec §7.1).
import type { ResolvedFunction } from "@dormouse/engine";
import { invalidParameter, parseFunctionRef } from "@dormouse/protocol";
import type { FunctionDefinition } from "@dormouse/runtime";
import type { FunctionCatalog, FunctionSummary } from "@dormouse/scheduler";

export class StaticFunctionCatalog implements FunctionCatalog {
  private readonly byName: Map<string, FunctionDefinition>;

  constructor(defs: FunctionDefinition[]) {
    this.byName = new Map(defs.map((d) => [d.name, d]));
  }

  resolve(ref: string, qualifier?: string): ResolvedFunction | undefined {
    const def = this.definitionFor(ref, qualifier);
    return def && toResolved(def);
  }

  definitionFor(ref: string, qualifier?: string): FunctionDefinition | undefined {
    const parsed = parseFunctionRef(ref);
    if (!parsed) return undefined;
    if (qualifier !== undefined && parsed.qualifier !== undefined && qualifier !== parsed.qualifier) {
      throw invalidParameter(
        `The qualifier in FunctionName (${parsed.qualifier}) conflicts with the Qualifier parameter (${qualifier})`,
      );
    }
    const q = parsed.qualifier ?? qualifier ?? "$LATEST";
    const def = this.byName.get(parsed.name);
    if (!def || (q !== "$LATEST" && q !== def.version)) return undefined;
    return def;
  }

  definition(functionName: string, version: string): FunctionDefinition | undefined {
    const def = this.byName.get(functionName);
    return def && def.version === version ? def : undefined;
  }

  list(): FunctionSummary[] {
    return [...this.byName.values()].map((d) => {
      const s: FunctionSummary = {
        name: d.name,
        version: d.version,
        durable: d.durable !== undefined,
        timeoutSeconds: d.timeoutSeconds,
        memoryMb: d.memoryMb,
        handler: d.handler,
        runtime: d.runtime,
      };
      if (d.durable) {
        s.executionTimeoutSeconds = d.durable.executionTimeoutSeconds;
        s.retentionDays = d.durable.retentionDays;
      }
      return s;
    });
  }
}

function toResolved(def: FunctionDefinition): ResolvedFunction {
  return {
    functionName: def.name,
    version: def.version,
    durable: def.durable !== undefined,
    executionTimeoutSeconds: def.durable?.executionTimeoutSeconds ?? 0,
    retentionDays: def.durable?.retentionDays ?? 0,
    functionTimeoutSeconds: def.timeoutSeconds,
  };
}
