// Dormouse's own deploy endpoint (not a Lambda API): `dormouse deploy` posts the template's
// functions as revisions plus their files (base64 by SHA-256). See DeployService.
import type { DeployService } from "@dormouse/scheduler";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { jsonBody, validate } from "../validation.js";

/** Code bundles are far larger than checkpoints: 64 MiB of files, base64-encoded. */
export const DEPLOY_BODY_LIMIT = 96 * 1024 * 1024;

const deployBody = z.object({
  functions: z
    .array(
      z.object({
        revision: z.record(z.string(), z.unknown()),
        autoPublishAlias: z
          .string()
          .regex(/^(?!\d+$)[a-zA-Z0-9-_]{1,128}$/, { error: "must be an alias name" })
          .optional(),
      }),
    )
    .min(1, { error: "must name at least one function" })
    .max(200),
  blobs: z.record(z.string().regex(/^[0-9a-f]{64}$/, { error: "keys must be SHA-256 hex" }), z.string()),
});

const missingBody = z.object({
  blobs: z.array(z.string().regex(/^[0-9a-f]{64}$/, { error: "must be SHA-256 hex" })).max(200_000),
});

export function registerDeployRoutes(app: FastifyInstance, deploy: DeployService): void {
  app.post("/dormouse-api/deploy/missing", { bodyLimit: 16 * 1024 * 1024 }, async (request) => ({
    missing: await deploy.missing(validate(missingBody, jsonBody(request.body as Buffer, {})).blobs),
  }));
  app.post("/dormouse-api/deploy", { bodyLimit: DEPLOY_BODY_LIMIT }, async (request) =>
    deploy.deploy(validate(deployBody, jsonBody(request.body as Buffer, {}))),
  );
}
