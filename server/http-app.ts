import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express, { type Router } from "express";
import { getDb } from "../app/db.server";
import { getEnv } from "../app/env.server";
import { logger } from "../app/logger.server";
import { healthAnswer, metricsAnswer, readyAnswer, type OpsAnswer } from "../app/ops-endpoints.server";
import { handleComplianceWebhook } from "../app/webhooks/compliance-webhook.server";
import {
  fromNodeRequest,
  RequestAbortedError,
  sendNodeAnswer,
  textAnswer,
} from "../app/webhooks/inbound.server";
import { complianceWebhookDeps } from "../app/webhooks/intake.server";

/**
 * The production HTTP app: health, readiness and metrics, compliance webhooks, hashed assets
 * cached for a year, everything else to Remix.
 *
 * /webhooks/compliance is answered here, before Express and Remix, by the handler the Remix route
 * uses (app/routes/webhooks.compliance.tsx, which is what answers under the Vite dev server):
 * turning each delivery into a Fetch Request and matching Remix routes cost more CPU than the
 * webhook itself, and Express's own routing a few percent more (ADR 005).
 */
export function createHttpApp(build: ServerBuild, clientDir: string, options: { before?: Router[] } = {}) {
  const app = express();
  app.disable("x-powered-by");
  const send = (res: express.Response, answer: OpsAnswer) =>
    res.status(answer.status).set(answer.headers).send(answer.body);
  const failed = (res: express.Response) => (error: unknown) => {
    logger.error("operations endpoint failed", { error: String(error) });
    if (!res.headersSent) res.status(500).type("text/plain").send("Internal Server Error");
  };
  app.get("/healthz", (_req, res) => send(res, healthAnswer()));
  app.get("/readyz", (_req, res) => {
    readyAnswer(getDb(), getEnv()).then((answer) => send(res, answer), failed(res));
  });
  app.get("/metrics", (req, res) => {
    metricsAnswer(getDb(), getEnv(), req.get("authorization") ?? null).then(
      (answer) => send(res, answer),
      failed(res),
    );
  });
  for (const router of options.before ?? []) app.use(router);
  app.use("/assets", express.static(`${clientDir}/assets`, { immutable: true, maxAge: "1y" }));
  app.use(express.static(clientDir, { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: "production" }));
  return (req: IncomingMessage, res: ServerResponse) => {
    if (isComplianceWebhookPath(req.url)) answerComplianceWebhook(req, res);
    else app(req, res);
  };
}

/** /webhooks/compliance, as Express would match it (any case, an optional trailing slash, a query). */
function isComplianceWebhookPath(url = "/"): boolean {
  const end = url.indexOf("?");
  return /^\/webhooks\/compliance\/?$/i.test(end === -1 ? url : url.slice(0, end));
}

function answerComplianceWebhook(req: IncomingMessage, res: ServerResponse) {
  const deps = complianceWebhookDeps();
  handleComplianceWebhook(fromNodeRequest(req), deps).then(
    (answer) => sendNodeAnswer(res, answer),
    (error: unknown) => {
      if (error instanceof RequestAbortedError) return;
      // Not stored, so not acknowledged: Shopify retries anything but a 2xx.
      deps.logger.error("compliance webhook failed", { error: String(error) });
      sendNodeAnswer(res, textAnswer(500, "The delivery could not be stored; it was not acknowledged"));
    },
  );
}
