// What every route module gets from the factory.
import type { ArnContext, Limits } from "@dormouse/protocol";
import type { DurableService, FunctionVersionsService } from "@dormouse/scheduler";

export interface RouteContext {
  service: DurableService;
  limits: Limits;
  arnContext: ArnContext;
  /** Versions and aliases; without it only `$LATEST` is listed and PublishVersion is refused. */
  versions?: FunctionVersionsService;
}

/** 0 and absent both mean "the default page size" (spec §3.2, §7.3, §7.4). */
export const DEFAULT_PAGE_SIZE = 100;

export const pageSize = (maxItems: number | undefined): number =>
  maxItems === undefined || maxItems === 0 ? DEFAULT_PAGE_SIZE : maxItems;
