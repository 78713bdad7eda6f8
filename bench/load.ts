import { randomUUID } from "node:crypto";
import { createHmac } from "node:crypto";

export interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  seconds: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Fires signed customers/data_request webhooks, each with a new webhook id, data request id and
 * customer, from `connections` concurrent loops for `seconds`. Bounded in time, loopback only.
 */
export async function fireWebhooks(opts: {
  url: string;
  secret: string;
  shop: string;
  apiVersion: string;
  connections: number;
  seconds: number;
  idOffset: number;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  let sent = 0;
  let ok = 0;
  let next = opts.idOffset;
  const started = performance.now();
  const stopAt = started + opts.seconds * 1000;

  async function loop() {
    while (performance.now() < stopAt) {
      const id = (next += 1);
      const body = JSON.stringify({
        shop_id: 954889,
        shop_domain: opts.shop,
        orders_requested: [299938, 280263, 220458],
        customer: { id, email: `shopper${id}@example.com`, phone: "555-625-1199" },
        data_request: { id },
      });
      const t0 = performance.now();
      sent += 1;
      try {
        const response = await fetch(opts.url, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "X-Shopify-Topic": "customers/data_request",
            "X-Shopify-Hmac-Sha256": createHmac("sha256", opts.secret).update(body).digest("base64"),
            "X-Shopify-Shop-Domain": opts.shop,
            "X-Shopify-API-Version": opts.apiVersion,
            "X-Shopify-Webhook-Id": randomUUID(),
          },
          body,
        });
        await response.arrayBuffer();
        if (response.status >= 200 && response.status < 300) ok += 1;
      } catch {
        // counted as sent, not ok
      }
      latencies.push(performance.now() - t0);
    }
  }

  await Promise.all(Array.from({ length: opts.connections }, loop));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    sent,
    ok,
    failed: sent - ok,
    seconds,
    reqPerSec: ok / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}
