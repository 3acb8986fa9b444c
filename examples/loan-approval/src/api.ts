// loan-api: the HTTP API behind the page (API Gateway HTTP API routes, payload format 2.0). It
// serves the page, starts a workflow per application, reports an application's stage and log lines,
// passes the manager's decision to the waiting workflow, and counts applications and approvals.
import { randomBytes } from "node:crypto";
import {
  GetDurableExecutionCommand,
  GetDurableExecutionHistoryCommand,
  InvokeCommand,
  LambdaClient,
  SendDurableExecutionCallbackSuccessCommand,
} from "@aws-sdk/client-lambda";
import type { Event } from "@aws-sdk/client-lambda";
import { appStore } from "./lib/app-store.js";
import { checkApplicationInput, dollars, newApplicationId, sinLast4 } from "./lib/application.js";
import { checkManagerDecisionInput } from "./lib/decision.js";
import type { LoanDecision, ManagerDecision } from "./lib/decision.js";
import { HttpError, errorResponse, json, jsonBody, pathParameter } from "./lib/http.js";
import type { HttpApiEvent, HttpResponse } from "./lib/http.js";
import { serviceLogger } from "./lib/log.js";
import { describeProgress } from "./lib/progress.js";
import { serveAsset, servePage } from "./lib/static-site.js";

const lambda = new LambdaClient({});
const WORKFLOW = process.env.LOAN_WORKFLOW_FUNCTION || "loan-workflow:live";
const SERVICE = "loan-api";

type Route = (event: HttpApiEvent) => Promise<HttpResponse>;

const ROUTES: Record<string, Route> = {
  "GET /": async () => servePage(),
  "GET /assets/{proxy+}": async (event) => serveAsset(pathParameter(event, "proxy")),
  "POST /api/applications": submitApplication,
  "GET /api/applications/{id}": getApplication,
  "POST /api/applications/{id}/manager-decision": decideAsManager,
  "GET /api/stats": async () => json(200, appStore().counters()),
};

export const handler = async (event: HttpApiEvent): Promise<HttpResponse> => {
  const route = ROUTES[event.routeKey];
  if (!route) return errorResponse(new HttpError(404, "NotFound", `no route for ${event.routeKey}`));
  try {
    return await route(event);
  } catch (err) {
    if (err instanceof HttpError) return errorResponse(err);
    console.error(
      JSON.stringify({ level: "ERROR", service: SERVICE, route: event.routeKey, error: String(err) }),
    );
    return errorResponse(new HttpError(500, "InternalError", "the request failed; see the function's log"));
  }
};

async function submitApplication(event: HttpApiEvent): Promise<HttpResponse> {
  const input = checkApplicationInput(jsonBody(event));
  if (!input.ok) {
    throw new HttpError(400, "ValidationError", input.problems.join("; "), { problems: input.problems });
  }
  const application = { applicationId: newApplicationId(randomBytes), ...input.value };
  const { applicationId, applicantName, amount } = application;
  const log = serviceLogger(SERVICE, applicationId);
  log.info(`Application submitted: ${dollars(amount)} for ${applicantName}`, {
    sinLast4: sinLast4(application.sin),
  });
  let executionArn: string | undefined;
  try {
    // The application id names the execution: submitting the same id twice starts one workflow.
    const started = await lambda.send(
      new InvokeCommand({
        FunctionName: WORKFLOW,
        InvocationType: "Event",
        DurableExecutionName: applicationId,
        Payload: JSON.stringify(application),
      }),
    );
    executionArn = started.DurableExecutionArn;
  } catch (err) {
    log.error("Could not start the loan workflow", { error: String(err) });
    throw new HttpError(502, "WorkflowUnavailable", `could not start the loan workflow: ${String(err)}`);
  }
  if (!executionArn) throw new HttpError(502, "WorkflowUnavailable", `${WORKFLOW} is not a durable function`);
  const store = appStore();
  store.addApplication({
    applicationId,
    applicantName,
    sinLast4: sinLast4(application.sin),
    amount,
    executionArn,
    submittedAt: new Date().toISOString(),
  });
  store.increment("applicationsSubmitted");
  return json(202, { applicationId, executionArn });
}

async function getApplication(event: HttpApiEvent): Promise<HttpResponse> {
  const record = findApplication(event);
  const [execution, events] = await Promise.all([
    lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: record.executionArn })),
    historyOf(record.executionArn),
  ]).catch((err: Error) => {
    if (err.name !== "ResourceNotFoundException") throw err;
    throw new HttpError(
      404,
      "ExecutionNotFound",
      `the workflow of ${record.applicationId} is no longer kept (its retention passed, or its data was deleted)`,
    );
  });
  const { managerCallbackId: _private, ...progress } = describeProgress(events);
  const decision =
    execution.Status === "SUCCEEDED" && execution.Result
      ? (JSON.parse(execution.Result) as LoanDecision)
      : null;
  const logs = appStore()
    .logs(record.applicationId)
    .map(({ seq, timestamp, level, service, message, replay, entry }) => ({
      seq,
      timestamp,
      level,
      service,
      message,
      replay,
      entry,
    }));
  return json(200, {
    application: {
      applicationId: record.applicationId,
      applicantName: record.applicantName,
      sinLast4: record.sinLast4,
      amount: record.amount,
      submittedAt: record.submittedAt,
    },
    execution: {
      arn: record.executionArn,
      status: execution.Status,
      startedAt: execution.StartTimestamp?.toISOString(),
      endedAt: execution.EndTimestamp?.toISOString(),
      ...(execution.Error
        ? { error: { type: execution.Error.ErrorType, message: execution.Error.ErrorMessage } }
        : {}),
    },
    ...progress,
    decision,
    logs,
  });
}

async function decideAsManager(event: HttpApiEvent): Promise<HttpResponse> {
  const record = findApplication(event);
  const input = checkManagerDecisionInput(jsonBody(event));
  if (!input.ok) {
    throw new HttpError(400, "ValidationError", input.problems.join("; "), { problems: input.problems });
  }
  const { managerCallbackId } = describeProgress(await historyOf(record.executionArn));
  if (!managerCallbackId) {
    throw new HttpError(409, "NotWaitingForManager", `${record.applicationId} is not waiting for a manager`);
  }
  const decision: ManagerDecision = { ...input.value, decidedAt: new Date().toISOString() };
  const log = serviceLogger(SERVICE, record.applicationId);
  log.info(`Manager decision received: ${decision.approved ? "approve" : "deny"}`, {
    manager: decision.manager,
  });
  try {
    await lambda.send(
      new SendDurableExecutionCallbackSuccessCommand({
        CallbackId: managerCallbackId,
        Result: JSON.stringify(decision),
      }),
    );
  } catch (err) {
    // Another decision got there first (the callback completes once), or the wait timed out.
    log.warn("The manager's decision was not accepted", { error: String(err) });
    throw new HttpError(
      409,
      "NotWaitingForManager",
      `${record.applicationId} no longer waits: ${String(err)}`,
    );
  }
  appStore().increment("approvalsProcessed");
  return json(200, { applicationId: record.applicationId, approved: decision.approved });
}

function findApplication(event: HttpApiEvent) {
  const id = pathParameter(event, "id");
  const record = appStore().application(id);
  if (!record) throw new HttpError(404, "ApplicationNotFound", `there is no application ${id}`);
  return record;
}

async function historyOf(arn: string): Promise<Event[]> {
  const events: Event[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(
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
