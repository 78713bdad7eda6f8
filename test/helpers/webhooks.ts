import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { API_VERSION } from "../../app/api-version";
import { TEST_API_SECRET, TEST_APP_URL } from "./constants";

export type SampleTopic = "customers/data_request" | "customers/redact" | "shop/redact";

/** The sample payload from Shopify's privacy-law-compliance docs, for the given shop. */
export function samplePayload(topic: SampleTopic, shop: string): Record<string, unknown> {
  const file = fileURLToPath(
    new URL(`../fixtures/webhooks/${topic.replace("/", "-")}.json`, import.meta.url),
  );
  return JSON.parse(readFileSync(file, "utf8").replaceAll("{shop}.myshopify.com", shop)) as Record<
    string,
    unknown
  >;
}

export interface SignedWebhookOptions {
  topic: string;
  shop: string;
  body: string | Record<string, unknown>;
  webhookId?: string;
  secret?: string;
  path?: string;
  /** Header overrides; `null` removes the header. */
  headers?: Record<string, string | null>;
}

/** A request exactly as Shopify sends it: raw JSON body, base64 HMAC-SHA256 of it with the app secret. */
export function signedWebhook(options: SignedWebhookOptions): Request {
  const body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": options.topic,
    "X-Shopify-Hmac-Sha256": getHmac(body, options.secret ?? TEST_API_SECRET),
    "X-Shopify-Shop-Domain": options.shop,
    "X-Shopify-API-Version": API_VERSION,
    "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
    "X-Shopify-Triggered-At": new Date().toISOString(),
    "X-Shopify-Event-Id": randomUUID(),
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  return new Request(`${TEST_APP_URL}${options.path ?? "/webhooks/compliance"}`, {
    method: "POST",
    headers,
    body,
  });
}
