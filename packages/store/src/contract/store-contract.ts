// The store contract: what every adapter (SQLite now, PostgreSQL later) must do, as one vitest
// suite. An adapter's test file calls `describeStoreContract` with a function that opens a fresh,
// empty database; every test gets its own.
import { afterEach, describe } from "vitest";
import type { Store } from "../store.js";
import { clusterCases } from "./cluster-cases.js";
import { commitCases } from "./commit-cases.js";
import { concurrencyCases } from "./concurrency-cases.js";
import { durabilityCases } from "./durability-cases.js";
import { functionCases } from "./function-cases.js";
import { listingCases } from "./listing-cases.js";
import { queryCases } from "./query-cases.js";

export interface StoreUnderTest {
  store: Store;
  /** Closes whatever is still open and deletes the database. Must tolerate a closed `store`. */
  cleanup: () => Promise<void>;
  /** Opens the same database again (called after `store` was closed), for durability tests. */
  reopen: () => Promise<Store>;
  /** Opens another store on the same database while `store` is open, as another node would. */
  peer: () => Promise<Store>;
}

export type OpenStore = () => Promise<StoreUnderTest>;

/** What the case modules get: `open` hands out stores that are cleaned up after each test. */
export interface ContractHarness {
  open(): Promise<StoreUnderTest>;
}

export function describeStoreContract(name: string, open: OpenStore): void {
  describe(`store contract: ${name}`, () => {
    const opened: StoreUnderTest[] = [];
    const reopened: Store[] = [];
    const harness: ContractHarness = {
      async open() {
        const subject = await open();
        opened.push(subject);
        return {
          ...subject,
          reopen: async () => {
            const store = await subject.reopen();
            reopened.push(store);
            return store;
          },
          peer: async () => {
            const store = await subject.peer();
            reopened.push(store);
            return store;
          },
        };
      },
    };

    afterEach(async () => {
      for (const store of reopened.splice(0)) await store.close();
      for (const subject of opened.splice(0)) await subject.cleanup();
    });

    describe("commit", () => commitCases(harness));
    describe("concurrency and purge", () => concurrencyCases(harness));
    describe("queries", () => queryCases(harness));
    describe("console listings", () => listingCases(harness));
    describe("durability", () => durabilityCases(harness));
    describe("functions, versions and code", () => functionCases(harness));
    describe("several nodes", () => clusterCases(harness));
  });
}
