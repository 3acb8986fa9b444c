// approval: records a request, then waits, for up to ten minutes, until someone approves or
// rejects it with the callback id it prints. Waiting costs nothing: the function is not running
// until the callback arrives (or times out), then it resumes after `waitForCallback`.
import { defaultSerdes, withDurableExecution } from "@aws/durable-execution-sdk-js";

interface ApprovalEvent {
  request?: string;
}

interface Decision {
  approved?: boolean;
  by?: string;
  comment?: string;
}

export const handler = withDurableExecution(async (event: ApprovalEvent, ctx) => {
  const request = await ctx.step("submit-request", async () => ({
    what: event.request ?? "a new laptop",
    submittedAt: new Date().toISOString(),
  }));

  const decision = await ctx.waitForCallback<Decision | undefined>(
    "approval",
    async (callbackId) => {
      console.log(`"${request.what}" is waiting for approval. Approve it with:`);
      console.log(`  dormouse callback succeed ${callbackId} --result '{"approved":true,"by":"you"}'`);
      console.log(`or reject it (the execution then fails with your message) with:`);
      console.log(
        `  dormouse callback fail ${callbackId} --error-type Rejected --error-message "not this quarter"`,
      );
    },
    // Without a serdes the callback result arrives as the raw text that was sent; defaultSerdes
    // parses it as JSON.
    { timeout: { minutes: 10 }, serdes: defaultSerdes },
  );

  return ctx.step("record-decision", async () => ({
    request: request.what,
    approved: decision?.approved === true,
    by: decision?.by ?? "someone",
    comment: decision?.comment,
    decidedAt: new Date().toISOString(),
  }));
});
