// Loading handlers of every module flavour and turning what they do into outcomes.
import { describe, expect, it } from "vitest";
import type { InvokeOutcome } from "./types.js";
import { FIXTURES, fixture, request, withRuntime } from "./test-support.js";

function returned(o: InvokeOutcome): unknown {
  if (o.kind !== "returned") throw new Error(`expected a return, got ${JSON.stringify(o.error)}`);
  return o.payload === "" ? undefined : JSON.parse(o.payload);
}

function failed(o: InvokeOutcome) {
  if (o.kind !== "error") throw new Error(`expected an error, got ${o.payload}`);
  return o.error;
}

describe("handlers", () => {
  it("passes the event and a Lambda context, and returns the JSON result", () =>
    withRuntime(async (rt) => {
      const req = request({ hello: "world" }, { tenantId: "tenant-a", timeoutMs: 20_000 });
      const out = returned(await rt.invoke(fixture("echo.mjs"), req)) as Record<string, unknown>;
      expect(out.event).toEqual({ hello: "world" });
      expect(out.cwd).toBe(FIXTURES.replace(/\/$/, ""));
      const ctx = out.context as Record<string, unknown>;
      expect(ctx).toMatchObject({
        awsRequestId: req.requestId,
        functionName: "fn",
        functionVersion: "$LATEST",
        invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:fn:$LATEST",
        memoryLimitInMB: "256",
        tenantId: "tenant-a",
        callbackWaitsForEmptyEventLoop: true,
        logGroupName: "/aws/lambda/fn",
      });
      expect(ctx.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
      expect(ctx.remainingMs).toBeGreaterThan(0);
      expect(ctx.remainingMs).toBeLessThanOrEqual(20_000);
    }));

  it("uses the invoked ARN the caller gives and treats an empty payload as {}", () =>
    withRuntime(async (rt) => {
      const arn = "arn:aws:lambda:eu-west-1:123456789012:function:fn:live";
      const out = returned(
        await rt.invoke(fixture("echo.mjs"), request({}, { payload: "", invokedFunctionArn: arn })),
      ) as { event: unknown; context: { invokedFunctionArn: string } };
      expect(out.event).toEqual({});
      expect(out.context.invokedFunctionArn).toBe(arn);
    }));

  it('returns "" for undefined and an error for a result JSON cannot represent', () =>
    withRuntime(async (rt) => {
      expect(await rt.invoke(fixture("echo.mjs", "returnsUndefined"), request())).toEqual({
        kind: "returned",
        payload: "",
      });
      const err = failed(await rt.invoke(fixture("echo.mjs", "returnsCircular"), request()));
      expect(err.ErrorType).toBe("TypeError");
      expect(err.ErrorMessage).toMatch(/^Unable to stringify response body: .*circular/i);
    }));

  it("runs TypeScript handlers (.ts, .mts, .cts) without a build step", () =>
    withRuntime(async (rt) => {
      expect(returned(await rt.invoke(fixture("typescript.ts"), request({ name: "ts" })))).toEqual({
        message: "hello ts",
        lang: "ts",
      });
      expect(returned(await rt.invoke(fixture("module-typescript.mts"), request({ n: 21 })))).toBe(42);
      expect(returned(await rt.invoke(fixture("commonjs-typescript.cts"), request()))).toEqual({
        file: "commonjs-typescript.cts",
        hasRequire: true,
      });
    }));

  it("runs CommonJS handlers, including module.exports objects and callback-style handlers", () =>
    withRuntime(async (rt) => {
      expect(returned(await rt.invoke(fixture("commonjs.cjs"), request({ a: 1 })))).toEqual({
        file: "commonjs.cjs",
        event: { a: 1 },
      });
      const req = request();
      expect(returned(await rt.invoke(fixture("cjs-package/index.js"), req))).toEqual({
        style: "callback",
        requestId: req.requestId,
      });
      const err = failed(await rt.invoke(fixture("cjs-package/index.js"), request({ fail: true })));
      expect(err).toMatchObject({ ErrorType: "TypeError", ErrorMessage: "callback failure" });
    }));

  it("runs ESM handlers, named or on a default-exported object", () =>
    withRuntime(async (rt) => {
      expect(returned(await rt.invoke(fixture("esm.js"), request()))).toEqual({
        style: "esm-default-object",
      });
      expect(returned(await rt.invoke(fixture("esm.js", "named"), request(7)))).toEqual({
        style: "esm-named",
        got: 7,
      });
    }));

  it("reports a thrown error with its name, message and stack, and keeps the worker", () =>
    withRuntime(async (rt) => {
      const def = fixture("thrower.mjs");
      const first = failed(await rt.invoke(def, request({ why: "no name" })));
      expect(first).toMatchObject({ ErrorType: "ValidationError", ErrorMessage: "bad input: no name" });
      expect(first.StackTrace?.[0]).toBe("ValidationError: bad input: no name");
      expect(first.StackTrace?.some((l) => l.includes("thrower.mjs"))).toBe(true);
      // The same warm worker serves the next invocation.
      await rt.invoke(def, request({ why: "again" }));
      expect(rt.stats().functions).toMatchObject([{ coldStarts: 1, invocations: 2, workers: 1 }]);

      expect(failed(await rt.invoke(fixture("thrower.mjs", "throwsString"), request()))).toEqual({
        ErrorType: "Error",
        ErrorMessage: "a plain string",
      });
      const sync = failed(await rt.invoke(fixture("thrower.mjs", "throwsSync"), request()));
      expect(sync).toMatchObject({ ErrorType: "RangeError", ErrorMessage: "sync throw" });
    }));

  it("reports a missing or non-function export with the file and export name", () =>
    withRuntime(async (rt) => {
      const missing = failed(await rt.invoke(fixture("no-export.mjs", "main"), request()));
      expect(missing.ErrorType).toBe("Runtime.HandlerNotFound");
      expect(missing.ErrorMessage).toContain(`${FIXTURES}no-export.mjs`);
      expect(missing.ErrorMessage).toContain('"main"');

      const notFn = failed(await rt.invoke(fixture("no-export.mjs"), request()));
      expect(notFn.ErrorType).toBe("Runtime.HandlerNotFound");
      expect(notFn.ErrorMessage).toMatch(/"handler".*no-export\.mjs.*not a function/);
    }));

  it("reports a module that fails to import", () =>
    withRuntime(async (rt) => {
      const err = failed(await rt.invoke(fixture("import-error.mjs"), request()));
      expect(err.ErrorType).toBe("Runtime.ImportModuleError");
      expect(err.ErrorMessage).toContain("import-error.mjs");
      expect(err.ErrorMessage).toContain("does-not-exist.mjs");
    }));

  it("reports a worker that cannot start (missing code directory)", () =>
    withRuntime(async (rt) => {
      const def = fixture("echo.mjs", "handler", { codeDir: `${FIXTURES}no-such-dir` });
      const err = failed(await rt.invoke(def, request()));
      expect(err.ErrorType).toBe("Runtime.ExitError");
      expect(err.ErrorMessage).toMatch(/could not start/);
    }));
});
