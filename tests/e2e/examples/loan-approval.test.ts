// The loan-approval example as a person tries it: its own SAM template on a real server (gateway,
// workers, official SDK), its page in Chromium. Every profile is driven to its outcome through the
// page (the manager approves and denies in the dialog), and each test checks what the person sees
// (steps, decision, live log with [REPLAY] lines, counters) and what the execution recorded.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { GetDurableExecutionHistoryCommand } from "@aws-sdk/client-lambda";
import type { Event, LambdaClient } from "@aws-sdk/client-lambda";
import type { ConsoleExecutionResponse } from "@dormouse/protocol";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectHistoryInvariants } from "../../support/e2e.js";
import { eventually, startTestServer, tempDir } from "../../support/harness.js";
import type { TestServer } from "../../support/harness.js";
import { expectGoldenHistory } from "../../support/golden-history.js";
import { launchChromium } from "../../support/browser.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const EXAMPLE = path.join(ROOT, "examples/loan-approval");
const TEMPLATE = path.join(EXAMPLE, "template.yaml");
const SHOTS = path.join(ROOT, "docs/screenshots");
/** Cold workers on a busy two-core machine; nothing here should wait less. */
const SLOW = 60_000;

let server: TestServer;
/** The application's own records (the template's DataDirectory), one directory per run. */
const appData = tempDir("loan-approval-app-");
let gateway: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // What `npm run example:loan-approval` does first: build the page.
  await buildIfStale(path.join(EXAMPLE, "frontend"), [
    "npm",
    "run",
    "build",
    "-w",
    "@dormouse-examples/loan-approval",
  ]);
  server = await startTestServer({
    template: TEMPLATE,
    parameterOverrides: { DataDirectory: path.join(appData, "data") },
  });
  expect(server.gatewayUrl, "the template's HttpApi routes get a gateway").toBeDefined();
  gateway = server.gatewayUrl!;
  browser = await launchChromium();
}, 180_000);

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
});

afterAll(async () => {
  try {
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    await browser?.close();
  } finally {
    await server?.close();
    fs.rmSync(appData, { recursive: true, force: true });
  }
});

describe("loan approval in the browser", () => {
  it("Alice ($150,000): the manager approves in the dialog, the fraud check calls back, approved", async () => {
    const before = await stats();
    const page = await openPage();
    const id = await submit(page, "Alice Johnson");
    await see(
      page.locator(".stat[data-stat=applicationsSubmitted]"),
      String(before.applicationsSubmitted + 1),
    );

    // The workflow stops at the manager: the dialog opens, the step indicator waits there.
    const dialog = page.getByRole("dialog", { name: /Alice Johnson asks for \$150,000/ });
    await dialog.waitFor({ timeout: SLOW });
    expect(await stageStates(page)).toEqual({
      validate: "done",
      "credit-checks": "done",
      decide: "done",
      manager: "waiting",
      "fraud-check": "pending",
      complete: "pending",
    });
    await see(dialog, "Manager approval required");
    await see(dialog, "$150,000 is above $100,000: a manager must approve");
    await see(page.locator(".bureau", { hasText: "Average" }), /7\d\d/);
    const log = page.getByRole("region", { name: "Live log" });
    await see(log, "Manager approval requested");
    expect(await log.getByText("[REPLAY]").count(), "nothing replayed before the first wait ends").toBe(0);

    await dialog.getByLabel("Comment (optional)").fill("Solid history, stable income");
    await dialog.getByRole("button", { name: "Approve" }).click();
    await dialog.waitFor({ state: "detached" });

    const banner = page.locator('.banner[data-outcome="APPROVED"]');
    await banner.waitFor({ timeout: SLOW });
    await see(banner, "Approved · $150,000 for Alice Johnson");
    await see(banner, "Approved by manager Morgan Lee");
    expect(await stageStates(page)).toEqual(allStages("done"));
    await see(page.locator(".stat[data-stat=approvalsProcessed]"), String(before.approvalsProcessed + 1));

    // After the manager's answer the workflow ran again from the top: the lines before the wait
    // were written again, tagged, and the new ones were not.
    await see(log, "Manager Morgan Lee approved the application");
    await see(log, "Fraud check passed; callback sent");
    const lines = await logLines(log);
    const answered = lines.findIndex((l) => l.text.includes("Manager decision received: approve"));
    expect(answered).toBeGreaterThan(0);
    const replayed = lines.slice(answered).filter((l) => l.replay);
    expect(replayed.map((l) => l.text)).toContain(
      "workflow [REPLAY] Application validated: $150,000 for Alice Johnson",
    );
    expect(replayed.every((l) => l.text.includes("[REPLAY]"))).toBe(true);
    expect(lines.filter((l) => !l.replay).every((l) => !l.text.includes("[REPLAY]"))).toBe(true);
    await shot(page, "loan-approval");

    // The execution's own record.
    const { decision, events, arn } = await recorded(id, "manager-approved");
    expect(decision).toMatchObject({ status: "APPROVED", amount: 150_000, creditScore: expect.any(Number) });
    expectParallelCreditChecks(events);
    expect(callbackResult(events, "manager-approval")).toMatchObject({
      approved: true,
      manager: "Morgan Lee",
      comment: "Solid history, stable income",
    });
    expect(callbackResult(events, "fraud-check")).toMatchObject({
      passed: true,
      riskScore: expect.any(Number),
    });
    // Started, resumed by the manager's callback, resumed by the fraud check's callback.
    expect(events.filter((e) => e.EventType === "InvocationCompleted").length).toBeGreaterThanOrEqual(3);

    // The structured lines: JSON, the application id as correlation id, the execution named.
    const view = await getJson(`/api/applications/${id}`);
    const entries = (view.logs as { entry: Record<string, unknown>; service: string }[]).map((l) => l.entry);
    expect(new Set(entries.map((e) => e.correlationId))).toEqual(new Set([id]));
    expect(new Set(entries.map((e) => e.service))).toEqual(
      new Set(["loan-api", "loan-workflow", "fraud-check"]),
    );
    for (const e of entries.filter((e) => e.service === "loan-workflow")) {
      expect(e).toMatchObject({ executionArn: arn, level: expect.stringMatching(/^(INFO|WARN)$/) });
      expect(e.replay === true, String(e.message)).toBe(String(e.message).startsWith("[REPLAY] "));
    }

    // The same execution in the Dormouse console (what its pages show), with its operations.
    const detail = (await (
      await fetch(`${server.url}/console-api/executions/${encodeURIComponent(arn)}`)
    ).json()) as ConsoleExecutionResponse;
    expect(detail.execution).toMatchObject({ status: "SUCCEEDED", name: id });
    const operations = new Set(detail.operations.map((op) => op.Name));
    for (const name of [
      "validate-application",
      "credit-checks",
      "equifax",
      "decide",
      "manager-approval",
      "fraud-check",
    ]) {
      expect(operations.has(name), name).toBe(true);
    }
  });

  it("Alice ($150,000): the manager denies, no fraud check, denied", async () => {
    const before = await stats();
    const page = await openPage();
    const id = await submit(page, "Alice Johnson");
    const dialog = page.getByRole("dialog");
    await dialog.waitFor({ timeout: SLOW });
    await dialog.getByLabel("Manager", { exact: true }).fill("Priya Shah");
    await dialog.getByLabel("Comment (optional)").fill("Exposure too high this quarter");
    await dialog.getByRole("button", { name: "Deny" }).click();

    const banner = page.locator('.banner[data-outcome="DENIED"]');
    await banner.waitFor({ timeout: SLOW });
    await see(banner, "Denied by manager Priya Shah: Exposure too high this quarter");
    expect(await stageStates(page)).toMatchObject({
      manager: "done",
      "fraud-check": "skipped",
      complete: "done",
    });
    await see(page.locator(".stat[data-stat=approvalsProcessed]"), String(before.approvalsProcessed + 1));
    const log = page.getByRole("region", { name: "Live log" });
    await see(log, "Manager Priya Shah denied the application");
    await see(log, "[REPLAY]");

    const { decision, events } = await recorded(id, "manager-denied");
    expect(decision).toMatchObject({
      status: "DENIED",
      managerReview: { approved: false, manager: "Priya Shah" },
    });
    expect(callbackResult(events, "manager-approval")).toMatchObject({ approved: false });
    expect(named(events, "fraud-check")).toEqual([]);
  });

  it("Bob ($50,000): denied, credit score too low, without a manager step", async () => {
    const page = await openPage();
    const id = await submit(page, "Bob Martinez");
    const banner = page.locator('.banner[data-outcome="DENIED"]');
    await banner.waitFor({ timeout: SLOW });
    await see(banner, "Denied · $50,000 for Bob Martinez");
    await see(banner, /Credit score too low \(5\d\d; the minimum is 600\)/);
    expect(await stageStates(page)).toEqual({
      ...allStages("done"),
      manager: "skipped",
      "fraud-check": "skipped",
    });
    expect(await page.getByRole("dialog").count()).toBe(0);
    await see(page.locator(".bureau", { hasText: "Average" }), /5\d\d/);

    const { decision, events } = await recorded(id, "credit-too-low");
    expect(decision).toMatchObject({ status: "DENIED", amount: 50_000 });
    expect((decision.creditScore as number) < 600).toBe(true);
    expectParallelCreditChecks(events);
    expect(named(events, "manager-approval")).toEqual([]);
    expect(named(events, "fraud-check")).toEqual([]);
    // Nothing waited, so nothing replayed: one invocation did it all.
    expect(events.filter((e) => e.EventType === "InvocationCompleted")).toHaveLength(1);
  });

  it("Charlie ($25,000): approved without a manager, after the fraud check", async () => {
    const page = await openPage();
    const id = await submit(page, "Charlie Wilson");
    const banner = page.locator('.banner[data-outcome="APPROVED"]');
    await banner.waitFor({ timeout: SLOW });
    await see(banner, "Approved · $25,000 for Charlie Wilson");
    expect(await stageStates(page)).toEqual({ ...allStages("done"), manager: "skipped" });
    await see(page.getByRole("region", { name: "Live log" }), "[REPLAY]");

    const { decision, events } = await recorded(id, "approved-without-manager");
    expect(decision).toMatchObject({ status: "APPROVED", amount: 25_000 });
    expect(decision.managerReview).toBeUndefined();
    expect(named(events, "manager-approval")).toEqual([]);
    expect(callbackResult(events, "fraud-check")).toMatchObject({ passed: true });
  });

  it("Charlie above $25,000: denied for the amount, without a manager or fraud check", async () => {
    const page = await openPage();
    await page.getByRole("button", { name: "Use Charlie Wilson's profile" }).click();
    await page.getByLabel("Amount").fill("30,000");
    const id = await submitForm(page);
    const banner = page.locator('.banner[data-outcome="DENIED"]');
    await banner.waitFor({ timeout: SLOW });
    await see(banner, "Denied · $30,000 for Charlie Wilson");
    await see(banner, /\$30,000 is above the \$25,000 limit for a credit score of 6\d\d/);
    expect(await stageStates(page)).toMatchObject({ manager: "skipped", "fraud-check": "skipped" });

    const { decision, events } = await recorded(id, "above-limit");
    expect(decision).toMatchObject({ status: "DENIED", amount: 30_000 });
    expect(named(events, "manager-approval")).toEqual([]);
    expect(named(events, "fraud-check")).toEqual([]);
  });

  it("shows the server's reasons when the form is wrong, and starts nothing", async () => {
    const before = await stats();
    const page = await openPage();
    await page.getByLabel("Full name").fill("A");
    await page.getByLabel("Social Insurance Number").fill("12-34");
    await page.getByLabel("Amount").fill("500");
    await page.getByRole("button", { name: "Submit application" }).click();
    const problems = page.getByRole("alert");
    await see(problems, "applicantName must be 2 to 80 characters");
    await see(problems, "sin must be nine digits");
    await see(problems, "amount must be between $1,000 and $1,000,000");
    expect(page.url()).not.toContain("#/applications/");
    expect(await stats()).toEqual(before);
  });

  it("says so when a linked application does not exist", async () => {
    const page = await openPage(`${gateway}/#/applications/LA-ZZZZZZZZ`);
    await see(page, "Could not load the application");
    await see(page, "there is no application LA-ZZZZZZZZ");
  });
});

describe("loan approval API over HTTP", () => {
  it("serves the page and its assets, and nothing outside them", async () => {
    const page = await fetch(`${gateway}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    const script = /src="\/assets\/([^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${gateway}/assets/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    for (const bad of ["missing.js", "..%2F..%2Ftemplate.yaml", "..%2Findex.html"]) {
      expect((await fetch(`${gateway}/assets/${bad}`)).status, bad).toBe(404);
    }
    expect((await fetch(`${gateway}/nowhere`)).status).toBe(404);
  });

  it("answers bad requests with typed errors naming what is wrong", async () => {
    const post = (p: string, body: string) =>
      fetch(`${gateway}${p}`, { method: "POST", headers: { "content-type": "application/json" }, body });

    const notJson = await post("/api/applications", "{nope");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({
      error: "BadRequest",
      message: expect.stringContaining("JSON"),
    });

    const invalid = await post(
      "/api/applications",
      JSON.stringify({ applicantName: "Zed", sin: "1", amount: 1.5 }),
    );
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({
      error: "ValidationError",
      problems: ["sin must be nine digits (e.g. 046-454-286)", "amount must be whole dollars"],
    });

    const unknown = await fetch(`${gateway}/api/applications/LA-ZZZZZZZZ`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: "ApplicationNotFound" });

    // Bob never waits for a manager: a decision for him is refused, and not counted.
    const started = await post(
      "/api/applications",
      JSON.stringify({ applicantName: "Bob Martinez", sin: "123452222", amount: 50_000 }),
    );
    expect(started.status).toBe(202);
    const { applicationId } = (await started.json()) as { applicationId: string };
    expect(applicationId).toMatch(/^LA-[A-HJ-NP-Z2-9]{8}$/);
    const before = await stats();
    const refused = await post(
      `/api/applications/${applicationId}/manager-decision`,
      JSON.stringify({ approved: true }),
    );
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: "NotWaitingForManager" });
    const malformed = await post(
      `/api/applications/${applicationId}/manager-decision`,
      JSON.stringify({ approved: "yes" }),
    );
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ problems: ["approved must be true or false"] });
    expect(await stats()).toEqual(before);
    await recorded(applicationId);
  });

  it("takes a manager's decision once: a second answer is refused and not counted", async () => {
    const post = (p: string, body: unknown) =>
      fetch(`${gateway}${p}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const started = await post("/api/applications", {
      applicantName: "Alice Johnson",
      sin: "123-451-111",
      amount: 400_000,
    });
    const { applicationId } = (await started.json()) as { applicationId: string };
    await eventually(
      "the manager step",
      async () =>
        (await getJson(`/api/applications/${applicationId}`)).waitingFor === "manager" ? true : undefined,
      SLOW,
    );
    const before = await stats();
    const first = await post(`/api/applications/${applicationId}/manager-decision`, {
      approved: true,
      manager: "Ana",
    });
    expect(first.status).toBe(200);
    const second = await post(`/api/applications/${applicationId}/manager-decision`, { approved: false });
    expect(second.status).toBe(409);
    expect(await stats()).toEqual({ ...before, approvalsProcessed: before.approvalsProcessed + 1 });
    const { decision } = await recorded(applicationId);
    expect(decision).toMatchObject({ status: "APPROVED", managerReview: { manager: "Ana" } });
  });
});

// ---- the page -----------------------------------------------------------------------------------

async function openPage(url = `${gateway}/`): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 }, colorScheme: "light" });
  context.setDefaultTimeout(30_000);
  contexts.push(context);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (err) => problems.push(err.message));
  await page.goto(url);
  await page.locator("main").first().waitFor();
  expect(problems).toEqual([]);
  return page;
}

/** Picks a demo profile and submits it as it is. */
async function submit(page: Page, profile: string): Promise<string> {
  await page.getByRole("button", { name: `Use ${profile}'s profile` }).click();
  expect(await page.getByLabel("Full name").inputValue()).toBe(profile);
  return submitForm(page);
}

async function submitForm(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Submit application" }).click();
  await page.waitForURL(/#\/applications\/LA-/);
  const id = /#\/applications\/(LA-\w+)/.exec(page.url())![1]!;
  await page.locator(`[data-application="${id}"]`).waitFor({ timeout: SLOW });
  return id;
}

async function see(scope: Page | Locator, text: string | RegExp, timeout = SLOW): Promise<void> {
  await scope.getByText(text).first().waitFor({ state: "visible", timeout });
}

async function stageStates(page: Page): Promise<Record<string, string>> {
  const steps = page.locator(".stepper .step");
  const out: Record<string, string> = {};
  for (const step of await steps.all()) {
    out[(await step.getAttribute("data-stage"))!] = (await step.getAttribute("data-state"))!;
  }
  return out;
}

function allStages(state: string): Record<string, string> {
  return Object.fromEntries(
    ["validate", "credit-checks", "decide", "manager", "fraud-check", "complete"].map((k) => [k, state]),
  );
}

async function logLines(log: Locator): Promise<{ text: string; replay: boolean }[]> {
  const out: { text: string; replay: boolean }[] = [];
  for (const line of await log.locator(".log-line").all()) {
    const text = (await line.locator(".svc, .msg").allInnerTexts()).join(" ").replace(/\s+/g, " ").trim();
    out.push({ text, replay: (await line.getAttribute("data-replay")) === "true" });
  }
  return out;
}

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.evaluate("window.scrollTo(0, 0)");
  await page.mouse.move(0, 0); // no hover highlight in the picture
  await page.waitForTimeout(300); // let the log pane's scroll and transitions settle
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, animations: "disabled" });
}

// ---- the API and the execution's record -----------------------------------------------------------

async function getJson(p: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${gateway}${p}`);
  expect(res.status, p).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

async function stats(): Promise<{ applicationsSubmitted: number; approvalsProcessed: number }> {
  return (await getJson("/api/stats")) as { applicationsSubmitted: number; approvalsProcessed: number };
}

/** Waits for the application's workflow to end; returns its decision and its history (with data). */
async function recorded(
  applicationId: string,
  golden?: string,
): Promise<{ decision: Record<string, unknown>; events: Event[]; arn: string }> {
  const view = await eventually(
    `the decision on ${applicationId}`,
    async () => {
      const v = await getJson(`/api/applications/${applicationId}`);
      return (v.execution as { status: string }).status === "RUNNING" ? undefined : v;
    },
    SLOW,
  );
  const arn = (view.execution as { arn: string }).arn;
  expect((view.execution as { status: string }).status).toBe("SUCCEEDED");
  const events = await eventually(
    `the terminal event of ${arn}`,
    async () => {
      const h = await historyWithData(server.client, arn);
      return h.at(-1)?.EventType === "ExecutionSucceeded" ? h : undefined;
    },
    10_000,
  );
  expectHistoryInvariants(events);
  if (golden) expectGoldenHistory(timingFree(events), path.join(EXAMPLE, "histories", `${golden}.json`));
  expect(arn).toContain(`:function:loan-workflow:`);
  expect(arn).toContain(`/durable-execution/${applicationId}/`);
  const result = JSON.parse(events.at(-1)!.ExecutionSucceededDetails!.Result!.Payload!) as Record<
    string,
    unknown
  >;
  expect(result).toEqual(view.decision);
  expect(result.applicationId).toBe(applicationId);
  return { decision: result, events, arn };
}

async function historyWithData(client: LambdaClient, arn: string): Promise<Event[]> {
  const events: Event[] = [];
  let marker: string | undefined;
  do {
    const page = await client.send(
      new GetDurableExecutionHistoryCommand({
        DurableExecutionArn: arn,
        IncludeExecutionData: true,
        MaxItems: 1000,
        Marker: marker,
      }),
    );
    events.push(...(page.Events ?? []));
    marker = page.NextMarker;
  } while (marker);
  return events;
}

/**
 * The history in an order that does not depend on timing: each operation's events stay together,
 * its children (in the order they started) between its first event and the rest. The bureaus answer
 * in any order, and a callback may be answered before its submitter step has recorded its end.
 */
function timingFree(events: Event[]): Event[] {
  const own = new Map<string, Event[]>();
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  for (const e of events) {
    if (!e.Id || e.EventType?.startsWith("Execution") || e.EventType === "InvocationCompleted") continue;
    if (!own.has(e.Id)) {
      own.set(e.Id, []);
      if (e.ParentId) children.set(e.ParentId, [...(children.get(e.ParentId) ?? []), e.Id]);
      else roots.push(e.Id);
    }
    own.get(e.Id)!.push(e);
  }
  const subtree = (id: string): Event[] => {
    const [first, ...rest] = own.get(id)!;
    return [first!, ...(children.get(id) ?? []).flatMap(subtree), ...rest];
  };
  const execution = events.filter((e) => e.EventType?.startsWith("Execution"));
  return [execution[0]!, ...roots.flatMap(subtree), ...execution.slice(1)];
}

function named(events: Event[], name: string): Event[] {
  return events.filter((e) => e.Name === name);
}

/** The three bureau checks ran as the branches of one parallel, each a step that succeeded. */
function expectParallelCreditChecks(events: Event[]): void {
  const parallel = events.filter((e) => e.Name === "credit-checks");
  expect(parallel.map((e) => [e.EventType, e.SubType])).toEqual([
    ["ContextStarted", "Parallel"],
    ["ContextSucceeded", "Parallel"],
  ]);
  const branches = events.filter((e) => e.EventType === "ContextSucceeded" && e.ParentId === parallel[0]!.Id);
  expect(branches.map((e) => e.Name).sort()).toEqual(["equifax", "experian", "transunion"]);
  expect(branches.every((e) => e.SubType === "ParallelBranch")).toBe(true);
  for (const branch of branches) {
    const step = events.find((e) => e.EventType === "StepSucceeded" && e.ParentId === branch.Id);
    expect(step?.Name).toBe(`${branch.Name}-report`);
    expect(JSON.parse(step!.StepSucceededDetails!.Result!.Payload!)).toMatchObject({
      score: expect.any(Number),
    });
  }
}

/** The result a waitForCallback's callback was completed with (CallbackSucceeded under its context). */
function callbackResult(events: Event[], name: string): unknown {
  const context = events.find((e) => e.EventType === "ContextStarted" && e.Name === name);
  expect(context?.SubType, `${name} is a waitForCallback`).toBe("WaitForCallback");
  const started = events.find((e) => e.EventType === "CallbackStarted" && e.ParentId === context!.Id);
  expect(started?.CallbackStartedDetails?.CallbackId).toBeTruthy();
  const succeeded = events.find((e) => e.EventType === "CallbackSucceeded" && e.Id === started!.Id);
  expect(succeeded, `${name}'s callback succeeded`).toBeDefined();
  return JSON.parse(succeeded!.CallbackSucceededDetails!.Result!.Payload!);
}

// ---- building ---------------------------------------------------------------------------------------

async function buildIfStale(dir: string, command: string[]): Promise<void> {
  const built = path.join(dir, "dist/index.html");
  const sources = ["src", "index.html", "vite.config.ts"]
    .map((f) => path.join(dir, f))
    .filter((f) => fs.existsSync(f));
  const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
  if (builtAt > Math.max(...sources.map(newestMtime))) return;
  await new Promise<void>((resolve, reject) => {
    // vitest sets NODE_ENV=test, which would make this a development build of React.
    const child = spawn(command[0]!, command.slice(1), {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, NODE_ENV: "production" },
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command.join(" ")} exited with ${code}`)),
    );
  });
}

function newestMtime(file: string): number {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(file).map((f) => newestMtime(path.join(file, f))));
}
