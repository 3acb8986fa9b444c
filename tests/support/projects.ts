// Temporary projects for the versions suites: a template and handler files in a temp directory,
// with `node_modules` linked to the repository's so handlers import the SDK as users' code does.
import fs from "node:fs";
import path from "node:path";
import { tempDir } from "./harness.js";

const REPO_NODE_MODULES = path.resolve(import.meta.dirname, "../../node_modules");

export interface TempProject {
  dir: string;
  template: string;
  write(file: string, text: string): void;
  remove(): void;
}

export function tempProject(files: Record<string, string>): TempProject {
  const dir = tempDir("dormouse-project-");
  fs.symlinkSync(REPO_NODE_MODULES, path.join(dir, "node_modules"), "dir");
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    // Write then rename, as editors do, so a watcher never sees half a file.
    const tmp = path.join(dir, `${file}.tmp`);
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, path.join(dir, file));
  };
  for (const [file, text] of Object.entries(files)) write(file, text);
  return {
    dir,
    template: path.join(dir, "template.yaml"),
    write,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A durable handler that records which code started it and which code finished it. */
export function pinnedHandler(codeVersion: string): string {
  return `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event, ctx) => {
  const startedOn = await ctx.step("started", async () => "${codeVersion}");
  const answer = await ctx.waitForCallback("approval", async () => {});
  return { startedOn, finishedOn: "${codeVersion}", answer };
});
`;
}

export const VERSIONED_TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: { Type: String, Default: dev }
Globals:
  Function:
    Runtime: nodejs20.x
    CodeUri: src/
    Timeout: 30
Resources:
  Pinned:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub "pinned-\${Stage}"
      Handler: app.handler
      AutoPublishAlias: live
      DurableConfig: { ExecutionTimeout: 600, RetentionPeriodInDays: 1 }
`;
