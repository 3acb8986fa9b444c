import { configDefaults, defineConfig } from "vitest/config";

const E2E = "tests/e2e/**/*.test.ts";

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    // One behaviour, two stores: the end-to-end suites run once with their servers on SQLite files
    // (in "main", with every other suite) and once more in "e2e-postgres", each server on a fresh
    // database of the machine's PostgreSQL (tests/support/harness.ts, TEST_STORE).
    // `npx vitest run --project e2e-postgres tests/e2e/operations.test.ts` runs one file there.
    projects: [
      {
        extends: true,
        test: {
          name: "main",
          include: [
            "packages/*/src/**/*.test.ts",
            "examples/*/src/**/*.test.ts",
            E2E,
            "tests/crash/**/*.test.ts",
            // Several nodes on one PostgreSQL database (the machine's, as for e2e-postgres).
            "tests/cluster/**/*.test.ts",
          ],
          env: { DORMOUSE_TEST_STORE: "sqlite" },
        },
      },
      {
        extends: true,
        test: {
          name: "e2e-postgres",
          include: [E2E],
          // The browser suites (the console, the loan-approval example) check pages, not storage; what
          // they read goes through APIs that other suites run on PostgreSQL. SQLite only.
          exclude: [
            ...configDefaults.exclude,
            "tests/e2e/console.test.ts",
            "tests/e2e/examples/loan-approval.test.ts",
          ],
          env: { DORMOUSE_TEST_STORE: "postgres" },
        },
      },
    ],
  },
});
