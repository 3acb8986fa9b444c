// The HTTP gateway: API Gateway HTTP/REST API routes and Lambda function URLs (issue #5).
export { Gateway, type GatewayOptions, type GatewayService, type GatewayLogger } from "./gateway.js";
export { findRouteConflict, normaliseMethod, parseRoutePath, RouteTable } from "./route-table.js";
export { FUNCTION_URL_PREFIX, functionUrlPath, routeKey } from "./triggers.js";
export type { HttpTrigger, RouteTrigger, UrlTrigger } from "./triggers.js";
