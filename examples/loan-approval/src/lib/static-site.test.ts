import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { serveAsset, servePage } from "./static-site.js";

const dist = fs.mkdtempSync(path.join(os.tmpdir(), "loan-dist-"));
fs.mkdirSync(path.join(dist, "assets"));
fs.writeFileSync(path.join(dist, "index.html"), "<!doctype html><p>hi</p>");
fs.writeFileSync(path.join(dist, "assets", "app-1a2b.js"), "console.log(1)");
fs.writeFileSync(path.join(dist, "assets", "logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
fs.writeFileSync(path.join(dist, "secret.txt"), "no");
afterAll(() => fs.rmSync(dist, { recursive: true, force: true }));

describe("static site", () => {
  it("serves index.html to revalidate and hashed assets for good", () => {
    expect(servePage(dist)).toMatchObject({ statusCode: 200, body: "<!doctype html><p>hi</p>" });
    expect(servePage(dist).headers?.["cache-control"]).toBe("no-cache");
    const js = serveAsset("app-1a2b.js", dist);
    expect(js).toMatchObject({ statusCode: 200, body: "console.log(1)", isBase64Encoded: false });
    expect(js.headers?.["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(serveAsset("logo.png", dist)).toMatchObject({ body: "iVBORw==", isBase64Encoded: true });
  });

  it("serves nothing outside the assets directory", () => {
    for (const p of ["../secret.txt", "..%2Fsecret.txt", "../index.html", "missing.js", "%E0%A4%A"]) {
      expect(serveAsset(p, dist).statusCode, p).toBe(404);
    }
  });

  it("says how to build the page when it is missing", () => {
    const page = servePage(path.join(dist, "nowhere"));
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain("npm run build -w @dormouse-examples/loan-approval");
  });
});
