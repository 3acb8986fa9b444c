import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { cfnYamlTags } from "./cfn-yaml-tags.js";

const read = (text: string): unknown => parse(text, { customTags: cfnYamlTags });

describe("CloudFormation short-form tags", () => {
  it.each([
    ["!Ref Stage", { Ref: "Stage" }],
    ["!Condition IsProd", { Condition: "IsProd" }],
    ["!GetAtt Orders.Arn", { "Fn::GetAtt": ["Orders", "Arn"] }],
    ["!GetAtt Db.Endpoint.Address", { "Fn::GetAtt": ["Db", "Endpoint.Address"] }],
    ["!GetAtt [Orders, Arn]", { "Fn::GetAtt": ["Orders", "Arn"] }],
    ["!Sub '${AWS::Region}-x'", { "Fn::Sub": "${AWS::Region}-x" }],
    ["!Sub ['${A}', { A: b }]", { "Fn::Sub": ["${A}", { A: "b" }] }],
    ["!Join [',', [a, b]]", { "Fn::Join": [",", ["a", "b"]] }],
    ["!If [C, a, b]", { "Fn::If": ["C", "a", "b"] }],
    ["!Select [0, [a]]", { "Fn::Select": [0, ["a"]] }],
    ["!Split [',', 'a,b']", { "Fn::Split": [",", "a,b"] }],
    ["!FindInMap [M, k, v]", { "Fn::FindInMap": ["M", "k", "v"] }],
    ["!ImportValue Shared", { "Fn::ImportValue": "Shared" }],
    ["!Base64 text", { "Fn::Base64": "text" }],
    ["!GetAZs ''", { "Fn::GetAZs": "" }],
    ["!Equals [a, b]", { "Fn::Equals": ["a", "b"] }],
    ["!Not [!Condition C]", { "Fn::Not": [{ Condition: "C" }] }],
    ["!And [!Condition A, !Condition B]", { "Fn::And": [{ Condition: "A" }, { Condition: "B" }] }],
    ["!Or [!Condition A, !Condition B]", { "Fn::Or": [{ Condition: "A" }, { Condition: "B" }] }],
    ["!Cidr ['10.0.0.0/16', 4, 8]", { "Fn::Cidr": ["10.0.0.0/16", 4, 8] }],
    ["!Base64 { 'Fn::Sub': x }", { "Fn::Base64": { "Fn::Sub": "x" } }],
  ])("%s", (source, expected) => {
    expect(read(`value: ${source}`)).toEqual({ value: expected });
  });

  it("nests, and keeps anchors and aliases working", () => {
    const parsed = read(
      [
        "a: &shared !Join ['-', [!Ref Stage, !GetAtt Fn.Arn]]",
        "b: *shared",
        "c: !Sub",
        "  - '${X}'",
        "  - X: !Ref Y",
      ].join("\n"),
    );
    const join = { "Fn::Join": ["-", [{ Ref: "Stage" }, { "Fn::GetAtt": ["Fn", "Arn"] }]] };
    expect(parsed).toEqual({ a: join, b: join, c: { "Fn::Sub": ["${X}", { X: { Ref: "Y" } }] } });
  });
});
