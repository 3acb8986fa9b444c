// The built console at `/`: files with caching by kind, the SPA fallback for page requests, the
// "not built" page, and the APIs untouched by any of it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createApi } from "../app.js";
import { ARN, ENCODED_ARN, awsError, fakeService } from "../test-service.js";

const INDEX = '<!doctype html><div id="root"></div><script src="/assets/index-Bx1c9.js"></script>';

const dirs: string[] = [];
const apps: ReturnType<typeof createApi>[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function distDir(build: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dormouse-console-dist-"));
  dirs.push(dir);
  const dist = path.join(dir, "dist");
  if (build) writeBuild(dist);
  return dist;
}

function writeBuild(dist: string): void {
  fs.mkdirSync(path.join(dist, "assets"), { recursive: true });
  fs.writeFileSync(path.join(dist, "index.html"), INDEX);
  fs.writeFileSync(path.join(dist, "assets", "index-Bx1c9.js"), "console.log('app')");
  fs.writeFileSync(path.join(dist, "favicon.svg"), "<svg/>");
  fs.writeFileSync(path.join(dist, ".env"), "SECRET=1");
}

function setup(consoleDir: string) {
  const app = createApi({ service: fakeService(), consoleDir });
  apps.push(app);
  return app;
}

const HTML = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };

describe("the console site", () => {
  it("serves index.html at / and revalidates it", async () => {
    const app = setup(distDir(true));
    const res = await app.inject({ method: "GET", url: "/" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.body).toBe(INDEX);
    const again = await app.inject({
      method: "GET",
      url: "/",
      headers: { "if-none-match": String(res.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });

  it("lets browsers keep hashed assets for a year, other files only with revalidation", async () => {
    const app = setup(distDir(true));
    const asset = await app.inject({ method: "GET", url: "/assets/index-Bx1c9.js" });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers["content-type"]).toMatch(/javascript/);
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const icon = await app.inject({ method: "GET", url: "/favicon.svg" });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers["cache-control"]).toBe("no-cache");
    expect((await app.inject({ method: "HEAD", url: "/assets/index-Bx1c9.js" })).statusCode).toBe(200);
  });

  it("answers page requests for the app's own paths with index.html", async () => {
    const app = setup(distDir(true));
    for (const url of ["/executions", `/executions/${ENCODED_ARN}?tab=events`, "/functions/orders"]) {
      const res = await app.inject({ method: "GET", url, headers: HTML });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers["cache-control"]).toBe("no-cache");
      expect(res.body).toBe(INDEX);
    }
  });

  it("answers missing files, dotfiles and non-page requests in the API's error shape", async () => {
    const app = setup(distDir(true));
    for (const [url, headers] of [
      ["/assets/missing-123.js", {}],
      ["/executions", { accept: "application/json" }],
      ["/.env", {}],
    ] as const) {
      const res = await app.inject({ method: "GET", url, headers });
      expect(awsError(res), url).toMatchObject({ status: 404, name: "UnknownOperationException" });
    }
    for (const url of ["//etc/passwd", "/2025-12-01//durable-executions/x"]) {
      const res = await app.inject({ method: "GET", url, headers: HTML });
      expect(awsError(res), url).toMatchObject({ status: 404, name: "UnknownOperationException" });
    }
    const post = await app.inject({ method: "POST", url: "/executions", headers: HTML });
    expect(awsError(post)).toMatchObject({ status: 404, name: "UnknownOperationException" });
  });

  it("never answers API paths with HTML, and leaves the Lambda routes as they were", async () => {
    const app = setup(distDir(true));
    for (const url of [
      "/console-api/nothing",
      "/console-api",
      "/2025-12-01/nothing",
      "/2015-03-31/functions/orders/nothing",
    ]) {
      const res = await app.inject({ method: "GET", url, headers: HTML });
      expect(awsError(res), url).toEqual({
        status: 404,
        name: "UnknownOperationException",
        type: "User",
        message: `No operation matches GET ${url}`,
      });
    }
    const exec = await app.inject({
      method: "GET",
      url: `/2025-12-01/durable-executions/${ENCODED_ARN}`,
      headers: HTML,
    });
    expect(exec.statusCode).toBe(200);
    expect(JSON.parse(exec.body).DurableExecutionArn).toBe(ARN);
    const fns = await app.inject({ method: "GET", url: "/2015-03-31/functions" });
    expect(JSON.parse(fns.body).Functions).toHaveLength(2);
  });

  it("says how to build the console while there is no build, and serves it once there is", async () => {
    const dist = distDir(false);
    const app = setup(dist);
    for (const [url, headers] of [
      ["/", {}],
      ["/executions", HTML],
    ] as const) {
      const res = await app.inject({ method: "GET", url, headers });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      expect(res.body).toContain("npm run build -w @dormouse/console");
      expect(res.body).toContain(dist);
    }
    expect(awsError(await app.inject({ method: "GET", url: "/assets/index-Bx1c9.js" })).status).toBe(404);

    writeBuild(dist);
    expect((await app.inject({ method: "GET", url: "/" })).body).toBe(INDEX);
    expect((await app.inject({ method: "GET", url: "/assets/index-Bx1c9.js" })).statusCode).toBe(200);
  });
});
