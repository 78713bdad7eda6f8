import {
  parseCompliancePayload,
  PayloadError,
  shopDomain,
  toComplianceTopic,
} from "../domain/compliance-payloads";
import type { Logger } from "../logger.server";
import type { AppMetrics } from "../metrics.server";
import type { IntakeItem, IntakeOutcome } from "../services/compliance-intake.server";
import {
  BodyTooLargeError,
  jsonAnswer,
  RequestAbortedError,
  textAnswer,
  type Answer,
  type InboundRequest,
} from "./inbound.server";
import { verifyWebhook } from "./verify-webhook.server";

/** Compliance payloads are a few hundred bytes; even thousands of order ids fit well inside this. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

export interface ComplianceWebhookDeps {
  /** The app's client secret: Shopify signs every webhook body with it. */
  apiSecret: string;
  /** Resolves once the delivery is committed (services/intake-batcher.server.ts). */
  ingest: (item: IntakeItem) => Promise<IntakeOutcome>;
  logger: Logger;
  now?: () => Date;
  /** Counts and times every answer (/metrics); entry points pass the process's registry. */
  metrics?: Pick<AppMetrics, "webhooks" | "webhookSeconds">;
}

const NOT_POSTED = "Compliance webhooks must be POSTed";

/**
 * POST /webhooks/compliance, for the Express layer and the Remix route alike. Order matters:
 * size cap (413), then the signature (401 for a missing or bad HMAC, whatever else is wrong),
 * then headers, JSON and payload shape (400, 415), then one transaction; the 200 is sent only
 * after it commits. Nothing is stored for a request that fails any check. No session is loaded
 * and nothing calls Shopify: a shop whose tokens expired long ago is answered like any other.
 */
export async function handleComplianceWebhook(
  inbound: InboundRequest,
  deps: ComplianceWebhookDeps,
): Promise<Answer> {
  const started = performance.now();
  const seen: { outcome?: IntakeOutcome } = {};
  let outcome = "failed";
  let status = "500";
  try {
    const answer = await answerComplianceWebhook(inbound, deps, seen);
    status = String(answer.status);
    outcome = seen.outcome?.status ?? "rejected";
    return answer;
  } catch (error) {
    if (error instanceof RequestAbortedError) [outcome, status] = ["aborted", "none"];
    throw error;
  } finally {
    // The topic header is not verified for a rejected delivery: only the three known names count.
    const header = inbound.header("x-shopify-topic") ?? "";
    const topic = toComplianceTopic(header) ?? "other";
    deps.metrics?.webhooks.inc({ topic, outcome, status });
    deps.metrics?.webhookSeconds.observe({ topic, outcome }, (performance.now() - started) / 1000);
  }
}

async function answerComplianceWebhook(
  inbound: InboundRequest,
  deps: ComplianceWebhookDeps,
  seen: { outcome?: IntakeOutcome },
): Promise<Answer> {
  if (inbound.method !== "POST") {
    await inbound.discardBody();
    return textAnswer(405, NOT_POSTED);
  }
  let rawBody: Buffer;
  try {
    rawBody = await inbound.readBody(MAX_WEBHOOK_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return textAnswer(413, error.message);
    throw error;
  }

  const verification = verifyWebhook(rawBody, inbound.header, deps.apiSecret);
  if (!verification.ok) return textAnswer(verification.status, verification.message);
  const { delivery } = verification;

  const topic = toComplianceTopic(delivery.topic);
  if (!topic)
    return textAnswer(
      400,
      `Topic ${delivery.topic} is not a compliance topic; this endpoint takes customers/data_request, customers/redact and shop/redact`,
    );
  const mediaType = inbound.header("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") return textAnswer(415, "Content-Type must be application/json");

  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString("utf8"));
  } catch {
    return textAnswer(400, "Body is not valid JSON");
  }
  let compliance;
  try {
    compliance = parseCompliancePayload(topic, body);
  } catch (error) {
    if (error instanceof PayloadError) return textAnswer(400, error.message);
    throw error;
  }
  // The payload's domain is signed, the header's is not: they must name the same shop.
  const signedShop = compliance.payload.shop_domain;
  const headerShop = shopDomain.safeParse(delivery.shop);
  if (!headerShop.success || headerShop.data !== signedShop)
    return textAnswer(
      400,
      `Payload shop_domain ${signedShop} does not match the X-Shopify-Shop-Domain header ${delivery.shop}`,
    );

  const outcome = await deps.ingest({
    meta: {
      webhookId: delivery.webhookId,
      shop: signedShop,
      apiVersion: delivery.apiVersion,
      eventId: delivery.eventId,
      triggeredAt: delivery.triggeredAt,
    },
    compliance,
    now: deps.now?.() ?? new Date(),
  });
  seen.outcome = outcome;
  deps.logger.info("compliance webhook", {
    topic,
    shop: signedShop,
    webhookId: delivery.webhookId,
    outcome: outcome.status,
  });
  return jsonAnswer(200, outcome);
}
