// ListFunctions / GetFunction / GetFunctionConfiguration shapes.
import type { DurableService, FunctionSummary } from "@dormouse/scheduler";
import { afterEach, describe, expect, it } from "vitest";
import { createApi } from "../app.js";
import { FUNCTIONS, awsError, fakeService } from "../test-service.js";

const apps: ReturnType<typeof createApi>[] = [];
function setup(overrides: Partial<DurableService> = {}) {
  const service = fakeService(overrides);
  const app = createApi({ service });
  apps.push(app);
  return { service, app };
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

const ORDERS_CONFIG = {
  FunctionName: "orders",
  FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:orders",
  Runtime: "nodejs20.x",
  Handler: "index.handler",
  Timeout: 60,
  MemorySize: 256,
  Version: "$LATEST",
  PackageType: "Zip",
  State: "Active",
  LastUpdateStatus: "Successful",
  DurableConfig: { ExecutionTimeout: 3600, RetentionPeriodInDays: 14 },
};

describe("GetFunction / GetFunctionConfiguration", () => {
  it("returns the configuration with DurableConfig", async () => {
    const { app } = setup();
    const get = await app.inject({ method: "GET", url: "/2015-03-31/functions/orders" });
    expect(JSON.parse(get.body)).toEqual({ Configuration: ORDERS_CONFIG });
    const conf = await app.inject({ method: "GET", url: "/2015-03-31/functions/orders/configuration" });
    expect(JSON.parse(conf.body)).toEqual(ORDERS_CONFIG);
  });

  it("qualifies FunctionArn with the qualifier the caller used", async () => {
    const { app } = setup();
    const res = await app.inject({ method: "GET", url: "/2015-03-31/functions/orders?Qualifier=%24LATEST" });
    expect(JSON.parse(res.body).Configuration.FunctionArn).toBe(
      "arn:aws:lambda:us-east-1:000000000000:function:orders:$LATEST",
    );
  });

  it("describes a version the listing does not contain from what resolveFunction says", async () => {
    const { app } = setup();
    const res = await app.inject({ method: "GET", url: "/2015-03-31/functions/orders%3A3/configuration" });
    expect(JSON.parse(res.body)).toMatchObject({
      FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:orders:3",
      Version: "3",
      Handler: "index.handler",
      DurableConfig: { ExecutionTimeout: 3600, RetentionPeriodInDays: 14 },
    });
  });

  it("has no DurableConfig for plain functions and 404s unknown ones", async () => {
    const { app } = setup();
    const plain = JSON.parse((await app.inject({ method: "GET", url: "/2015-03-31/functions/plain" })).body);
    expect(plain.Configuration).not.toHaveProperty("DurableConfig");
    const res = await app.inject({ method: "GET", url: "/2015-03-31/functions/ghost" });
    expect(awsError(res)).toMatchObject({ status: 404, name: "ResourceNotFoundException" });
  });
});

describe("ListFunctions", () => {
  const versions: FunctionSummary[] = [
    { ...FUNCTIONS[0]!, version: "1" },
    ...FUNCTIONS,
    { ...FUNCTIONS[0]!, version: "2" },
  ];

  it("lists each function once, as $LATEST, unless FunctionVersion=ALL", async () => {
    const { app } = setup({ listFunctions: () => versions });
    const once = JSON.parse((await app.inject({ method: "GET", url: "/2015-03-31/functions" })).body);
    expect(
      once.Functions.map((f: { FunctionName: string; Version: string }) => `${f.FunctionName}:${f.Version}`),
    ).toEqual(["orders:$LATEST", "plain:$LATEST"]);
    expect(once.Functions[0]).toEqual(ORDERS_CONFIG);
    expect(once).not.toHaveProperty("NextMarker");
    const all = JSON.parse(
      (await app.inject({ method: "GET", url: "/2015-03-31/functions?FunctionVersion=ALL" })).body,
    );
    expect(all.Functions).toHaveLength(4);
  });

  it("pages with MaxItems and Marker", async () => {
    const { app } = setup({ listFunctions: () => versions });
    const first = JSON.parse(
      (await app.inject({ method: "GET", url: "/2015-03-31/functions?FunctionVersion=ALL&MaxItems=3" })).body,
    );
    expect(first.Functions).toHaveLength(3);
    expect(first.NextMarker).toBe("3");
    const second = JSON.parse(
      (
        await app.inject({
          method: "GET",
          url: "/2015-03-31/functions?FunctionVersion=ALL&MaxItems=3&Marker=3",
        })
      ).body,
    );
    expect(second.Functions).toHaveLength(1);
    expect(second).not.toHaveProperty("NextMarker");
  });

  it.each(["Marker=abc", "Marker=-1", "Marker=01", "MaxItems=0", "FunctionVersion=LATEST"])(
    "?%s → 400",
    async (query) => {
      const { app } = setup();
      const res = await app.inject({ method: "GET", url: `/2015-03-31/functions?${query}` });
      expect(awsError(res)).toMatchObject({ status: 400, name: "InvalidParameterValueException" });
    },
  );
});
