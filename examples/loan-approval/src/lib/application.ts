// What an application is, and the checks both the API (before starting a workflow) and the
// workflow's validation step apply to it. Pure, so the rules are tested without a server.

export interface LoanApplication {
  applicationId: string;
  applicantName: string;
  /** Social Insurance Number: nine digits, stored and logged only as its last four. */
  sin: string;
  /** Whole dollars. */
  amount: number;
}

export const AMOUNT_LIMITS = { min: 1_000, max: 1_000_000 } as const;

export interface ApplicationInput {
  applicantName: string;
  sin: string;
  amount: number;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** Validates a submitted form: every problem is named, so the page can show them all at once. */
export function checkApplicationInput(body: unknown): Checked<ApplicationInput> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, problems: ["the body must be a JSON object with applicantName, sin and amount"] };
  }
  const { applicantName, sin, amount } = body as Record<string, unknown>;
  const problems: string[] = [];
  const name = typeof applicantName === "string" ? applicantName.trim().replace(/\s+/g, " ") : "";
  if (typeof applicantName !== "string") problems.push("applicantName must be a string");
  else if (name.length < 2 || name.length > 80) problems.push("applicantName must be 2 to 80 characters");
  const digits = typeof sin === "string" ? sin.replace(/[\s-]/g, "") : "";
  if (typeof sin !== "string") problems.push("sin must be a string");
  else if (!/^\d{9}$/.test(digits)) problems.push("sin must be nine digits (e.g. 046-454-286)");
  if (typeof amount !== "number" || !Number.isFinite(amount)) problems.push("amount must be a number");
  else if (!Number.isInteger(amount)) problems.push("amount must be whole dollars");
  else if (amount < AMOUNT_LIMITS.min || amount > AMOUNT_LIMITS.max) {
    problems.push(`amount must be between ${dollars(AMOUNT_LIMITS.min)} and ${dollars(AMOUNT_LIMITS.max)}`);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { applicantName: name, sin: digits, amount: amount as number } };
}

/** The workflow's own validation: the same rules, for an event that did not come through the API. */
export function validateApplication(event: unknown): Checked<LoanApplication> {
  const input = checkApplicationInput(event);
  const id = (event as { applicationId?: unknown } | null)?.applicationId;
  const problems = input.ok ? [] : [...input.problems];
  if (typeof id !== "string" || !APPLICATION_ID.test(id)) {
    problems.unshift("applicationId must look like LA-XXXXXXXX");
  }
  if (!input.ok || problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { applicationId: id as string, ...input.value } };
}

/** `LA-` and eight characters that cannot be misread (no 0/O, 1/I). */
export const APPLICATION_ID = /^LA-[A-HJ-NP-Z2-9]{8}$/;
const ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

export function newApplicationId(random: (n: number) => Uint8Array): string {
  const bytes = random(8);
  return `LA-${[...bytes].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join("")}`;
}

export function sinLast4(sin: string): string {
  return sin.slice(-4);
}

export function dollars(amount: number): string {
  return `$${amount.toLocaleString("en-US")}`;
}
