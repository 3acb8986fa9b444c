// loan-workflow: decides one loan application, durably. Every stage is checkpointed, so the workflow
// can wait days for a manager without running, and carries on where it was once the manager answers
// (or after a crash): validate, three credit bureaus in parallel, assess, a manager's approval above
// the threshold, the fraud check (a separate function that completes a callback), the decision.
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { defaultSerdes, withDurableExecution } from "@aws/durable-execution-sdk-js";
import { dollars, sinLast4, validateApplication } from "./lib/application.js";
import type { LoanApplication } from "./lib/application.js";
import { BUREAUS, assess, averageScore, bureauScore } from "./lib/credit.js";
import type { BureauReport } from "./lib/credit.js";
import { asFraudCheckResult, asManagerDecision } from "./lib/decision.js";
import type { FraudCheckRequest, FraudCheckResult, LoanDecision, ManagerDecision } from "./lib/decision.js";
import { workflowLogger } from "./lib/log.js";

const lambda = new LambdaClient({});
const FRAUD_CHECK_FUNCTION = process.env.FRAUD_CHECK_FUNCTION || "fraud-check";
const MANAGER_APPROVAL_THRESHOLD = Number(process.env.MANAGER_APPROVAL_THRESHOLD || 100_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Outcome = Omit<LoanDecision, "applicationId" | "applicantName" | "amount" | "decidedAt">;

export const handler = withDurableExecution(async (event: LoanApplication, ctx): Promise<LoanDecision> => {
  const log = workflowLogger(ctx, correlationIdOf(event), "loan-workflow");

  /** Records the decision in a last step, so its time is checkpointed like everything else. */
  const finish = async (outcome: Outcome): Promise<LoanDecision> => {
    const decision = await ctx.step("finalize", async () => ({
      applicationId: String(event?.applicationId ?? ""),
      applicantName: String(event?.applicantName ?? ""),
      amount: typeof event?.amount === "number" ? event.amount : 0,
      ...outcome,
      decidedAt: new Date().toISOString(),
    }));
    const loan = `${dollars(decision.amount)} loan`;
    if (decision.status === "APPROVED") log.info(`${loan} APPROVED`, { status: decision.status });
    else log.info(`${loan} DENIED: ${decision.reason}`, { status: decision.status });
    return decision;
  };

  log.info("Loan application received");
  const validation = await ctx.step("validate-application", async () => validateApplication(event));
  if (!validation.ok) {
    log.warn("Application rejected by validation", { problems: validation.problems });
    return finish({ status: "DENIED", reason: `Invalid application: ${validation.problems.join("; ")}` });
  }
  const application = validation.value;
  log.info(`Application validated: ${dollars(application.amount)} for ${application.applicantName}`, {
    sinLast4: sinLast4(application.sin),
  });

  log.info(`Requesting credit reports from ${BUREAUS.length} bureaus in parallel`);
  const checks = await ctx.parallel<BureauReport>(
    "credit-checks",
    BUREAUS.map((bureau) => ({
      name: bureau.id,
      func: (branch) =>
        branch.step(`${bureau.id}-report`, async () => {
          await sleep(bureau.latencyMs);
          const score = bureauScore(bureau.id, application.sin);
          log.info(`${bureau.name} reports a credit score of ${score}`, { bureau: bureau.id, score });
          return { bureau: bureau.id, name: bureau.name, score, checkedAt: new Date().toISOString() };
        }),
    })),
  );
  checks.throwIfError();
  const bureauReports = checks.getResults();
  const creditScore = averageScore(bureauReports);
  log.info(`Credit checks complete: average score ${creditScore}`, { creditScore });

  const assessment = await ctx.step("decide", async () =>
    assess(application.amount, creditScore, MANAGER_APPROVAL_THRESHOLD),
  );
  log.info(`Assessment: ${assessment.outcome} (${assessment.reason})`, { outcome: assessment.outcome });
  const scored = { creditScore, bureauReports };
  if (assessment.outcome === "denied")
    return finish({ ...scored, status: "DENIED", reason: assessment.reason });

  let managerReview: ManagerDecision | undefined;
  if (assessment.outcome === "manager-review") {
    log.info(`Waiting for a manager: ${assessment.reason}`);
    try {
      const answer = await ctx.waitForCallback<unknown>(
        "manager-approval",
        async (callbackId) => {
          // The page's manager dialog answers through the API, which finds this callback in the
          // execution's history; a real system would also notify a manager here.
          log.info("Manager approval requested", { callbackId });
        },
        { timeout: { days: 3 }, serdes: defaultSerdes },
      );
      managerReview = asManagerDecision(answer);
    } catch (err) {
      log.warn("No usable manager decision", { error: String(err) });
      return finish({
        ...scored,
        status: "DENIED",
        reason: `No manager decision: ${(err as Error).message}`,
      });
    }
    const by = managerReview.manager;
    log.info(`Manager ${by} ${managerReview.approved ? "approved" : "denied"} the application`, {
      approved: managerReview.approved,
      ...(managerReview.comment ? { comment: managerReview.comment } : {}),
    });
    if (!managerReview.approved) {
      const why = managerReview.comment ? `: ${managerReview.comment}` : "";
      return finish({ ...scored, managerReview, status: "DENIED", reason: `Denied by manager ${by}${why}` });
    }
  }
  const reviewed = { ...scored, ...(managerReview ? { managerReview } : {}) };

  let fraudCheck: FraudCheckResult;
  try {
    const answer = await ctx.waitForCallback<unknown>(
      "fraud-check",
      async (callbackId) => {
        const request: FraudCheckRequest = {
          callbackId,
          applicationId: application.applicationId,
          applicantName: application.applicantName,
          sinLast4: sinLast4(application.sin),
          amount: application.amount,
        };
        // Asynchronous: the fraud check answers the callback itself, whenever it is done.
        await lambda.send(
          new InvokeCommand({
            FunctionName: FRAUD_CHECK_FUNCTION,
            InvocationType: "Event",
            Payload: JSON.stringify(request),
          }),
        );
        log.info(`Fraud check requested from ${FRAUD_CHECK_FUNCTION}`);
      },
      { timeout: { minutes: 5 }, serdes: defaultSerdes },
    );
    fraudCheck = asFraudCheckResult(answer);
  } catch (err) {
    log.warn("No usable fraud check result", { error: String(err) });
    return finish({
      ...reviewed,
      status: "DENIED",
      reason: `No fraud check result: ${(err as Error).message}`,
    });
  }
  log.info(`Fraud check ${fraudCheck.passed ? "passed" : "failed"} (risk score ${fraudCheck.riskScore})`, {
    riskScore: fraudCheck.riskScore,
  });
  if (!fraudCheck.passed) {
    const signals = fraudCheck.signals.join(", ");
    return finish({
      ...reviewed,
      fraudCheck,
      status: "DENIED",
      reason: `Flagged by the fraud check: ${signals}`,
    });
  }
  return finish({
    ...reviewed,
    fraudCheck,
    status: "APPROVED",
    reason: managerReview ? `Approved by manager ${managerReview.manager}` : assessment.reason,
  });
});

function correlationIdOf(event: unknown): string {
  const id = (event as { applicationId?: unknown } | null)?.applicationId;
  return typeof id === "string" && id !== "" ? id : "unknown";
}
