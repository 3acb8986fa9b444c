// `dormouse deploy`: publishes a template's functions to a running server (`dormouse start`)
// without restarting it, and prints the versions and aliases it made.
import type { Command } from "commander";
import { parseParameterOverrides, resolveEndpoint } from "../args.js";
import { EXIT_FAILURE } from "../errors.js";
import { formatReload } from "../format-server.js";

interface DeployOptions {
  template: string;
  endpoint?: string;
  json?: boolean;
  parameterOverrides?: Record<string, string>;
}

export function registerDeploy(program: Command): void {
  program
    .command("deploy")
    .description("publish the template's functions to a running server (versions and aliases)")
    .option("--template <file>", "SAM template declaring the functions", "template.yaml")
    .option("--endpoint <url>", "Dormouse API URL (default: $DORMOUSE_ENDPOINT or http://127.0.0.1:9014)")
    .option("--json", "print the server's answer as JSON, for scripts")
    .option(
      "--parameter-overrides <Key=Value...>",
      "template parameter values replacing their Default (as for sam)",
      parseParameterOverrides,
    )
    .action(async (options: DeployOptions) => {
      const endpoint = resolveEndpoint(options.endpoint);
      // The template is read and the code snapshotted here, on the client, as `sam deploy` does.
      const { loadTemplate, deployBundle, sendDeployBundle } = await import("@dormouse/server");
      const { functions } = await loadTemplate(options.template, {
        parameterOverrides: options.parameterOverrides,
      });
      // Only the files the server does not have yet are sent.
      const { status, body } = await sendDeployBundle(endpoint, deployBundle(functions));
      if (status !== 200) {
        throw new Error(`deploy refused (${status}): ${String(body.message ?? body.Message ?? "")}`);
      }
      const result = body as { published: { name: string; changed: boolean }[]; rejected: unknown[] };
      if (options.json) console.log(JSON.stringify(result, null, 2));
      else {
        const text = formatReload({ ok: true, ...(body as object) });
        const unchanged = result.published.filter((p) => !p.changed).map((p) => p.name);
        console.log(
          [text, ...(unchanged.length ? [`= unchanged: ${unchanged.join(", ")}`] : [])]
            .filter(Boolean)
            .join("\n"),
        );
      }
      if (result.rejected.length > 0) process.exitCode = EXIT_FAILURE;
    });
}
