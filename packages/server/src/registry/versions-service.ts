// The registry as the api's FunctionVersionsService (ListVersionsByFunction, PublishVersion, …).
import type { FunctionSummary, FunctionVersionsService } from "@dormouse/scheduler";
import type { FunctionRegistry } from "./registry.js";

export function versionsService(registry: FunctionRegistry): FunctionVersionsService {
  const versionsOf = (name: string): FunctionSummary[] => registry.list().filter((s) => s.name === name);
  return {
    listVersions(name) {
      const list = versionsOf(name);
      return list.length === 0 ? undefined : list;
    },
    listAliases(name) {
      if (registry.versionsOf(name).length === 0) return undefined;
      return registry
        .aliasesOf(name)
        .map((a) => ({ name: a.name, version: a.version }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    codeArchive: (codeId) => registry.archive(codeId),
    async publishVersion(name) {
      const { version } = await registry.publishVersion(name);
      return versionsOf(name).find((s) => s.version === version.version)!;
    },
  };
}
