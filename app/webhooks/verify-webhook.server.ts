import { createHmac, timingSafeEqual } from "node:crypto";

/** Reads a request header by its lower-case name; null when absent. */
export type HeaderReader = (lowerCaseName: string) => string | null;

export interface VerifiedDelivery {
  /** As Shopify sends it, e.g. `customers/data_request`. */
  topic: string;
  shop: string;
  apiVersion: string;
  webhookId: string;
  eventId: string | null;
  triggeredAt: string | null;
}

export type Verification =
  { ok: true; delivery: VerifiedDelivery } | { ok: false; status: 400 | 401; message: string };

const REQUIRED_HEADERS = [
  ["x-shopify-topic", "X-Shopify-Topic"],
  ["x-shopify-shop-domain", "X-Shopify-Shop-Domain"],
  ["x-shopify-api-version", "X-Shopify-API-Version"],
  ["x-shopify-webhook-id", "X-Shopify-Webhook-Id"],
] as const;

/** Header values are the sender's: keep what we store and echo short. */
const MAX_HEADER_VALUE = 255;

/**
 * Checks a webhook the way Shopify signs it, without loading or refreshing any session: the
 * base64 HMAC-SHA256 of the raw body bytes with the app secret, compared in constant time,
 * then the delivery headers. A missing or wrong signature is 401 whatever else is wrong (the
 * App Store review sends unsigned requests and expects 401); the signature covers only the
 * body, so the headers checked here prove nothing by themselves.
 */
export function verifyWebhook(rawBody: Buffer, header: HeaderReader, apiSecret: string): Verification {
  const given = header("x-shopify-hmac-sha256");
  if (!given) return { ok: false, status: 401, message: "Missing X-Shopify-Hmac-Sha256 header" };
  const expected = Buffer.from(createHmac("sha256", apiSecret).update(rawBody).digest("base64"));
  const presented = Buffer.from(given.trim());
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected))
    return { ok: false, status: 401, message: "HMAC signature does not match the body" };

  if (rawBody.length === 0) return { ok: false, status: 400, message: "Body is empty" };
  const missing = REQUIRED_HEADERS.filter(([name]) => !header(name)?.trim()).map(([, shown]) => shown);
  if (missing.length)
    return { ok: false, status: 400, message: `Missing Shopify webhook headers: ${missing.join(", ")}` };
  const value = (name: string) => header(name)?.trim() || null;
  const tooLong = REQUIRED_HEADERS.find(([name]) => value(name)!.length > MAX_HEADER_VALUE);
  if (tooLong)
    return { ok: false, status: 400, message: `${tooLong[1]} is longer than ${MAX_HEADER_VALUE} characters` };
  return {
    ok: true,
    delivery: {
      topic: value("x-shopify-topic")!,
      shop: value("x-shopify-shop-domain")!,
      apiVersion: value("x-shopify-api-version")!,
      webhookId: value("x-shopify-webhook-id")!,
      eventId: value("x-shopify-event-id")?.slice(0, MAX_HEADER_VALUE) ?? null,
      triggeredAt: value("x-shopify-triggered-at")?.slice(0, MAX_HEADER_VALUE) ?? null,
    },
  };
}
