import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadTemplate } from "./load-template.js";
import { HANDLER_SOURCE, expectTemplateError, useTempProjects } from "./test-support.js";

const project = useTempProjects();

function sam(resources: string, extra = ""): Record<string, string> {
  return {
    "template.yaml": `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
${extra}Resources:
${resources}`,
    "app.js": HANDLER_SOURCE,
  };
}

async function load(files: Record<string, string>) {
  const dir = project(files);
  const file = path.join(dir, "template.yaml");
  return { file, loaded: await loadTemplate(file) };
}

describe("HTTP triggers in a template", () => {
  it("reads HttpApi and Api events and FunctionUrlConfig, targeting the AutoPublishAlias", async () => {
    const { loaded } = await load(
      sam(`  Orders:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: orders-api
      Handler: app.handler
      AutoPublishAlias: live
      FunctionUrlConfig:
        AuthType: NONE
      Events:
        GetOrder:
          Type: HttpApi
          Properties:
            ApiId: !Ref SomeApi
            Path: /orders/{id}
            Method: get
        Legacy:
          Type: HttpApi
          Properties: { Path: "/legacy", Method: "*", PayloadFormatVersion: "1.0" }
        Rest:
          Type: Api
          Properties: { Path: "/rest/{proxy+}", Method: any }
        CatchAll:
          Type: HttpApi
        Queue:
          Type: SQS
          Properties: { Queue: !GetAtt Q.Arn }
  SomeApi:
    Type: AWS::Serverless::HttpApi
`),
    );
    const target = { functionName: "orders-api", resource: "Orders", qualifier: "live" };
    expect(loaded.triggers).toEqual([
      {
        kind: "HttpApi",
        ...target,
        event: "GetOrder",
        method: "GET",
        path: "/orders/{id}",
        payloadFormat: "2.0",
      },
      { kind: "HttpApi", ...target, event: "Legacy", method: "ANY", path: "/legacy", payloadFormat: "1.0" },
      { kind: "Api", ...target, event: "Rest", method: "ANY", path: "/rest/{proxy+}", payloadFormat: "1.0" },
      {
        kind: "HttpApi",
        ...target,
        event: "CatchAll",
        method: "ANY",
        path: "$default",
        payloadFormat: "2.0",
      },
      { kind: "FunctionUrl", ...target, authType: "NONE" },
    ]);
    // The API resource is served through the events: no "ignoring" warning for it.
    expect(loaded.warnings).toEqual([
      "Ignoring event Queue (SQS) of resource Orders: Dormouse serves HttpApi, Api and function URLs",
    ]);
  });

  it("reads an AWS::Lambda::Url resource and warns that AWS_IAM is not checked", async () => {
    const { loaded } = await load(
      sam(`  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs20.x
      Code: .
  WorkerUrl:
    Type: AWS::Lambda::Url
    Properties:
      TargetFunctionArn: !GetAtt Worker.Arn
      AuthType: AWS_IAM
`),
    );
    expect(loaded.triggers).toEqual([
      { kind: "FunctionUrl", functionName: "Worker", resource: "WorkerUrl", authType: "AWS_IAM" },
    ]);
    expect(loaded.warnings).toEqual([
      "Function URL of WorkerUrl has AuthType AWS_IAM: Dormouse serves it without checking signatures",
    ]);
  });

  it("names both resources when two functions declare the same route", async () => {
    const files = sam(`  A:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Events:
        Get: { Type: HttpApi, Properties: { Path: "/orders/{id}", Method: GET } }
  B:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Events:
        Fetch: { Type: Api, Properties: { Path: "/orders/{orderId}", Method: get } }
`);
    const dir = project(files);
    const file = path.join(dir, "template.yaml");
    await expectTemplateError(
      loadTemplate(file),
      { file, resource: "B", field: "Events.Fetch" },
      "route GET /orders/{orderId} conflicts with the same route of resource A (event Get)",
    );
  });

  it.each([
    [
      "{ Type: HttpApi, Properties: { Path: orders, Method: GET } }",
      "Events.E.Properties.Path",
      "must start with /",
    ],
    [
      "{ Type: HttpApi, Properties: { Path: /x, Method: FETCH } }",
      "Events.E.Properties.Method",
      "must be GET, POST",
    ],
    ["{ Type: HttpApi, Properties: { Path: /x } }", "Events.E.Properties.Method", "is missing"],
    ["{ Type: Api, Properties: { Method: GET } }", "Events.E.Properties.Path", "is missing"],
    [
      '{ Type: Api, Properties: { Path: "$default", Method: GET } }',
      "Events.E.Properties.Path",
      "only on HttpApi",
    ],
    [
      '{ Type: HttpApi, Properties: { Path: /x, Method: GET, PayloadFormatVersion: "3.0" } }',
      "Events.E.Properties.PayloadFormatVersion",
      'must be "1.0" or "2.0"',
    ],
    [
      "{ Type: Api, Properties: { Path: /x, Method: GET, PayloadFormatVersion: '2.0' } }",
      "Events.E.Properties.PayloadFormatVersion",
      "HttpApi events only",
    ],
    [
      '{ Type: HttpApi, Properties: { Path: "/{a+}/b", Method: GET } }',
      "Events.E.Properties.Path",
      "only at the end",
    ],
  ])("reports a bad event %s at %s", async (event, field, message) => {
    const dir = project(
      sam(`  F:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Events:
        E: ${event}
`),
    );
    const file = path.join(dir, "template.yaml");
    await expectTemplateError(loadTemplate(file), { file, resource: "F", field }, message);
  });

  it("reports a FunctionUrlConfig without a valid AuthType", async () => {
    const dir = project(
      sam(`  F:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      FunctionUrlConfig: { AuthType: OPEN }
`),
    );
    const file = path.join(dir, "template.yaml");
    await expectTemplateError(
      loadTemplate(file),
      { file, resource: "F", field: "FunctionUrlConfig.AuthType" },
      'must be NONE or AWS_IAM (got "OPEN")',
    );
  });
});
