// Serves the built web page (frontend/dist, written by `vite build`) from the function's own code,
// the way it is packaged with it. Assets have content hashes in their names, so they are cached for
// good; index.html is revalidated so a new build shows at once.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { HttpResponse } from "./http.js";

export const DIST_DIR = fileURLToPath(new URL("../../frontend/dist/", import.meta.url));

const TYPES: Record<string, { type: string; text: boolean }> = {
  ".html": { type: "text/html; charset=utf-8", text: true },
  ".js": { type: "text/javascript; charset=utf-8", text: true },
  ".css": { type: "text/css; charset=utf-8", text: true },
  ".json": { type: "application/json; charset=utf-8", text: true },
  ".map": { type: "application/json; charset=utf-8", text: true },
  ".svg": { type: "image/svg+xml", text: true },
  ".txt": { type: "text/plain; charset=utf-8", text: true },
  ".png": { type: "image/png", text: false },
  ".jpg": { type: "image/jpeg", text: false },
  ".ico": { type: "image/x-icon", text: false },
  ".woff2": { type: "font/woff2", text: false },
  ".woff": { type: "font/woff", text: false },
};

function notFound(what: string): HttpResponse {
  return {
    statusCode: 404,
    headers: { "content-type": "text/plain; charset=utf-8" },
    body: `Not found: ${what}\n`,
  };
}

export function servePage(distDir = DIST_DIR): HttpResponse {
  const file = path.join(distDir, "index.html");
  if (!fs.existsSync(file)) {
    return {
      statusCode: 503,
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
      body:
        "<!doctype html><title>Loan approval</title><h1>The page is not built yet</h1>" +
        "<p>Run <code>npm run build -w @dormouse-examples/loan-approval</code> (or start the example " +
        "with <code>npm run example:loan-approval</code>, which builds it first).</p>",
    };
  }
  return {
    statusCode: 200,
    headers: { "content-type": TYPES[".html"]!.type, "cache-control": "no-cache" },
    body: fs.readFileSync(file, "utf8"),
  };
}

/** `proxy` is the part after /assets/, as the route's `{proxy+}` gives it. */
export function serveAsset(proxy: string, distDir = DIST_DIR): HttpResponse {
  const root = path.join(distDir, "assets");
  let relative: string;
  try {
    relative = decodeURIComponent(proxy);
  } catch {
    return notFound(proxy);
  }
  const file = path.resolve(root, relative);
  // Nothing outside the assets directory, however the path is spelled.
  if (!file.startsWith(root + path.sep) || relative.split(/[\\/]/).includes("..")) return notFound(proxy);
  const kind = TYPES[path.extname(file).toLowerCase()] ?? { type: "application/octet-stream", text: false };
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return notFound(proxy);
  }
  return {
    statusCode: 200,
    headers: { "content-type": kind.type, "cache-control": "public, max-age=31536000, immutable" },
    body: kind.text ? bytes.toString("utf8") : bytes.toString("base64"),
    isBase64Encoded: !kind.text,
  };
}
