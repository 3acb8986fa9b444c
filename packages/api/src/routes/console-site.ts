// The console web app: the files `vite build` wrote to packages/console/dist, served at `/`.
// Hashed assets (assets/*-<hash>.js) never change, so browsers keep them for a year; everything else,
// index.html above all, is revalidated on each load so a rebuilt console shows up at once.
// Unknown non-API paths that a browser asks for as a page get index.html (the app routes itself),
// and without a build `/` explains how to make one. API paths are never answered with HTML.
import { readFile } from "node:fs/promises";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import { CONSOLE_API_PREFIX } from "@dormouse/protocol";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

const IMMUTABLE = "public, max-age=31536000, immutable";
const REVALIDATE = "no-cache";

/** The Lambda REST API's paths start with an API version date (`/2015-03-31/…`, `/2025-12-01/…`). */
const LAMBDA_API_PATH = /^\/\d{4}-\d{2}-\d{2}(?:\/|$)/;

export function isApiPath(pathname: string): boolean {
  return (
    LAMBDA_API_PATH.test(pathname) ||
    pathname === CONSOLE_API_PREFIX ||
    pathname.startsWith(`${CONSOLE_API_PREFIX}/`)
  );
}

export interface ConsoleSite {
  /**
   * Called for requests no route matched: answers the ones a browser makes for a page of the app
   * and returns true, or returns false and leaves the reply alone.
   */
  fallback(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
}

/** Serves `dir` (an absolute path, which need not exist yet: a build made later is picked up). */
export function registerConsoleSite(app: FastifyInstance, dir: string): ConsoleSite {
  const root = path.resolve(dir);
  const assets = path.join(root, "assets") + path.sep;

  void app.register(fastifyStatic, {
    root,
    prefix: "/",
    wildcard: true,
    index: ["index.html"],
    dotfiles: "ignore",
    cacheControl: false,
    decorateReply: false,
    suppressWarning: true,
    // API paths fall through to the not-found handler, which answers them in the API's error shape.
    allowedPath: (pathname) => !isApiPath(pathname),
    setHeaders: (reply, file) => {
      reply.header("cache-control", file.startsWith(assets) ? IMMUTABLE : REVALIDATE);
    },
  });

  return {
    async fallback(request, reply) {
      if (request.method !== "GET" && request.method !== "HEAD") return false;
      const pathname = request.url.split("?")[0] ?? "/";
      if (isApiPath(pathname)) return false;
      const wantsPage = pathname === "/" || (request.headers.accept ?? "").includes("text/html");
      if (!wantsPage) return false;
      let html: string;
      try {
        html = await readFile(path.join(root, "index.html"), "utf8");
      } catch {
        html = notBuiltPage(root);
      }
      await reply.code(200).header("cache-control", REVALIDATE).type("text/html; charset=utf-8").send(html);
      return true;
    },
  };
}

function notBuiltPage(root: string): string {
  const escaped = root.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Dormouse</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>Dormouse is running</h1>
<p>The web console is not built yet (no <code>index.html</code> in <code>${escaped}</code>).
Build it once with</p>
<pre>npm run build -w @dormouse/console</pre>
<p>and reload this page. The API works without it: the Lambda API under
<code>/2015-03-31/</code> and <code>/2025-12-01/</code>, the console's under <code>${CONSOLE_API_PREFIX}/</code>.</p>
</body>
</html>
`;
}
