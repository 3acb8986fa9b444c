import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadTemplate } from "./load-template.js";
import { HANDLER_SOURCE, expectTemplateError, useTempProjects } from "./test-support.js";

const project = useTempProjects();

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: { Type: String, Default: dev, AllowedValues: [dev, prod] }
  TimeoutSeconds: { Type: Number, Default: 300, MinValue: 1, MaxValue: 3600 }
  Zones: { Type: CommaDelimitedList, Default: "a,b" }
  Owner: { Type: String, AllowedPattern: "[a-z]+", MaxLength: 8 }
  Unused: { Type: String, Default: x }
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub "orders-\${Stage}"
      Handler: app.handler
      Runtime: nodejs20.x
      Timeout: 30
      Environment:
        Variables:
          TIMEOUT_SECONDS: !Ref TimeoutSeconds
          SECOND_ZONE: !Select [1, !Ref Zones]
          OWNER: !If [HasOwner, !Ref Owner, nobody]
Conditions:
  HasOwner: !Equals [true, true]
`;

async function load(overrides: Record<string, string>) {
  const dir = project({ "template.yaml": TEMPLATE, "app.js": HANDLER_SOURCE });
  const file = path.join(dir, "template.yaml");
  return { file, loaded: loadTemplate(file, { parameterOverrides: overrides }) };
}

describe("loadTemplate with parameter overrides", () => {
  it("uses an override in place of the Default, everywhere the parameter is referenced", async () => {
    const { loaded } = await load({ Stage: "prod", TimeoutSeconds: "2", Zones: "x,y,z", Owner: "ada" });
    const [fn] = (await loaded).functions;
    expect(fn!.name).toBe("orders-prod");
    expect(fn!.environment).toEqual({ TIMEOUT_SECONDS: "2", SECOND_ZONE: "y", OWNER: "ada" });
  });

  it("gives a parameter without a Default its value", async () => {
    const dir = project({ "template.yaml": TEMPLATE, "app.js": HANDLER_SOURCE });
    const file = path.join(dir, "template.yaml");
    // Without an override the parameter has no value, and the error says how to give one.
    await expectTemplateError(
      loadTemplate(file),
      { file, resource: "Orders", field: "Environment.Variables.OWNER" },
      "parameter Owner has no Default; give it one, or a value with --parameter-overrides Owner=<value>",
    );
    const { functions } = await loadTemplate(file, { parameterOverrides: { Owner: "grace" } });
    expect(functions[0]!.environment.OWNER).toBe("grace");
  });

  it("refuses a name the template does not declare, listing the declared ones", async () => {
    const { file, loaded } = await load({ Owner: "ada", Stgae: "prod" });
    await expectTemplateError(
      loaded,
      { file, field: "Parameters" },
      "has no parameter Stgae (given as a parameter override); declared: Stage, TimeoutSeconds, Zones, Owner, Unused",
    );
  });

  it.each([
    [{ Stage: "test" }, "Stage", `"test" is not one of AllowedValues dev, prod`],
    [{ TimeoutSeconds: "five" }, "TimeoutSeconds", `"five" is not a number (Type Number)`],
    [{ TimeoutSeconds: "0" }, "TimeoutSeconds", "0 is below MinValue 1"],
    [{ TimeoutSeconds: "7200" }, "TimeoutSeconds", "7200 is above MaxValue 3600"],
    [{ Owner: "Ada" }, "Owner", `"Ada" does not match AllowedPattern [a-z]+`],
    [{ Owner: "abcdefghij" }, "Owner", "it is longer than MaxLength 8"],
  ])("refuses %j: the value breaks the parameter's constraints", async (overrides, name, detail) => {
    const { file, loaded } = await load({ Owner: "ada", ...overrides });
    const value = Object.values(overrides)[0]!;
    await expectTemplateError(
      loaded,
      { file, field: `Parameters.${name}` },
      `does not allow the override ${JSON.stringify(value)}: ${detail}`,
    );
  });

  it("says so when the template declares no parameters at all", async () => {
    const dir = project({
      "template.yaml": `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Handler: app.handler, Runtime: nodejs20.x }
`,
      "app.js": HANDLER_SOURCE,
    });
    const file = path.join(dir, "template.yaml");
    await expectTemplateError(
      loadTemplate(file, { parameterOverrides: { Stage: "prod" } }),
      { file, field: "Parameters" },
      "has no parameter Stage (given as a parameter override); the template declares no parameters",
    );
  });
});
