import path from "node:path";
import { describe, expect, it } from "vitest";
import { HANDLER_EXTENSIONS } from "./handler-file.js";
import { loadTemplate } from "./load-template.js";
import { HANDLER_SOURCE, useTempProjects } from "./test-support.js";

const project = useTempProjects();

/** A template with the given Resources (and other top-level sections) as YAML text. */
function sam(body: string): string {
  return `AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\n${body}`;
}

describe("loadTemplate", () => {
  it("reads a minimal function with Lambda's defaults", async () => {
    const dir = project({
      "template.yaml": sam(`Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs20.x
`),
      "app.js": HANDLER_SOURCE,
    });
    const loaded = await loadTemplate(path.join(dir, "template.yaml"));
    // Strict: a plain function has no `durable` key.
    expect(loaded).toStrictEqual({
      file: path.join(dir, "template.yaml"),
      functions: [
        {
          name: "Hello",
          version: "$LATEST",
          handlerFile: path.join(dir, "app.js"),
          handlerExport: "handler",
          handler: "app.handler",
          runtime: "nodejs20.x",
          codeDir: dir,
          timeoutSeconds: 3,
          memoryMb: 128,
          environment: {},
        },
      ],
      triggers: [],
      ignored: [],
      warnings: [],
    });
  });

  it("merges Globals.Function into every Serverless function, the function winning", async () => {
    const dir = project({
      "template.yaml": sam(`Globals:
  Function:
    Runtime: nodejs22.x
    Timeout: 30
    MemorySize: 512
    CodeUri: src/
    Environment:
      Variables: { LOG_LEVEL: info, SHARED: global, RETRIES: 3 }
    DurableConfig:
      RetentionPeriodInDays: 30
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: orders
      Handler: orders.handler
      Timeout: 60
      AutoPublishAlias: live
      Environment:
        Variables: { SHARED: local, DEBUG: true }
      DurableConfig:
        ExecutionTimeout: 3600
  Plain:
    Type: AWS::Serverless::Function
    Properties:
      Handler: plain.main
      DurableConfig:
        ExecutionTimeout: 60
        RetentionPeriodInDays: 1
`),
      "src/orders.ts": HANDLER_SOURCE,
      "src/plain.mjs": HANDLER_SOURCE,
    });
    const { functions } = await loadTemplate(path.join(dir, "template.yaml"));
    expect(functions[0]).toMatchObject({
      name: "orders",
      runtime: "nodejs22.x",
      codeDir: path.join(dir, "src"),
      handlerFile: path.join(dir, "src/orders.ts"),
      timeoutSeconds: 60,
      memoryMb: 512,
      environment: { LOG_LEVEL: "info", SHARED: "local", RETRIES: "3", DEBUG: "true" },
      durable: { executionTimeoutSeconds: 3600, retentionDays: 30 },
      autoPublishAlias: "live",
    });
    expect(functions[1]).not.toHaveProperty("autoPublishAlias");
    expect(functions[1]).toMatchObject({
      name: "Plain",
      handlerExport: "main",
      handlerFile: path.join(dir, "src/plain.mjs"),
      timeoutSeconds: 30,
      environment: { LOG_LEVEL: "info", SHARED: "global", RETRIES: "3" },
      durable: { executionTimeoutSeconds: 60, retentionDays: 1 },
    });
  });

  it("resolves parameters, pseudo parameters, functions, Sub, Join and friends", async () => {
    const dir = project({
      "template.yaml": sam(`Parameters:
  Stage: { Type: String, Default: dev }
  Seconds: { Type: Number, Default: 45 }
  Zones: { Type: CommaDelimitedList, Default: "a,b,c" }
Mappings:
  Sizes:
    dev: { memory: 256 }
Conditions:
  IsDev: !Equals [!Ref Stage, dev]
  IsProd: !Not [!Condition IsDev]
  Both: !And [!Condition IsDev, !Or [!Condition IsProd, !Equals [1, "1"]]]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub "\${AWS::StackName}-worker"
      AutoPublishAlias: !Ref Stage
      Handler: app.handler
      Runtime: nodejs20.x
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs20.x
      Timeout: !Ref Seconds
      MemorySize: !FindInMap [Sizes, !Ref Stage, memory]
      Policies:
        - DynamoDBCrudPolicy: { TableName: !Ref Table }
      Environment:
        Variables:
          STAGE: !Ref Stage
          REGION: !Ref AWS::Region
          ACCOUNT: !Ref AWS::AccountId
          PARTITION: !Ref AWS::Partition
          STACK: !Ref AWS::StackName
          WORKER: !Ref Worker
          WORKER_ARN: !GetAtt Worker.Arn
          WORKER_ALIAS: !Ref Worker.Alias
          SUB: !Sub "\${Stage}/\${AWS::Region}/\${Worker}/\${Worker.Arn}/\${!Literal}"
          SUB_VARS: !Sub ["\${Name}-\${Stage}", { Name: !Ref Worker }]
          JOIN: !Join ["-", [a, !Ref Stage, 3]]
          SELECT: !Select [1, !Ref Zones]
          SPLIT: !Join ["+", !Split [",", "x,y"]]
          IF: !If [IsDev, yes-dev, no-dev]
          BOTH: !If [Both, both, neither]
          BASE64: !Base64 hi
          GONE: !If [IsProd, here, !Ref AWS::NoValue]
          LONG: { "Fn::Join": ["", ["long-", { "Ref": "Stage" }]] }
`),
      "app.ts": HANDLER_SOURCE,
    });
    const loaded = await loadTemplate(path.join(dir, "template.yaml"));
    const api = loaded.functions.find((f) => f.name === "Api")!;
    const arn = "arn:aws:lambda:us-east-1:000000000000:function:dormouse-worker";
    expect(loaded.functions.map((f) => f.name)).toEqual(["dormouse-worker", "Api"]);
    expect(api.timeoutSeconds).toBe(45);
    expect(api.memoryMb).toBe(256);
    expect(api.environment).toEqual({
      STAGE: "dev",
      REGION: "us-east-1",
      ACCOUNT: "000000000000",
      PARTITION: "aws",
      STACK: "dormouse",
      WORKER: "dormouse-worker",
      WORKER_ARN: arn,
      WORKER_ALIAS: `${arn}:dev`,
      SUB: `dev/us-east-1/dormouse-worker/${arn}/\${Literal}`,
      SUB_VARS: "dormouse-worker-dev",
      JOIN: "a-dev-3",
      SELECT: "b",
      SPLIT: "x+y",
      IF: "yes-dev",
      BOTH: "both",
      BASE64: "aGk=",
      LONG: "long-dev",
    });
  });

  it("ignores resources that are not functions, with a warning each", async () => {
    const dir = project({
      "template.yaml": sam(`Resources:
  MyTable:
    Type: AWS::DynamoDB::Table
    Properties: { TableName: !Ref AWS::StackName }
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Handler: app.handler, Runtime: nodejs20.x }
  Queue:
    Type: AWS::SQS::Queue
`),
      "app.js": HANDLER_SOURCE,
    });
    const loaded = await loadTemplate(path.join(dir, "template.yaml"));
    expect(loaded.functions.map((f) => f.name)).toEqual(["Fn"]);
    expect(loaded.ignored).toEqual([
      { logicalId: "MyTable", type: "AWS::DynamoDB::Table" },
      { logicalId: "Queue", type: "AWS::SQS::Queue" },
    ]);
    expect(loaded.warnings).toEqual([
      "Ignoring resource MyTable (AWS::DynamoDB::Table): Dormouse runs functions only",
      "Ignoring resource Queue (AWS::SQS::Queue): Dormouse runs functions only",
    ]);
  });

  it("skips a function whose Condition is false, and warns about unknown tags", async () => {
    const dir = project({
      "template.yaml": sam(`Conditions:
  Never: !Equals [a, b]
Resources:
  On:
    Type: AWS::Serverless::Function
    Properties: { Handler: app.handler, Runtime: nodejs20.x, Tags: { x: !Custom y } }
  Off:
    Type: AWS::Serverless::Function
    Condition: Never
    Properties: { Handler: missing.handler, Runtime: nodejs20.x }
`),
      "app.js": HANDLER_SOURCE,
    });
    const loaded = await loadTemplate(path.join(dir, "template.yaml"));
    expect(loaded.functions.map((f) => f.name)).toEqual(["On"]);
    expect(loaded.warnings).toHaveLength(2);
    expect(loaded.warnings[0]).toMatch(/template\.yaml at line \d+, column \d+: Unresolved tag: !Custom/);
    expect(loaded.warnings[1]).toBe("Skipping resource Off: its condition Never is false");
  });

  it.each(["nodejs20.x", "nodejs22.x", "nodejs24.x"])("accepts runtime %s", async (runtime) => {
    const dir = project({
      "template.yaml": sam(`Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Handler: app.handler, Runtime: ${runtime} }
`),
      "app.js": HANDLER_SOURCE,
    });
    const { functions } = await loadTemplate(path.join(dir, "template.yaml"));
    expect(functions[0]!.runtime).toBe(runtime);
  });

  it.each(HANDLER_EXTENSIONS)("finds a handler module with extension %s", async (extension) => {
    const dir = project({
      "template.yaml": sam(`Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Handler: src/handlers/app.v2.main, Runtime: nodejs20.x, CodeUri: code }
`),
      [`code/src/handlers/app.v2${extension}`]: HANDLER_SOURCE,
    });
    const { functions } = await loadTemplate(path.join(dir, "template.yaml"));
    expect(functions[0]).toMatchObject({
      codeDir: path.join(dir, "code"),
      handlerFile: path.join(dir, `code/src/handlers/app.v2${extension}`),
      handlerExport: "main",
      handler: "src/handlers/app.v2.main",
    });
  });

  it("prefers TypeScript source over JavaScript next to it", async () => {
    const dir = project({
      "template.yaml": sam(`Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Handler: app.handler, Runtime: nodejs20.x }
`),
      "app.js": HANDLER_SOURCE,
      "app.mts": HANDLER_SOURCE,
    });
    const { functions } = await loadTemplate(path.join(dir, "template.yaml"));
    expect(functions[0]!.handlerFile).toBe(path.join(dir, "app.mts"));
  });

  it("reads AWS::Lambda::Function with a local Code path, without Globals", async () => {
    const dir = project({
      "template.json": JSON.stringify({
        Globals: { Function: { Timeout: 99, Runtime: "nodejs22.x" } },
        Resources: {
          Raw: {
            Type: "AWS::Lambda::Function",
            Properties: {
              FunctionName: { "Fn::Join": ["-", ["raw", { Ref: "AWS::Region" }]] },
              Handler: "index.handler",
              Runtime: "nodejs24.x",
              Code: "./dist",
              MemorySize: "2048",
              DurableConfig: { ExecutionTimeout: 31622400, RetentionPeriodInDays: 90 },
            },
          },
        },
      }),
      "dist/index.cjs": HANDLER_SOURCE,
    });
    const { functions } = await loadTemplate(path.join(dir, "template.json"));
    expect(functions).toEqual([
      expect.objectContaining({
        name: "raw-us-east-1",
        runtime: "nodejs24.x",
        codeDir: path.join(dir, "dist"),
        handlerFile: path.join(dir, "dist/index.cjs"),
        timeoutSeconds: 3,
        memoryMb: 2048,
        durable: { executionTimeoutSeconds: 31622400, retentionDays: 90 },
      }),
    ]);
  });

  it("resolves a relative template path against the working directory", async () => {
    const dir = project({
      "t.yml": sam(`Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Handler: app.handler, Runtime: nodejs20.x }
`),
      "app.js": HANDLER_SOURCE,
    });
    const relative = path.relative(process.cwd(), path.join(dir, "t.yml"));
    const loaded = await loadTemplate(relative);
    expect(loaded.file).toBe(path.join(dir, "t.yml"));
    expect(loaded.functions[0]!.codeDir).toBe(dir);
  });
});
