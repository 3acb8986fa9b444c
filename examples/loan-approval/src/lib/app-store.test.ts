import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AppStore, dataDirectory } from "./app-store.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loan-store-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("AppStore", () => {
  it("keeps applications, log lines by correlation id, and counters across opens", () => {
    const file = path.join(dir, "nested", "app.sqlite");
    const a = new AppStore(file);
    const b = new AppStore(file); // another warm worker, another process in real life
    a.addApplication({
      applicationId: "LA-ABCDEFGH",
      applicantName: "Alice Johnson",
      sinLast4: "1111",
      amount: 150_000,
      executionArn: "arn:x",
      submittedAt: "2026-01-01T00:00:00.000Z",
    });
    expect(b.application("LA-ABCDEFGH")).toMatchObject({ applicantName: "Alice Johnson", amount: 150_000 });
    expect(b.application("LA-NOPE2345")).toBeUndefined();

    const line = (message: string, replay = false) => ({
      timestamp: "t",
      level: "INFO",
      service: "loan-workflow",
      correlationId: "LA-ABCDEFGH",
      message,
      replay,
    });
    a.appendLog("LA-ABCDEFGH", line("first"));
    b.appendLog("LA-OTHER222", line("elsewhere"));
    b.appendLog("LA-ABCDEFGH", line("[REPLAY] first", true));
    const logs = a.logs("LA-ABCDEFGH");
    expect(logs.map((l) => [l.message, l.replay])).toEqual([
      ["first", false],
      ["[REPLAY] first", true],
    ]);
    expect(a.logs("LA-ABCDEFGH", logs[0]!.seq).map((l) => l.message)).toEqual(["[REPLAY] first"]);

    expect(a.counters()).toEqual({ applicationsSubmitted: 0, approvalsProcessed: 0 });
    expect(a.increment("applicationsSubmitted")).toBe(1);
    expect(b.increment("applicationsSubmitted")).toBe(2);
    expect(b.increment("approvalsProcessed")).toBe(1);
    a.close();
    b.close();
    const again = new AppStore(file);
    expect(again.counters()).toEqual({ applicationsSubmitted: 2, approvalsProcessed: 1 });
    again.close();
  });

  it("lives where LOAN_APPROVAL_DATA_DIR says, else in the temp directory", () => {
    expect(dataDirectory({ LOAN_APPROVAL_DATA_DIR: "/var/data/loans" })).toBe("/var/data/loans");
    expect(dataDirectory({ LOAN_APPROVAL_DATA_DIR: "" })).toBe(
      path.join(os.tmpdir(), "dormouse-loan-approval"),
    );
    expect(dataDirectory({})).toBe(path.join(os.tmpdir(), "dormouse-loan-approval"));
  });
});
