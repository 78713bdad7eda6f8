import { parseCompliancePayload, PayloadError, toComplianceTopic } from "../domain/compliance-payloads";
import type { Logger } from "../logger.server";
import type { IntakeItem, IntakeOutcome } from "../services/compliance-intake.server";
import { BodyTooLargeError, readBodyWithLimit } from "./read-body.server";

/** Compliance payloads are a few hundred bytes; even thousands of order ids fit well inside this. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

export interface WebhookContext {
  topic: string;
  shop: string;
  webhookId: string;
  apiVersion: string;
  payload: unknown;
  eventId?: string;
  triggeredAt?: string;
}

export interface ComplianceWebhookDeps {
  /** Resolves once the delivery is committed (services/intake-batcher.server.ts). */
  ingest: (item: IntakeItem) => Promise<IntakeOutcome>;
  logger: Logger;
  /** `authenticate.webhook` from shopify.server (HMAC, headers, 401/400/405 as thrown Responses). */
  authenticate: (request: Request) => Promise<WebhookContext>;
  now?: () => Date;
}

const text = (status: number, message: string) =>
  new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

/**
 * POST /webhooks/compliance. Order matters: size cap, then signature (a bad HMAC is always 401,
 * whatever the body), then JSON and payload shape (400), then one transaction; the 200 is sent
 * only after it commits. Nothing is stored for a request that fails any check.
 */
export async function handleComplianceWebhook(
  request: Request,
  deps: ComplianceWebhookDeps,
): Promise<Response> {
  if (request.method !== "POST") return text(405, "Compliance webhooks must be POSTed");
  let rawBody: string;
  try {
    rawBody = await readBodyWithLimit(request, MAX_WEBHOOK_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return text(413, error.message);
    throw error;
  }

  let context: WebhookContext;
  try {
    context = await deps.authenticate(
      new Request(request.url, { method: "POST", headers: request.headers, body: rawBody }),
    );
  } catch (thrown) {
    if (thrown instanceof Response) return explainRejection(thrown);
    if (thrown instanceof SyntaxError) return text(400, "Body is not valid JSON");
    throw thrown;
  }

  const topic = toComplianceTopic(context.topic);
  if (!topic)
    return text(
      400,
      `Topic ${context.topic} is not a compliance topic; this endpoint takes customers/data_request, customers/redact and shop/redact`,
    );
  const mediaType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") return text(415, "Content-Type must be application/json");

  let compliance;
  try {
    compliance = parseCompliancePayload(topic, context.payload);
  } catch (error) {
    if (error instanceof PayloadError) return text(400, error.message);
    throw error;
  }
  if (compliance.payload.shop_domain.toLowerCase() !== context.shop.toLowerCase()) {
    return text(
      400,
      `Payload shop_domain ${compliance.payload.shop_domain} does not match the signed shop ${context.shop}`,
    );
  }

  const outcome = await deps.ingest({
    meta: {
      webhookId: context.webhookId,
      shop: context.shop,
      apiVersion: context.apiVersion,
      eventId: context.eventId ?? null,
      triggeredAt: context.triggeredAt ?? null,
    },
    compliance,
    now: deps.now?.() ?? new Date(),
  });
  deps.logger.info("compliance webhook", {
    topic,
    shop: context.shop,
    webhookId: context.webhookId,
    outcome: outcome.status,
  });
  return Response.json(outcome, { status: 200 });
}

/** The library throws bare status codes; say what was wrong. */
function explainRejection(response: Response): Response {
  switch (response.status) {
    case 401:
      return text(401, "HMAC signature does not match the body");
    case 400:
      return text(
        400,
        "Missing Shopify webhook headers (X-Shopify-Hmac-Sha256, -Topic, -Shop-Domain, -API-Version, -Webhook-Id) or empty body",
      );
    case 405:
      return text(405, "Compliance webhooks must be POSTed");
    default:
      return response;
  }
}
