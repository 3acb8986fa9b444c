import { describe, expect, it } from "vitest";
import { mapResponse } from "./responses.js";
import type { MappedResponse } from "./responses.js";

function ok(mapped: MappedResponse) {
  if (!mapped.ok) throw new Error(`expected a response, got: ${mapped.reason}`);
  return { ...mapped.response, text: mapped.response.body.toString("utf8") };
}

describe("payload format 2.0 responses", () => {
  it("sends a value without statusCode as 200 application/json", () => {
    for (const payload of ['{"a":1}', "[1,2]", '"text"', "42", "null"]) {
      const r = ok(mapResponse(payload, "2.0"));
      expect(r).toMatchObject({
        statusCode: 200,
        headers: [["content-type", "application/json"]],
        text: payload,
      });
    }
    expect(ok(mapResponse("", "2.0")).text).toBe("null");
  });

  it("uses statusCode, headers, cookies and body of a structured response", () => {
    const r = ok(
      mapResponse(
        JSON.stringify({
          statusCode: 201,
          headers: { "Content-Type": "text/html", "X-Count": 3, "Content-Length": "999" },
          cookies: ["a=1", "b=2; HttpOnly"],
          body: "<p>hi</p>",
        }),
        "2.0",
      ),
    );
    expect(r.statusCode).toBe(201);
    expect(r.headers).toEqual([
      ["content-type", "text/html"],
      ["x-count", "3"],
      ["set-cookie", "a=1"],
      ["set-cookie", "b=2; HttpOnly"],
    ]);
    expect(r.text).toBe("<p>hi</p>");
  });

  it("decodes a base64 body", () => {
    const r = ok(
      mapResponse(JSON.stringify({ statusCode: 200, body: "AAH/", isBase64Encoded: true }), "2.0"),
    );
    expect([...r.body]).toEqual([0, 1, 255]);
  });

  it.each([
    [{ statusCode: "abc" }, "statusCode must be an integer"],
    [{ statusCode: 700 }, "between 100 and 599"],
    [{ statusCode: 200, body: { a: 1 } }, "body must be a string"],
    [{ statusCode: 200, headers: { "x-a": { b: 1 } } }, "headers.x-a must be a string"],
    [{ statusCode: 200, headers: { "bad name": "x" } }, "invalid header name"],
    [{ statusCode: 200, cookies: "a=1" }, "cookies must be a list"],
    [{ statusCode: 200, body: "%%%", isBase64Encoded: true }, "not valid base64"],
  ])("calls %j malformed", (value, reason) => {
    const mapped = mapResponse(JSON.stringify(value), "2.0");
    expect(mapped.ok).toBe(false);
    expect(mapped.ok ? "" : mapped.reason).toContain(reason);
  });
});

describe("payload format 1.0 responses", () => {
  it("needs statusCode; merges multiValueHeaders over headers", () => {
    expect(mapResponse('{"a":1}', "1.0").ok).toBe(false);
    expect(mapResponse('"text"', "1.0").ok).toBe(false);
    const r = ok(
      mapResponse(
        JSON.stringify({
          statusCode: "204",
          headers: { "X-A": "single", "X-B": "b" },
          multiValueHeaders: { "X-A": ["1", "2"] },
          cookies: ["ignored=1"],
        }),
        "1.0",
      ),
    );
    expect(r.statusCode).toBe(204);
    expect(r.headers).toEqual([
      ["x-b", "b"],
      ["x-a", "1"],
      ["x-a", "2"],
    ]);
    expect(r.body.length).toBe(0);
  });
});
