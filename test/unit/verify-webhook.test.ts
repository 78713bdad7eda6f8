import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyWebhook } from "../../app/webhooks/verify-webhook.server";

const SECRET = "app-secret";
const body = Buffer.from('{"shop_id":1,"shop_domain":"a.myshopify.com"}');
const hmacOf = (bytes: Buffer, secret = SECRET) =>
  createHmac("sha256", secret).update(bytes).digest("base64");

function headers(overrides: Record<string, string | null> = {}) {
  const all: Record<string, string | null> = {
    "x-shopify-hmac-sha256": hmacOf(body),
    "x-shopify-topic": "shop/redact",
    "x-shopify-shop-domain": "a.myshopify.com",
    "x-shopify-api-version": "2026-07",
    "x-shopify-webhook-id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
    "x-shopify-triggered-at": "2026-11-30T10:00:00Z",
    "x-shopify-event-id": "98880550-7158-44d4-b7cd-2c97c8a091b5",
    ...overrides,
  };
  return (name: string) => all[name] ?? null;
}

describe("webhook signature and headers, without a session", () => {
  it("accepts Shopify's signature over the raw bytes and returns the delivery headers", () => {
    expect(verifyWebhook(body, headers(), SECRET)).toEqual({
      ok: true,
      delivery: {
        topic: "shop/redact",
        shop: "a.myshopify.com",
        apiVersion: "2026-07",
        webhookId: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
        triggeredAt: "2026-11-30T10:00:00Z",
        eventId: "98880550-7158-44d4-b7cd-2c97c8a091b5",
      },
    });
  });

  it("signs bytes, not text: a body whose bytes differ from what was signed is refused", () => {
    // The same JSON value, re-encoded: Shopify signed the first form only.
    const reencoded = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
    expect(verifyWebhook(reencoded, headers(), SECRET)).toMatchObject({ ok: false, status: 401 });
  });

  it.each([
    ["no HMAC header", { "x-shopify-hmac-sha256": null }, /Missing X-Shopify-Hmac-Sha256/],
    ["an empty HMAC header", { "x-shopify-hmac-sha256": "" }, /Missing X-Shopify-Hmac-Sha256/],
    ["another secret's HMAC", { "x-shopify-hmac-sha256": hmacOf(body, "other") }, /does not match/],
    [
      "a hex HMAC",
      { "x-shopify-hmac-sha256": createHmac("sha256", SECRET).update(body).digest("hex") },
      /does not match/,
    ],
    ["a truncated HMAC", { "x-shopify-hmac-sha256": hmacOf(body).slice(0, 20) }, /does not match/],
    ["garbage", { "x-shopify-hmac-sha256": "<script>" }, /does not match/],
  ])("answers 401 to %s, even when headers are missing too", (_name, override, message) => {
    const result = verifyWebhook(body, headers({ ...override, "x-shopify-topic": null }), SECRET);
    expect(result).toMatchObject({ ok: false, status: 401 });
    expect(!result.ok && result.message).toMatch(message);
  });

  it("answers 400 naming every missing delivery header once the signature is good", () => {
    const result = verifyWebhook(
      body,
      headers({ "x-shopify-topic": null, "x-shopify-webhook-id": " ", "x-shopify-api-version": null }),
      SECRET,
    );
    expect(result).toEqual({
      ok: false,
      status: 400,
      message:
        "Missing Shopify webhook headers: X-Shopify-Topic, X-Shopify-API-Version, X-Shopify-Webhook-Id",
    });
  });

  it("answers 400 to a signed empty body, and to an oversized header", () => {
    const empty = Buffer.alloc(0);
    expect(verifyWebhook(empty, headers({ "x-shopify-hmac-sha256": hmacOf(empty) }), SECRET)).toEqual({
      ok: false,
      status: 400,
      message: "Body is empty",
    });
    expect(verifyWebhook(body, headers({ "x-shopify-webhook-id": "x".repeat(256) }), SECRET)).toEqual({
      ok: false,
      status: 400,
      message: "X-Shopify-Webhook-Id is longer than 255 characters",
    });
  });
});
