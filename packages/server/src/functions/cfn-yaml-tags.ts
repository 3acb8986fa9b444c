// CloudFormation short-form intrinsics (`!Ref X`, `!GetAtt A.B`, `!Sub [...]`) are YAML tags.
// Each is mapped to its long form (`{ Ref: X }`, `{ "Fn::GetAtt": ["A", "B"] }`) while parsing,
// so the rest of the loader sees one shape, the same one a JSON template has.
import { Pair, Scalar, YAMLMap } from "yaml";
import type { CollectionTag, ScalarTag } from "yaml";

/** Short tag name → long-form key. */
const INTRINSICS: Record<string, string> = {
  Ref: "Ref",
  Condition: "Condition",
  GetAtt: "Fn::GetAtt",
  Sub: "Fn::Sub",
  Join: "Fn::Join",
  If: "Fn::If",
  Select: "Fn::Select",
  Split: "Fn::Split",
  FindInMap: "Fn::FindInMap",
  ImportValue: "Fn::ImportValue",
  Base64: "Fn::Base64",
  GetAZs: "Fn::GetAZs",
  Equals: "Fn::Equals",
  Not: "Fn::Not",
  And: "Fn::And",
  Or: "Fn::Or",
  Cidr: "Fn::Cidr",
};

function scalarTag(short: string, long: string): ScalarTag {
  return {
    tag: `!${short}`,
    // `!GetAtt Fn.Arn` splits at the first dot only: attribute names may contain dots.
    resolve: (value) => {
      if (short !== "GetAtt") return { [long]: value };
      const dot = value.indexOf(".");
      return { [long]: dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
    },
  };
}

function collectionTag(short: string, long: string, collection: "map" | "seq"): CollectionTag {
  return {
    tag: `!${short}`,
    collection,
    // Return a node rather than plain JS so anchors and aliases inside the argument still work.
    resolve: (value) => {
      const map = new YAMLMap();
      map.items.push(new Pair(new Scalar(long), value));
      return map;
    },
  };
}

/** Tags for `yaml`'s `customTags` option; every intrinsic accepts a scalar, a sequence or a map. */
export const cfnYamlTags: (ScalarTag | CollectionTag)[] = Object.entries(INTRINSICS).flatMap(
  ([short, long]) => [
    scalarTag(short, long),
    collectionTag(short, long, "seq"),
    collectionTag(short, long, "map"),
  ],
);
