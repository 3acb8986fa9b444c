// One linter for the repo. The dependency-direction rule keeps the architecture honest:
// protocol ← engine ← store, scheduler ← runtime, api ← server ← cli; console uses only protocol.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const layers = {
  protocol: [],
  engine: ["protocol"],
  store: ["protocol", "engine"],
  scheduler: ["protocol", "engine", "store"],
  runtime: ["protocol", "engine", "store", "scheduler"],
  api: ["protocol", "engine", "store", "scheduler"],
  server: ["protocol", "engine", "store", "scheduler", "runtime", "api"],
  cli: ["protocol", "engine", "store", "scheduler", "runtime", "api", "server"],
  console: ["protocol"],
};
const all = Object.keys(layers);

const directionRules = Object.entries(layers).map(([pkg, allowed]) => ({
  files: [`packages/${pkg}/**/*.ts`, `packages/${pkg}/**/*.tsx`],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: all
          .filter((p) => p !== pkg && !allowed.includes(p))
          .map((p) => ({
            group: [p === "cli" ? "dormouse" : `@dormouse/${p}`, `@dormouse/${p}/*`],
            message: `${pkg} may not depend on ${p} (dependency direction, see STYLE.md)`,
          })),
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", ".dormouse/**", "**/.dormouse/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["packages/engine/src/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']",
          message: "The engine is pure: time comes in as an argument.",
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: "The engine is pure: time comes in as an argument.",
        },
        {
          selector: "MemberExpression[object.name='Math'][property.name='random']",
          message: "The engine is pure: randomness comes in through its ports.",
        },
      ],
    },
  },
  ...directionRules,
);
