import path from "node:path";
import { describe, expect, it } from "vitest";
import { HANDLER_EXTENSIONS } from "./handler-file.js";
import { loadTemplate } from "./load-template.js";
import { HANDLER_SOURCE, expectTemplateError, useTempProjects } from "./test-support.js";

const project = useTempProjects();

/** Writes a template (plus app.js) and returns its path. */
function template(text: string, files: Record<string, string> = { "app.js": HANDLER_SOURCE }): string {
  return path.join(project({ "template.yaml": text, ...files }), "template.yaml");
}

/** One Serverless function `Orders` with the given extra property lines (6-space indented). */
function orders(properties: string, preamble = ""): string {
  return `${preamble}Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: orders
${properties}
`;
}

const BASE = "      Handler: app.handler\n      Runtime: nodejs20.x";

describe("loadTemplate errors", () => {
  it.each(["42", "has space", "x".repeat(129)])("reports an invalid AutoPublishAlias %s", async (alias) => {
    const file = template(orders(`${BASE}\n      AutoPublishAlias: "${alias}"`));
    await expectTemplateError(
      loadTemplate(file),
      { file, resource: "Orders", field: "AutoPublishAlias" },
      "not only digits",
    );
  });

  it("names a missing file", async () => {
    const file = path.join(project({}), "template.yaml");
    await expectTemplateError(loadTemplate(file), { file }, "template not found");
  });

  it("gives the line of a YAML syntax error", async () => {
    const file = template("Resources:\n  Orders:\n    Type: [unclosed\n");
    await expectTemplateError(loadTemplate(file), { file }, "is not valid YAML at line");
  });

  it.each([
    ["no Resources", "AWSTemplateFormatVersion: '2010-09-09'\n"],
    ["empty Resources", "Resources: {}\n"],
  ])("reports %s", async (_case, text) => {
    const file = template(text);
    await expectTemplateError(loadTemplate(file), { file, field: "Resources" }, "has no resources");
  });

  it("reports a template without functions, saying what it found", async () => {
    const file = template("Resources:\n  MyTable:\n    Type: AWS::DynamoDB::Table\n");
    await expectTemplateError(
      loadTemplate(file),
      { file, field: "Resources" },
      "has no AWS::Serverless::Function or AWS::Lambda::Function",
      "AWS::DynamoDB::Table",
    );
  });

  it("reports a resource without Type", async () => {
    const file = template("Resources:\n  Orders:\n    Properties: {}\n");
    await expectTemplateError(loadTemplate(file), { file, resource: "Orders", field: "Type" }, "is missing");
  });

  it("reports a missing Handler", async () => {
    const file = template(orders("      Runtime: nodejs20.x"));
    await expectTemplateError(
      loadTemplate(file),
      { file, resource: "Orders", field: "Handler" },
      "is missing",
    );
  });

  it.each(["app", "app.", ".handler", "src/.handler", "/abs/app.handler", "app.1x"])(
    "reports a Handler not shaped path/module.export: %s",
    async (handler) => {
      const file = template(orders(`      Handler: "${handler}"\n      Runtime: nodejs20.x`));
      await expectTemplateError(
        loadTemplate(file),
        { file, resource: "Orders", field: "Handler" },
        "must look like path/module.export",
        JSON.stringify(handler),
      );
    },
  );

  it("says which paths were tried when the handler file is missing", async () => {
    const file = template(orders("      Handler: src/app.handler\n      Runtime: nodejs20.x"));
    const dir = path.dirname(file);
    await expectTemplateError(
      loadTemplate(file),
      { file, resource: "Orders", field: "Handler" },
      "file not found",
      ...HANDLER_EXTENSIONS.map((extension) => path.join(dir, `src/app${extension}`)),
    );
  });

  it("reports a missing Runtime, pointing at Globals", async () => {
    const file = template(orders("      Handler: app.handler"));
    await expectTemplateError(
      loadTemplate(file),
      { file, resource: "Orders", field: "Runtime" },
      "is missing; set it on the function or in Globals.Function",
    );
  });

  it.each(["python3.12", "nodejs18.x", "provided.al2023"])(
    "reports unsupported runtime %s",
    async (runtime) => {
      const file = template(orders(`      Handler: app.handler\n      Runtime: ${runtime}`));
      await expectTemplateError(
        loadTemplate(file),
        { file, resource: "Orders", field: "Runtime" },
        `${runtime} of function orders is not supported`,
      );
    },
  );

  it("reports a duplicate FunctionName, naming both resources", async () => {
    const file = template(
      orders(BASE) +
        "  Again:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionName: orders\n" +
        BASE,
    );
    await expectTemplateError(
      loadTemplate(file),
      { file, resource: "Again", field: "FunctionName" },
      '"orders" is already used by resource Orders',
    );
  });

  it.each(["has space", "x".repeat(65), 12])("reports an invalid FunctionName %s", async (name) => {
    const file = template(
      orders(BASE).replace("FunctionName: orders", `FunctionName: ${JSON.stringify(name)}`),
    );
    await expectTemplateError(
      loadTemplate(file),
      { file, resource: "Orders", field: "FunctionName" },
      "must be",
    );
  });

  it.each([
    ["Timeout", '"abc"', 'must be an integer between 1 and 900 (got "abc")'],
    ["Timeout", "0", "between 1 and 900 (got 0)"],
    ["Timeout", "901", "between 1 and 900 (got 901)"],
    ["Timeout", "2.5", "between 1 and 900 (got 2.5)"],
    ["Timeout", "true", "between 1 and 900 (got true)"],
    ["MemorySize", "127", "between 128 and 10240 (got 127)"],
    ["MemorySize", "10241", "between 128 and 10240 (got 10241)"],
    ["MemorySize", "[1]", "between 128 and 10240 (got [1])"],
  ])("reports %s: %s", async (field, value, message) => {
    const file = template(orders(`${BASE}\n      ${field}: ${value}`));
    await expectTemplateError(loadTemplate(file), { file, resource: "Orders", field }, message);
  });

  it("reports a bad number that came from Globals", async () => {
    const file = template(orders(BASE, "Globals:\n  Function:\n    Timeout: 1000\n"));
    await expectTemplateError(
      loadTemplate(file),
      { file, resource: "Orders", field: "Timeout" },
      "(got 1000)",
    );
  });

  it.each([
    ["ExecutionTimeout: 0", "ExecutionTimeout", "between 1 and 31622400 (got 0)"],
    ["ExecutionTimeout: 31622401", "ExecutionTimeout", "between 1 and 31622400 (got 31622401)"],
    ["ExecutionTimeout: soon", "ExecutionTimeout", '(got "soon")'],
    [
      "{ ExecutionTimeout: 60, RetentionPeriodInDays: 0 }",
      "RetentionPeriodInDays",
      "between 1 and 90 (got 0)",
    ],
    [
      "{ ExecutionTimeout: 60, RetentionPeriodInDays: 91 }",
      "RetentionPeriodInDays",
      "between 1 and 90 (got 91)",
    ],
    ["{ RetentionPeriodInDays: 7 }", "ExecutionTimeout", "is required when DurableConfig is present"],
  ])("reports DurableConfig %s", async (config, field, message) => {
    const value = config.startsWith("{") ? config : `{ ${config} }`;
    const file = template(orders(`${BASE}\n      DurableConfig: ${value}`));
    await expectTemplateError(
      loadTemplate(file),
      { file, resource: "Orders", field: `DurableConfig.${field}` },
      message,
    );
  });

  it("reports a DurableConfig that is not a map", async () => {
    const file = template(orders(`${BASE}\n      DurableConfig: 3600`));
    await expectTemplateError(
      loadTemplate(file),
      { file, resource: "Orders", field: "DurableConfig" },
      "must be a map",
    );
  });

  it.each([
    ["Variables: [A, B]", "Environment.Variables", 'must be a map of names to values (got ["A","B"])'],
    ["Variables: text", "Environment.Variables", "must be a map of names to values"],
    ["Variables: { A: { nested: 1 } }", "Environment.Variables.A", "must be a string, number or boolean"],
    ["Variables: { A: null }", "Environment.Variables.A", "(got null)"],
    ["Variables: { 1A: x }", "Environment.Variables", 'has the invalid name "1A"'],
  ])("reports Environment %s", async (environment, field, message) => {
    const file = template(orders(`${BASE}\n      Environment: { ${environment} }`));
    await expectTemplateError(loadTemplate(file), { file, resource: "Orders", field }, message);
  });

  it.each([
    ["CodeUri: s3://bucket/key.zip", "CodeUri", "must be a local directory; S3 locations are not supported"],
    ["CodeUri: { Bucket: b, Key: k }", "CodeUri", "(got Bucket, Key)"],
    ["CodeUri: nowhere", "CodeUri", "must be an existing directory"],
    ["CodeUri: app.js", "CodeUri", "must be an existing directory"],
    ["InlineCode: exports.handler = 1", "InlineCode", "is not supported"],
    ["PackageType: Image", "PackageType", "Image is not supported"],
  ])("reports code location %s", async (line, field, message) => {
    const file = template(orders(`${BASE}\n      ${line}`));
    await expectTemplateError(loadTemplate(file), { file, resource: "Orders", field }, message);
  });

  it.each([
    [["Code: { ZipFile: 'exports.handler = 1' }", "Runtime: nodejs20.x"], "Code", "ZipFile, S3 and image"],
    [["Code: { S3Bucket: b, S3Key: k }", "Runtime: nodejs20.x"], "Code", "(got S3Bucket, S3Key)"],
    [["Runtime: nodejs20.x"], "Code", "is missing; set it to a local directory"],
    [["Code: ."], "Runtime", "is missing"],
  ])("reports AWS::Lambda::Function %j", async (lines, field, message) => {
    const properties = ["Handler: app.handler", ...lines].map((line) => `      ${line}\n`).join("");
    const file = template(
      `Resources:\n  Raw:\n    Type: AWS::Lambda::Function\n    Properties:\n${properties}`,
    );
    const error = await expectTemplateError(loadTemplate(file), { file, resource: "Raw", field }, message);
    if (field === "Runtime") expect(error.message).not.toContain("Globals");
  });

  it.each([
    ["!Ref MyTable", "!Ref MyTable (MyTable has type AWS::DynamoDB::Table; only parameters and functions"],
    ["!GetAtt MyTable.Arn", "!GetAtt MyTable.Arn (MyTable has type AWS::DynamoDB::Table"],
    ["!GetAtt Orders.FunctionUrl", "!GetAtt Orders.FunctionUrl (only the Arn attribute"],
    ["!Ref Nothing", "!Ref Nothing (Nothing is not a parameter, pseudo parameter or resource"],
    ["!Ref NoDefault", "!Ref NoDefault (parameter NoDefault has no Default"],
    ["!Ref AWS::Bogus", "!Ref AWS::Bogus (AWS::Bogus is not a known pseudo parameter)"],
    ["!ImportValue Shared", '!ImportValue "Shared" (Dormouse deploys no stack'],
    ['!Sub "${MyTable}-x"', '!Sub "${MyTable}-x" (MyTable has type AWS::DynamoDB::Table'],
    ["!Join [',', !Ref Stage]", "expected a list"],
    ["!Join ['-', [!Ref MyTable, x]]", "!Ref MyTable (MyTable has type"],
    ["!Select [5, [a]]", "index 5 is outside a list of 1"],
    ["!FindInMap [Sizes, prod, memory]", "Mappings has no Sizes.prod.memory"],
    ["!Equals [a, b]", "only allowed in Conditions"],
    ["!If [Unknown, a, b]", "condition Unknown is not defined in Conditions"],
    ["!Ref Orders.Alias", "!Ref Orders.Alias (Orders has no AutoPublishAlias"],
    ["!Ref Orders.Version", "Orders.Version is only known once the version is published"],
    ["!Ref Orders.Url", "a function has no Url to reference"],
  ])("names the file, resource, property path and intrinsic for %s", async (intrinsic, message) => {
    const preamble = `Parameters:
  Stage: { Type: String, Default: dev }
  NoDefault: { Type: String }
Mappings:
  Sizes: { dev: { memory: 256 } }
`;
    const file = template(
      orders(`${BASE}\n      Environment:\n        Variables:\n          TABLE: ${intrinsic}`, preamble) +
        "  MyTable:\n    Type: AWS::DynamoDB::Table\n",
    );
    await expectTemplateError(
      loadTemplate(file),
      { file, resource: "Orders", field: "Environment.Variables.TABLE" },
      "cannot be resolved",
      message,
    );
  });

  it("reports a condition that is not a condition function, at its own location", async () => {
    const file = template(orders(`${BASE}\n      Timeout: !If [Odd, 5, 6]`, "Conditions:\n  Odd: yes\n"));
    await expectTemplateError(loadTemplate(file), { file, field: "Conditions.Odd" }, "is not a condition");
  });

  it("reports a resource Condition that is not defined", async () => {
    const file = template(orders(BASE).replace("    Properties:", "    Condition: Missing\n    Properties:"));
    await expectTemplateError(
      loadTemplate(file),
      { file, resource: "Orders", field: "Condition" },
      "refers to condition Missing, which is not defined in Conditions",
    );
  });

  it("reports a FunctionName that refers to itself", async () => {
    const file = template(orders(BASE).replace("FunctionName: orders", "FunctionName: !Sub '${Orders}-x'"));
    await expectTemplateError(
      loadTemplate(file),
      { file, resource: "Orders", field: "FunctionName" },
      "refers to itself",
    );
  });

  it("uses the path as given in messages and on the error", async () => {
    const absolute = template("Resources: {}\n");
    const relative = path.relative(process.cwd(), absolute);
    const error = await expectTemplateError(loadTemplate(relative), { file: relative, field: "Resources" });
    expect(error.message.startsWith(`${relative}: Resources has no resources`)).toBe(true);
  });
});
