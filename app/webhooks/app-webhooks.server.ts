import { shopDomain } from "../domain/compliance-payloads";
import { BodyTooLargeError, textAnswer, type Answer, type InboundRequest } from "./inbound.server";
import { verifyWebhook } from "./verify-webhook.server";

/** A shop resource is a few kilobytes. */
const MAX_APP_WEBHOOK_BODY_BYTES = 256 * 1024;

export type ReceivedAppWebhook =
  { ok: true; shop: string; webhookId: string; payload: unknown } | { ok: false; answer: Answer };

/**
 * Checks an app lifecycle webhook (app/uninstalled, app/scopes_update) without any session:
 * these arrive exactly when the shop's tokens are gone or stale, and the handlers only update
 * our own rows. The same answers as the compliance endpoint: 405, 413, 401 for a missing or bad
 * HMAC, 400 for a missing header, a topic other than `topic`, a bad shop domain or bad JSON, 415.
 */
export async function receiveAppWebhook(
  inbound: InboundRequest,
  topic: "app/uninstalled" | "app/scopes_update",
  apiSecret: string,
): Promise<ReceivedAppWebhook> {
  const refuse = (status: number, message: string) => ({
    ok: false as const,
    answer: textAnswer(status, message),
  });
  if (inbound.method !== "POST") {
    await inbound.discardBody();
    return refuse(405, `${topic} webhooks must be POSTed`);
  }
  let rawBody: Buffer;
  try {
    rawBody = await inbound.readBody(MAX_APP_WEBHOOK_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return refuse(413, error.message);
    throw error;
  }
  const verification = verifyWebhook(rawBody, inbound.header, apiSecret);
  if (!verification.ok) return refuse(verification.status, verification.message);
  const { delivery } = verification;
  if (delivery.topic.toLowerCase() !== topic)
    return refuse(400, `Topic ${delivery.topic} is not ${topic}, the only topic this endpoint takes`);
  const mediaType = inbound.header("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") return refuse(415, "Content-Type must be application/json");
  const shop = shopDomain.safeParse(delivery.shop);
  if (!shop.success)
    return refuse(400, `X-Shopify-Shop-Domain ${delivery.shop} is not a myshopify.com domain`);
  try {
    return {
      ok: true,
      shop: shop.data,
      webhookId: delivery.webhookId,
      payload: JSON.parse(rawBody.toString("utf8")),
    };
  } catch {
    return refuse(400, "Body is not valid JSON");
  }
}
