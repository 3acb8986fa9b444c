// The application's own records, shared by its three functions: the applications the API accepted
// (with their execution ARNs), every log line by correlation id, and the API's counters. A SQLite
// file in WAL mode, so warm workers of different functions read and write it at the same time.
// (Deployed to AWS, this module is the one to swap for DynamoDB and CloudWatch Logs.)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";

export interface ApplicationRecord {
  applicationId: string;
  applicantName: string;
  sinLast4: string;
  amount: number;
  executionArn: string;
  submittedAt: string;
}

export interface LogRecord {
  seq: number;
  correlationId: string;
  timestamp: string;
  level: string;
  service: string;
  message: string;
  replay: boolean;
  /** The whole structured line, as it was printed. */
  entry: Record<string, unknown>;
}

export const COUNTERS = ["applicationsSubmitted", "approvalsProcessed"] as const;
export type Counter = (typeof COUNTERS)[number];

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS applications (
    application_id TEXT PRIMARY KEY,
    applicant_name TEXT NOT NULL,
    sin_last4 TEXT NOT NULL,
    amount INTEGER NOT NULL,
    execution_arn TEXT NOT NULL,
    submitted_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS log_lines (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    correlation_id TEXT NOT NULL,
    entry TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS log_lines_by_correlation ON log_lines (correlation_id, seq);
  CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  );
`;

/** `LOAN_APPROVAL_DATA_DIR` (the template's DataDirectory parameter), else the system temp dir. */
export function dataDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.LOAN_APPROVAL_DATA_DIR?.trim();
  return configured ? path.resolve(configured) : path.join(os.tmpdir(), "dormouse-loan-approval");
}

export class AppStore {
  private readonly db: Database.Database;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma("busy_timeout = 5000");
    this.db.pragma("journal_mode = WAL");
    this.db.exec(SCHEMA);
  }

  addApplication(record: ApplicationRecord): void {
    this.db
      .prepare(
        `INSERT INTO applications (application_id, applicant_name, sin_last4, amount, execution_arn, submitted_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        record.applicationId,
        record.applicantName,
        record.sinLast4,
        record.amount,
        record.executionArn,
        record.submittedAt,
      );
  }

  application(applicationId: string): ApplicationRecord | undefined {
    const row = this.db.prepare(`SELECT * FROM applications WHERE application_id = ?`).get(applicationId) as
      Record<string, string | number> | undefined;
    if (!row) return undefined;
    return {
      applicationId: String(row.application_id),
      applicantName: String(row.applicant_name),
      sinLast4: String(row.sin_last4),
      amount: Number(row.amount),
      executionArn: String(row.execution_arn),
      submittedAt: String(row.submitted_at),
    };
  }

  appendLog(correlationId: string, entry: Record<string, unknown>): void {
    this.db
      .prepare(`INSERT INTO log_lines (correlation_id, entry) VALUES (?, ?)`)
      .run(correlationId, JSON.stringify(entry));
  }

  /** The lines of one correlation id in the order they were written, after `afterSeq` if given. */
  logs(correlationId: string, afterSeq = 0): LogRecord[] {
    const rows = this.db
      .prepare(`SELECT seq, entry FROM log_lines WHERE correlation_id = ? AND seq > ? ORDER BY seq`)
      .all(correlationId, afterSeq) as { seq: number; entry: string }[];
    return rows.map(({ seq, entry }) => {
      const e = JSON.parse(entry) as Record<string, unknown>;
      return {
        seq,
        correlationId,
        timestamp: String(e.timestamp),
        level: String(e.level),
        service: String(e.service),
        message: String(e.message),
        replay: e.replay === true,
        entry: e,
      };
    });
  }

  increment(counter: Counter): number {
    const row = this.db
      .prepare(
        `INSERT INTO counters (name, value) VALUES (?, 1)
         ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
      )
      .get(counter) as { value: number };
    return row.value;
  }

  counters(): Record<Counter, number> {
    const rows = this.db.prepare(`SELECT name, value FROM counters`).all() as {
      name: string;
      value: number;
    }[];
    const out = Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<Counter, number>;
    for (const { name, value } of rows)
      if ((COUNTERS as readonly string[]).includes(name)) out[name as Counter] = value;
    return out;
  }

  close(): void {
    this.db.close();
  }
}

let shared: AppStore | undefined;

/** One store per process, opened on first use (outside the handler, as Lambda code keeps clients). */
export function appStore(): AppStore {
  shared ??= new AppStore(path.join(dataDirectory(), "loan-approval.sqlite"));
  return shared;
}
