// fraud-check: a plain (not durable) function. The workflow invokes it asynchronously with a callback
// id and waits; this function checks the case and completes the callback itself with
// SendDurableExecutionCallbackSuccess — or SendDurableExecutionCallbackFailure when it cannot check.
import {
  LambdaClient,
  SendDurableExecutionCallbackFailureCommand,
  SendDurableExecutionCallbackSuccessCommand,
} from "@aws-sdk/client-lambda";
import type { FraudCheckRequest, FraudCheckResult } from "./lib/decision.js";
import { assessFraudRisk } from "./lib/fraud.js";
import { serviceLogger } from "./lib/log.js";

const lambda = new LambdaClient({});

export const handler = async (event: FraudCheckRequest): Promise<FraudCheckResult | undefined> => {
  const log = serviceLogger("fraud-check", event.applicationId ?? "unknown");
  if (typeof event.callbackId !== "string" || event.callbackId === "") {
    log.error("Fraud check request without a callbackId");
    throw new Error("fraud-check needs a callbackId");
  }
  try {
    log.info("Fraud check started");
    // The checks a real service would run against its own data take a moment.
    await new Promise((resolve) => setTimeout(resolve, 700));
    const result = assessFraudRisk(event, new Date());
    await lambda.send(
      new SendDurableExecutionCallbackSuccessCommand({
        CallbackId: event.callbackId,
        Result: JSON.stringify(result),
      }),
    );
    log.info(`Fraud check ${result.passed ? "passed" : "failed"}; callback sent`, {
      riskScore: result.riskScore,
    });
    return result;
  } catch (err) {
    log.error("Fraud check failed", { error: String(err) });
    await lambda.send(
      new SendDurableExecutionCallbackFailureCommand({
        CallbackId: event.callbackId,
        Error: { ErrorType: "FraudCheckError", ErrorMessage: String(err) },
      }),
    );
    return undefined;
  }
};
