// The store port and its adapters. The contract suite is not exported here (it imports vitest, a dev
// dependency); adapters' tests import it from "@dormouse/store/contract".
export * from "./store.js";
export * from "./cluster.js";
export * from "./function-records.js";
export * from "./errors.js";
export * from "./cursor.js";
export * from "./sqlite/index.js";
export * from "./postgres/index.js";
