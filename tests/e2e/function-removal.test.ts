// A function removed from the template (issue #3), as Lambda's DeleteFunction: after the reload no
// new execution can start and the listings no longer show it, while an execution already waiting
// on it still completes on the code it pinned, and the console still shows that execution.
import {
  GetFunctionCommand,
  InvokeCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  SendDurableExecutionCallbackSuccessCommand,
} from "@aws-sdk/client-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, waitForEvent } from "../support/harness.js";
import { callbackIdOf, finished, raw, sdkError } from "../support/e2e.js";
import { VERSIONED_TEMPLATE, pinnedHandler, tempProject } from "../support/projects.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** VERSIONED_TEMPLATE plus a second durable function, `helper`, on the same code. */
const WITH_HELPER = `${VERSIONED_TEMPLATE}
  Helper:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: helper
      Handler: app.handler
      AutoPublishAlias: live
      DurableConfig: { ExecutionTimeout: 600, RetentionPeriodInDays: 1 }
`;

describe("a function removed from the template", () => {
  it("takes no new executions and leaves the listings; its waiting execution still completes", async () => {
    const project = tempProject({ "template.yaml": WITH_HELPER, "src/app.mjs": pinnedHandler("v1") });
    cleanup.push(() => project.remove());
    const t = await startTestServer({ template: project.template });
    cleanup.push(() => t.close());

    const started = await t.client.send(
      new InvokeCommand({
        FunctionName: "helper:live",
        InvocationType: "Event",
        Payload: new TextEncoder().encode("{}"),
      }),
    );
    const arn = started.DurableExecutionArn!;
    const callbackId = await callbackIdOf(t.client, arn);
    await waitForEvent(t.client, arn, (e) => e.EventType === "InvocationCompleted");

    // The template loses `helper`, and the code changes too: the waiting execution keeps v1.
    project.write("template.yaml", VERSIONED_TEMPLATE);
    project.write("src/app.mjs", pinnedHandler("v2"));
    expect(await t.server.reload()).toMatchObject({ ok: true, rejected: [], removed: ["helper"] });

    for (const name of ["helper", "helper:live", "helper:1"]) {
      const error = await sdkError(
        t.client.send(new InvokeCommand({ FunctionName: name, Payload: new TextEncoder().encode("{}") })),
      );
      expect(error).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
    }
    expect((await sdkError(t.client.send(new GetFunctionCommand({ FunctionName: "helper" })))).name).toBe(
      "ResourceNotFoundException",
    );
    const versions = t.client.send(new ListVersionsByFunctionCommand({ FunctionName: "helper" }));
    expect((await sdkError(versions)).name).toBe("ResourceNotFoundException");
    const listed = await t.client.send(new ListFunctionsCommand({}));
    expect(listed.Functions?.map((f) => f.FunctionName)).toEqual(["pinned-dev"]);

    // The console still lists the execution, under the function it ran on.
    const page = await raw(t.url, "GET", "/console-api/executions?function=helper");
    expect(JSON.stringify(page.json)).toContain(arn);

    await t.client.send(
      new SendDurableExecutionCallbackSuccessCommand({
        CallbackId: callbackId,
        Result: new TextEncoder().encode("yes"),
      }),
    );
    const { execution } = await finished(t.client, arn);
    expect(execution.Status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.Result!)).toEqual({ startedOn: "v1", finishedOn: "v1", answer: "yes" });

    // Declared again, it is a new function: its versions count from 1 again, as on Lambda.
    project.write("template.yaml", WITH_HELPER);
    expect(await t.server.reload()).toMatchObject({
      published: [{ name: "pinned-dev" }, { name: "helper", publishedVersion: "1" }],
      removed: [],
    });
  });
});
