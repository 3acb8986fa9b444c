// The web console in a real browser: Chromium (Debian's, driven by playwright-core) against a real
// server running real functions. Each test drives a view or an action the way a person would and
// asserts what they would see; screenshots land in docs/screenshots/ for people to look at.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startServer } from "@dormouse/server";
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { finished, startAsync } from "../support/e2e.js";
import { eventually, startTestServer, tempDir, waitForEvent, waitForStatus } from "../support/harness.js";
import type { TestServer } from "../support/harness.js";
import { launchChromium } from "../support/browser.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CONSOLE = path.join(ROOT, "packages/console");
const SHOTS = path.join(ROOT, "docs/screenshots");
const TEMPLATE = path.join(ROOT, "tests/fixtures/console/template.yaml");
/**
 * How many executions the long-list test fills in (about 35 s for 10,000 on a quiet machine). The
 * list holds only the pages scrolled through and renders only the rows on screen; set
 * CONSOLE_E2E_EXECUTIONS lower for a quick local run.
 */
const MANY = Number(process.env.CONSOLE_E2E_EXECUTIONS ?? 10_000);
/** Runs take longer on a busy machine; nothing here should wait less. */
const SLOW = 120_000;

const SCROLL_TO_END = "window.scrollTo(0, document.body.scrollHeight)";

const DESKTOP: BrowserContextOptions = { viewport: { width: 1360, height: 900 }, colorScheme: "light" };
const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  colorScheme: "light",
};

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await buildConsoleIfStale();
  fs.mkdirSync(SHOTS, { recursive: true });
  server = await startTestServer({ template: TEMPLATE });
  browser = await launchChromium();
}, 120_000);

// Every open page keeps a live stream and refetches on changes: close them between tests, or the
// pages of earlier tests would slow the server down for the later ones.
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
});

afterAll(async () => {
  try {
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    await browser?.close();
  } finally {
    await server?.close();
  }
});

describe("console: functions", () => {
  it("lists every function with its versions, aliases, durable settings and counts", async () => {
    const done = await startAsync(server.client, "steps", { n: 2 }, "counted-steps");
    await finished(server.client, done, SLOW);
    const page = await open("/functions");

    const steps = card(page, "steps");
    await see(steps, "Durable");
    await see(steps, "src/steps.handler");
    await see(steps, "1 day"); // RetentionPeriodInDays
    await see(steps, "10 m"); // ExecutionTimeout 600 s
    await see(steps, "$LATEST");
    await expect(countOf(steps, "Succeeded")).resolves.toBeGreaterThanOrEqual(1);

    const plain = card(page, "plain");
    await see(plain, "Plain");
    await see(plain, "Not durable");
    expect(await plain.getByRole("button", { name: /Start an execution/ }).count()).toBe(0);

    // A count links to the executions of that function in that state.
    await steps.getByRole("link", { name: /succeeded/ }).click();
    await page.waitForURL(/\/executions\?function=steps&status=SUCCEEDED$/);
    await see(page.locator("a.xrow", { hasText: "counted-steps" }), "Succeeded");
  });
});

describe("console: executions", () => {
  it("shows new executions and status changes live, newest first, without a reload", async () => {
    const page = await open("/executions");
    // Page code runs in the browser; it is written as strings because this project's types are Node's.
    await page.evaluate("window.__sameDocument = true");

    const arn = await startAsync(server.client, "waiter", { seconds: 2 }, "live-waiter");
    const row = page.locator("a.xrow", { hasText: "live-waiter" });
    await see(row, "Running");
    await see(page.locator("a.xrow").first(), "live-waiter");
    await see(row, "Succeeded", 30_000);
    await waitForStatus(server.client, arn, ["SUCCEEDED"], SLOW);

    expect(await page.evaluate("window.__sameDocument")).toBe(true);
  });

  it("filters by status and function, and searches by name or ARN", async () => {
    const failed = await startAsync(server.client, "failer", { reason: "card declined" }, "filter-failer");
    const ok = await startAsync(server.client, "steps", { n: 1 }, "filter-steps");
    await Promise.all([finished(server.client, failed, SLOW), finished(server.client, ok, SLOW)]);
    const page = await open("/executions");
    await page.locator("a.xrow", { hasText: "filter-failer" }).waitFor();

    await page.getByRole("button", { name: "Failed", exact: true }).click();
    await page.waitForURL(/status=FAILED/);
    await page.locator("a.xrow", { hasText: "filter-steps" }).waitFor({ state: "detached" });
    await see(page.locator("a.xrow", { hasText: "filter-failer" }), "Failed");
    for (const badge of await page.locator("a.xrow .badge").allTextContents()) expect(badge).toBe("Failed");
    await page.getByRole("button", { name: "Failed", exact: true }).click();

    await page.getByLabel("Function").selectOption("steps");
    await page.waitForURL(/function=steps/);
    await page.locator("a.xrow", { hasText: "filter-failer" }).waitFor({ state: "detached" });
    await page.locator("a.xrow", { hasText: "filter-steps" }).waitFor();
    await page.getByLabel("Function").selectOption("");

    await page.getByLabel("Search by name or ARN").fill("filter-f");
    await page.waitForURL(/q=filter-f/);
    await page.locator("a.xrow", { hasText: "filter-steps" }).waitFor({ state: "detached" });
    expect(await page.locator("a.xrow").count()).toBe(1);
    await page.getByLabel("Search by name or ARN").fill(ok);
    await page.locator("a.xrow", { hasText: "filter-steps" }).waitFor();
    expect(await page.locator("a.xrow").count()).toBe(1);

    await page.getByLabel("Search by name or ARN").fill("no-such-execution");
    await see(page, "No executions match these filters");
    await page.getByRole("button", { name: "Clear" }).click();
    await page.locator("a.xrow", { hasText: "filter-steps" }).waitFor();
  });
});

describe("console: one execution", () => {
  it("shows the header, the figures, the payloads and the operation tree with parallel branches", async () => {
    const arn = await startAsync(server.client, "fanout", { items: [1, 2, 3] }, "fanout-view");
    await finished(server.client, arn, SLOW);
    const page = await open(executionUrl(arn));

    const header = page.locator("header.xhead");
    await see(header, "Succeeded");
    await see(header, "fanout-view");
    await see(header, arn);
    await see(header, "$LATEST");
    const figures = page.getByRole("region", { name: "Time and invocations" });
    for (const label of ["Wall time", "Active compute", "Hibernation", "Invocations"])
      await see(figures, label);
    await see(figures, /\d+ replays?/);
    await see(page.locator("details", { hasText: "Input" }), '"items"');
    await see(page.locator("details", { hasText: "Result" }), '"child"');

    const tree = page.getByRole("tree", { name: "Operations" });
    for (const name of [
      "branches",
      "parallel-branch-0",
      "parallel-branch-1",
      "left",
      "right",
      "squares",
      "sq-2",
      "child",
      "inner",
    ]) {
      await see(tree, name);
    }
    // The branches nest under the parallel, the steps under the branches.
    expect(await tree.locator('[role="treeitem"][aria-level="1"]', { hasText: "branches" }).count()).toBe(1);
    expect(
      await tree.locator('[role="treeitem"][aria-level="2"]', { hasText: "parallel-branch-0" }).count(),
    ).toBe(1);
    expect(await tree.locator('[role="treeitem"][aria-level="3"]', { hasText: "left" }).count()).toBe(1);

    // Collapsing the parallel hides its branches; expanding brings them back.
    await tree.getByRole("button", { name: /^Collapse branches/ }).click();
    await tree.getByText("parallel-branch-0").waitFor({ state: "detached" });
    await tree.getByRole("button", { name: /^Expand branches/ }).click();
    await tree.getByText("parallel-branch-0").waitFor();

    // Selecting a step shows its recorded result and its events.
    await tree.getByRole("button", { name: /^Step\s*left/ }).click();
    const panel = page.getByRole("complementary", { name: "Details" });
    await see(panel, '"L"');
    await see(panel, "StepSucceeded");
    await shot(page, "execution");
  });

  it("draws the timeline: invocations, hibernation, and what each invocation replayed and executed", async () => {
    const arn = await startAsync(server.client, "waiter", { seconds: 2 }, "timeline-waiter");
    await finished(server.client, arn, SLOW);
    const page = await open(`${executionUrl(arn)}?tab=timeline`);

    await see(page.getByRole("tab", { selected: true }), "Timeline");
    const lane = page.getByRole("group", { name: "Invocations on the time axis" });
    await lane.getByRole("button", { name: /^Invocation #1/ }).waitFor();
    await lane.getByRole("button", { name: /^Invocation #2/ }).waitFor();
    await expect(lane.locator(".sleep").count()).resolves.toBeGreaterThanOrEqual(1);
    for (const name of ["before", "pause", "after"]) await see(page.locator(".tl-ops"), name);
    expect(await page.locator(".tl-ops svg rect.bar").count()).toBe(3);

    // Invocation 2 replayed the first step and the wait (completed before it began) and executed the last step.
    await page.getByRole("button", { name: /^#2/ }).click();
    const detail = page.locator(".inv-detail");
    await see(detail, /Replayed 2:\s*before, pause/);
    await see(detail, /Executed 1:\s*after/);
    expect(await page.locator(".tl-row--op.mark-replayed").count()).toBe(2);
    expect(await page.locator(".tl-row--op.mark-executed").count()).toBe(1);
    await shot(page, "timeline");
  });

  it("lists every event in the history, with its details and raw JSON", async () => {
    const arn = await startAsync(server.client, "retrier", { succeedOn: 2 }, "events-retrier");
    const { events } = await finished(server.client, arn, SLOW);
    const page = await open(`${executionUrl(arn)}?tab=events`);

    const table = page.getByLabel("Event history");
    await see(table, "ExecutionStarted");
    await see(table, "ExecutionSucceeded");
    expect(await table.locator("button.erow").count()).toBe(events.length);
    // The failed first attempt and its retry delay, in words.
    const failedAttempt = table.locator("button.erow", { hasText: "StepFailed" });
    await see(failedAttempt, "attempt 1");
    await see(failedAttempt, "retry in 1 s");

    await failedAttempt.click();
    const panel = page.getByRole("complementary", { name: "Details" });
    await see(panel, "Raw event");
    await see(panel, '"NextAttemptDelaySeconds"');
    await shot(page, "events");

    // The tree shows the step's attempts too.
    await page.getByRole("tab", { name: /Operations/ }).click();
    await page.getByRole("tree", { name: "Operations" }).getByRole("button", { name: /flaky/ }).click();
    await see(page.getByRole("complementary", { name: "Details" }), /retried after 1 s/);
  });

  it("links a chained invoke to the execution it started", async () => {
    const arn = await startAsync(server.client, "caller", { n: 2 }, "chain-caller");
    await finished(server.client, arn, SLOW);
    const page = await open(executionUrl(arn));
    await page.getByRole("link", { name: "Open the execution started by call-steps" }).click();
    await page.waitForURL(/function%3Asteps/);
    const header = page.locator("header.xhead");
    await see(header, "Succeeded");
    await see(header, "Started by");
    await header.getByRole("link", { name: /chain-caller/ }).click();
    await see(page.locator("header.xhead"), "chain-caller");
  });

  it("says so when an execution does not exist (or was purged)", async () => {
    const missing =
      "arn:aws:lambda:us-east-1:000000000000:function:steps:$LATEST/durable-execution/gone/00000000-0000-0000-0000-000000000000";
    const page = await open(executionUrl(missing));
    await see(page, "Execution not found or purged");
    await see(page, "retention period");
  });
});

describe("console: actions", () => {
  it("sends a callback through the form: invalid JSON is caught, the server's refusal is shown, success completes the run", async () => {
    const arn = await startAsync(server.client, "callbacks", {}, "approve-me");
    const callbackId = await callbackOf(arn);
    const page = await open(executionUrl(arn));
    await see(page.locator("header.xhead"), "Running");
    await see(page.getByRole("button", { name: /Send callback/ }), "1");
    await shot(page, "execution-waiting");

    await page.getByRole("button", { name: "Respond to callback approval" }).click();
    const dialog = page.getByRole("dialog", { name: "Send a callback" });
    expect(await dialog.getByLabel("Callback", { exact: true }).inputValue()).toBe(callbackId);

    const result = dialog.getByLabel("Result");
    await result.fill('{"approved": yes}');
    await dialog.getByRole("button", { name: "Send success" }).click();
    await see(dialog, /Invalid JSON.*yes/);

    // An id the server does not know: its error name and message are shown as it sent them.
    await dialog.getByLabel("Callback", { exact: true }).selectOption({ label: "Another callback id…" });
    await dialog.getByLabel("Callback id").fill("bm90LWEtcmVhbC1jYWxsYmFjaw==");
    await result.fill('{"approved": true, "by": "console"}');
    await dialog.getByRole("button", { name: "Send success" }).click();
    const alert = dialog.getByRole("alert");
    await see(alert, /Exception/);
    await shot(page, "callback-error", false);

    await dialog.getByLabel("Callback", { exact: true }).selectOption(callbackId);
    await dialog.getByRole("button", { name: "Send success" }).click();
    await dialog.waitFor({ state: "detached" });
    await see(page.locator("header.xhead"), "Succeeded", 30_000);
    // The function returns what the callback delivered (the SDK hands it over as the raw text).
    await see(page.locator("details", { hasText: "Result" }), /approved.*console/);
    await waitForStatus(server.client, arn, ["SUCCEEDED"], SLOW);
  });

  it("sends a heartbeat and a failure", async () => {
    const arn = await startAsync(server.client, "callbacks", {}, "reject-me");
    await callbackOf(arn);
    const page = await open(executionUrl(arn));
    await page.getByRole("button", { name: /Send callback/ }).click();
    let dialog = page.getByRole("dialog", { name: "Send a callback" });
    await dialog.getByText("Heartbeat", { exact: true }).click();
    await dialog.getByRole("button", { name: "Send heartbeat" }).click();
    await dialog.waitFor({ state: "detached" });
    await see(page, "Heartbeat sent");

    await page.getByRole("button", { name: /Send callback/ }).click();
    dialog = page.getByRole("dialog", { name: "Send a callback" });
    await dialog.getByText("Failure", { exact: true }).click();
    await dialog.getByLabel("Error type").fill("Rejected");
    await dialog.getByLabel("Error message").fill("The reviewer said no");
    await dialog.getByRole("button", { name: "Send failure" }).click();
    await dialog.waitFor({ state: "detached" });
    await see(page.locator("header.xhead"), "Failed", 30_000);
    await see(page.locator("details", { hasText: "Error" }), "The reviewer said no");
  });

  it("stops a running execution", async () => {
    const arn = await startAsync(server.client, "callbacks", {}, "stop-me");
    await callbackOf(arn);
    const page = await open(executionUrl(arn));
    await page.getByRole("button", { name: "Stop", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Stop this execution?" });
    await dialog.getByLabel(/Reason/).fill("Stopped from the browser test");
    await dialog.getByRole("button", { name: "Stop execution" }).click();
    await dialog.waitFor({ state: "detached" });
    await see(page.locator("header.xhead"), "Stopped", 30_000);
    await see(page.locator("details", { hasText: "Error" }), "Stopped from the browser test");
    expect(await page.getByRole("button", { name: "Stop", exact: true }).count()).toBe(0);
    await waitForStatus(server.client, arn, ["STOPPED"], SLOW);
  });

  it("starts an execution with a payload, and refuses a payload that is not JSON", async () => {
    const page = await open("/functions");
    await page.getByRole("button", { name: "Start an execution of steps" }).click();
    const dialog = page.getByRole("dialog", { name: "Start an execution" });
    await dialog.getByRole("option", { name: "steps" }).waitFor({ state: "attached" });
    expect(await dialog.getByLabel("Function").inputValue()).toBe("steps");
    await dialog.getByLabel("Execution name").fill("started-in-browser");
    await dialog.getByLabel("Payload").fill("{ n: 5 }");
    await dialog.getByRole("button", { name: "Start execution" }).click();
    await see(dialog, /Invalid JSON/);
    await shot(page, "start-invalid", false);

    await dialog.getByLabel("Payload").fill('{ "n": 5 }');
    await dialog.getByRole("button", { name: "Start execution" }).click();
    await page.waitForURL(/\/executions\/arn%3Aaws%3Alambda.*started-in-browser/);
    const header = page.locator("header.xhead");
    await see(header, "started-in-browser");
    await see(header, "Succeeded", 30_000);
    const result = page.locator("details", { hasText: "Result" });
    await see(result, '"a": 10');
    await see(result, '"b": 100');
  });

  it("shows the server's error when it refuses a start", async () => {
    const page = await open("/executions");
    await page
      .getByRole("button", { name: /Start execution/ })
      .first()
      .click();
    const dialog = page.getByRole("dialog", { name: "Start an execution" });
    await dialog.getByLabel("Function").selectOption("steps");
    expect(await dialog.getByLabel("Version or alias").inputValue()).toBe("");
    // Payloads over the 1 MB asynchronous limit are the server's to refuse.
    await dialog.getByLabel("Payload").fill(JSON.stringify({ big: "x".repeat(1100 * 1024) }));
    await dialog.getByRole("button", { name: "Start execution" }).click();
    await see(dialog.getByRole("alert"), /RequestTooLargeException/);
  });
});

describe("console: phones, dark mode and a server that goes away", () => {
  it("fits a phone screen", async () => {
    const arn = await startAsync(server.client, "fanout", {}, "phone-fanout");
    await finished(server.client, arn, SLOW);
    const page = await open("/executions", PHONE);
    await page.locator("a.xrow", { hasText: "phone-fanout" }).waitFor();
    await expectNoHorizontalScroll(page);
    await shot(page, "phone-executions");

    await page.locator("a.xrow", { hasText: "phone-fanout" }).click();
    await see(page.locator("header.xhead"), "Succeeded");
    await expectNoHorizontalScroll(page);
    await page.getByRole("tree", { name: "Operations" }).getByRole("button", { name: /left/ }).click();
    // On a phone the details open as a sheet over the page.
    await see(page.getByRole("dialog"), '"L"');
    await shot(page, "phone-execution", false);
  });

  it("reads well in dark mode", async () => {
    const arn = await startAsync(server.client, "waiter", { seconds: 1 }, "dark-waiter");
    await finished(server.client, arn, SLOW);
    const page = await open(`${executionUrl(arn)}?tab=timeline`, { ...DESKTOP, colorScheme: "dark" });
    await page.getByRole("group", { name: "Invocations on the time axis" }).waitFor();
    const background = await page.evaluate<string>("getComputedStyle(document.body).backgroundColor");
    expect(luminance(background)).toBeLessThan(0.1);
    await shot(page, "dark-timeline");
    await page.getByRole("tab", { name: /Operations/ }).click();
    await page.getByRole("tree", { name: "Operations" }).getByRole("button", { name: /pause/ }).click();
    await shot(page, "dark-execution");
    const overview = await open("/", { ...DESKTOP, colorScheme: "dark" });
    await overview.getByRole("region", { name: "Executions by status" }).waitFor();
    await shot(overview, "dark-overview");
  });

  it("shows a banner while the server is unreachable, and recovers when it is back", async () => {
    // A server of its own, so that stopping it does not disturb the others.
    const dataDir = tempDir();
    const options = {
      mode: "dev" as const,
      template: TEMPLATE,
      host: "127.0.0.1",
      dataDir,
      logLevel: "silent",
    };
    let own = await startServer({ ...options, port: 0 });
    const port = own.port;
    try {
      const page = await open("/", DESKTOP, own.url);
      await page.getByRole("region", { name: "Executions by status" }).waitFor();
      await see(page, "Live");

      await own.close();
      const banner = page.getByRole("alert").filter({ hasText: "Can't reach the Dormouse server" });
      await banner.waitFor({ timeout: 20_000 });
      await see(page, "Offline");
      await shot(page, "offline");

      own = await startServer({ ...options, port });
      await banner.waitFor({ state: "detached", timeout: 30_000 });
      await see(page, "Live");
    } finally {
      await own.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  it("is reachable with the keyboard", async () => {
    const page = await open("/");
    await page.keyboard.press("Tab");
    await see(page.locator(":focus"), "Skip to content");
    await page.keyboard.press("Tab");
    expect(await page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe("Dormouse home");
    for (let i = 0; i < 3; i++) await page.keyboard.press("Tab");
    await see(page.locator(":focus"), "Executions");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/executions$/);
    await page.locator("a.xrow", { hasText: "stop-me" }).waitFor();
    await page.evaluate("document.activeElement.blur()");
    await shot(page, "executions");
    const functions = await open("/functions");
    await card(functions, "steps").waitFor();
    await shot(functions, "functions");
    // The status filters are real toggle buttons.
    await page.getByRole("button", { name: "Running", exact: true }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/status=RUNNING/);
  });
});

describe("console: scale", () => {
  it(`pages through ${MANY.toLocaleString("en")} executions with a few dozen rows in the page`, async () => {
    await startMany("quick", MANY);
    const counts = await eventually(
      "every quick execution to finish",
      async () => {
        const body = (await (await fetch(`${server.url}/console-api/functions`)).json()) as {
          functions: { name: string; counts: Record<string, number> }[];
        };
        const c = body.functions.find((f) => f.name === "quick")?.counts;
        return c && c.RUNNING === 0 && Object.values(c).reduce((x, y) => x + y, 0) === MANY ? c : undefined;
      },
      600_000,
      500,
    );
    expect(counts.SUCCEEDED).toBe(MANY);

    const page = await open("/executions?function=quick");
    await page.locator("a.xrow").first().waitFor();
    // Scroll to the end again and again: each time the next page loads, until the list says it is all there.
    const footer = page.locator(".xtable__foot");
    for (let scrolls = 0; ; scrolls++) {
      const text = (await footer.textContent()) ?? "";
      if (/^[\d,.\s]+ executions$/.test(text.trim())) break;
      expect(scrolls, "pages keep loading while scrolling").toBeLessThan(4000);
      await page.evaluate(SCROLL_TO_END);
      await page.waitForTimeout(30);
    }
    await see(footer, `${MANY.toLocaleString("en")} executions`);
    const rendered = await page.locator("a.xrow").count();
    expect(rendered).toBeLessThan(120);

    // Scrolling through the whole list keeps the page windowed: never more than a screenful of rows.
    const mostRows = await page.evaluate<number>(`(async () => {
      let most = 0;
      for (let y = 0; y < document.body.scrollHeight; y += 4000) {
        window.scrollTo(0, y);
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        most = Math.max(most, document.querySelectorAll("a.xrow").length);
      }
      return most;
    })()`);
    expect(mostRows).toBeLessThan(120);
    await see(page.locator("a.xrow").last(), "Succeeded");
  }, 900_000);

  it("opens an execution with 3,000 operations without rendering them all", async () => {
    const arn = await startAsync(server.client, "wide", {}, "wide-3000");
    const { execution } = await finished(server.client, arn, 300_000);
    expect(execution.Status).toBe("SUCCEEDED");
    const page = await open(executionUrl(arn));
    const tree = page.getByRole("tree", { name: "Operations" });
    // 3,000 with the execution itself, which the header shows.
    await see(page, "2,999 operations");
    // The map's 1,499 iterations start folded.
    await see(tree, "+2,998");
    expect(await tree.getByRole("treeitem").count()).toBe(1);

    await page.getByRole("button", { name: "Expand all" }).click();
    await see(tree, "map-item-0");
    expect(await tree.getByRole("treeitem").count()).toBeLessThan(120);
    await page.evaluate(SCROLL_TO_END);
    await see(tree, "item-1498");
    await page.evaluate(
      "window.scrollTo(0, document.querySelector('.tabs').getBoundingClientRect().top + window.scrollY - 70)",
    );
    await shot(page, "large-execution", false);

    await page.getByRole("tab", { name: /Timeline/ }).click();
    await see(page.locator(".tl-ops"), "items");
    expect(await page.locator(".tl-row--op").count()).toBeLessThan(120);

    await page.getByRole("tab", { name: /Events/ }).click();
    await see(page.locator(".events .toolbar"), /^\s*6,0\d\d events\s*$/, 60_000);
    expect(await page.locator("button.erow").count()).toBeLessThan(120);
  }, 400_000);
});

// ---- helpers ------------------------------------------------------------------------------------

async function open(
  route: string,
  options: BrowserContextOptions = DESKTOP,
  base = server.url,
): Promise<Page> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(30_000);
  contexts.push(context);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (err) => problems.push(err.message));
  await page.goto(base + route);
  await page.locator("main#main").waitFor();
  expect(problems).toEqual([]);
  return page;
}

/** Waits until `scope` shows `text` (a substring, or a pattern over one element's text). */
async function see(scope: Page | Locator, text: string | RegExp, timeout = 30_000): Promise<void> {
  await scope.getByText(text).first().waitFor({ state: "visible", timeout });
}

function card(page: Page, functionName: string): Locator {
  return page.getByRole("article", { name: functionName, exact: true });
}

async function countOf(scope: Locator, status: string): Promise<number> {
  const link = scope.getByRole("link", { name: new RegExp(`^[\\d,]+ ${status}$`, "i") });
  const label = (await link.getAttribute("aria-label")) ?? "";
  return Number(label.replace(/[^\d]/g, ""));
}

/** Waits until the execution's callback exists and returns its id. */
async function callbackOf(arn: string): Promise<string> {
  const started = await waitForEvent(server.client, arn, (e) => e.EventType === "CallbackStarted", SLOW);
  return started.CallbackStartedDetails!.CallbackId!;
}

function executionUrl(arn: string): string {
  return `/executions/${encodeURIComponent(arn)}`;
}

/** A screenshot of the whole page, or of the viewport (for dialogs, whose backdrop covers only that). */
async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  if (fullPage) await page.evaluate("window.scrollTo(0, 0)");
  await page.waitForTimeout(300); // let transitions and the rows of a scrolled list settle
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage, animations: "disabled" });
}

async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
  expect(overflow).toBeLessThanOrEqual(0);
}

function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? ["255", "255", "255"]).map(Number) as [
    number,
    number,
    number,
  ];
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

/** Starts `count` executions asynchronously, a few at a time, through the Invoke API. */
async function startMany(functionName: string, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await fetch(`${server.url}/2015-03-31/functions/${functionName}/invocations`, {
        method: "POST",
        headers: { "X-Amz-Invocation-Type": "Event" },
        body: JSON.stringify({ i }),
      });
      expect(res.status).toBe(202);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

/** Builds the console when dist/ is missing or older than its sources, so the test sees the current code. */
async function buildConsoleIfStale(): Promise<void> {
  const built = path.join(CONSOLE, "dist/index.html");
  const sources = ["src", "public", "index.html", "vite.config.ts"].map((f) => path.join(CONSOLE, f));
  const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
  if (builtAt > Math.max(...sources.map(newestMtime))) return;
  await new Promise<void>((resolve, reject) => {
    // vitest sets NODE_ENV=test, which would make this a development build of React.
    const child = spawn("npx", ["vite", "build", "--logLevel", "warn"], {
      cwd: CONSOLE,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, NODE_ENV: "production" },
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`)),
    );
  });
}

function newestMtime(file: string): number {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(file).map((f) => newestMtime(path.join(file, f))));
}
