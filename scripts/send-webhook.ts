import { createHmac, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { API_VERSION } from "../app/api-version";
import { localSettings } from "./local-secrets";

/**
 * Delivers one signed compliance webhook exactly as Shopify does (base64 HMAC-SHA256 of the raw
 * body with the app secret), to the app started by `npm run demo`, or to --url with --secret.
 *
 *   npm run -s webhook -- customers/data_request --shop demo-store.myshopify.com --customer 42 --email ann@example.com
 *   npm run -s webhook -- customers/redact --shop demo-store.myshopify.com --customer 42
 *   npm run -s webhook -- shop/redact --shop demo-store.myshopify.com
 */
const USAGE =
  "Usage: npm run -s webhook -- <customers/data_request|customers/redact|shop/redact> --shop <domain> [--customer <id>] [--email <e>] [--phone <p>] [--request <data_request id>] [--url <endpoint>] [--secret <app secret>] [--webhook-id <id>]";

export function compliancePayload(
  topic: string,
  o: { shop: string; customer?: string; email?: string; phone?: string; request?: string },
) {
  const customer = {
    id: o.customer ? Number(o.customer) : null,
    email: o.email ?? null,
    phone: o.phone ?? null,
  };
  const base = { shop_id: 954889, shop_domain: o.shop };
  if (topic === "customers/data_request") {
    return { ...base, orders_requested: [], customer, data_request: { id: Number(o.request ?? Date.now()) } };
  }
  if (topic === "customers/redact") return { ...base, customer, orders_to_redact: [] };
  if (topic === "shop/redact") return base;
  throw new Error(`Unknown compliance topic ${topic}`);
}

export async function deliver(
  url: string,
  secret: string,
  topic: string,
  shop: string,
  payload: object,
  webhookId: string = randomUUID(),
) {
  const body = JSON.stringify(payload);
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(body).digest("base64"),
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-API-Version": API_VERSION,
      "X-Shopify-Webhook-Id": webhookId,
      "X-Shopify-Triggered-At": new Date().toISOString(),
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      shop: { type: "string" },
      customer: { type: "string" },
      email: { type: "string" },
      phone: { type: "string" },
      request: { type: "string" },
      url: { type: "string" },
      secret: { type: "string" },
      "webhook-id": { type: "string" },
    },
  });
  const [topic] = positionals;
  if (!topic || !values.shop || positionals.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const local = localSettings();
  const url = values.url ?? `${local.SHOPIFY_APP_URL}/webhooks/compliance`;
  const payload = compliancePayload(topic, { ...values, shop: values.shop });
  const result = await deliver(
    url,
    values.secret ?? local.SHOPIFY_API_SECRET,
    topic,
    values.shop,
    payload,
    values["webhook-id"],
  );
  process.stdout.write(`${result.status} ${result.body}\n`);
  return result.status >= 200 && result.status < 300 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
