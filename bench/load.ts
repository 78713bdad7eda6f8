import { createHmac, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";

export interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  seconds: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Every request's latency, ascending. */
  latenciesMs: number[];
}

export interface LoadTarget {
  url: string;
  secret: string;
  shop: string;
  apiVersion: string;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A customers/data_request as Shopify signs it, for a new customer and data request `id`. */
function signedDelivery(target: LoadTarget, id: number) {
  const body = JSON.stringify({
    shop_id: 954889,
    shop_domain: target.shop,
    orders_requested: [299938, 280263, 220458],
    customer: { id, email: `shopper${id}@example.com`, phone: "555-625-1199" },
    data_request: { id },
  });
  const headers = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": "customers/data_request",
    "X-Shopify-Hmac-Sha256": createHmac("sha256", target.secret).update(body).digest("base64"),
    "X-Shopify-Shop-Domain": target.shop,
    "X-Shopify-API-Version": target.apiVersion,
    "X-Shopify-Webhook-Id": randomUUID(),
  };
  return { body, headers };
}

/**
 * One delivery through fetch's connection pool (kept-alive connections, as a steady sender). The
 * closed loop (bench:ingest) keeps fetch: its ratio target (≥ 0.25 of the reference, README) was
 * set with it, and with the cheaper sender below the reference server is no longer held back by
 * the sender (7.8k req/s instead of 1.8k, ratio 0.21 instead of 0.70).
 */
async function deliverThroughFetch(target: LoadTarget, id: number): Promise<boolean> {
  const { body, headers } = signedDelivery(target, id);
  try {
    const response = await fetch(target.url, { method: "POST", headers, body });
    await response.arrayBuffer();
    return response.status >= 200 && response.status < 300;
  } catch {
    return false; // counted as sent, not ok
  }
}

/**
 * Kept-alive connections for the open loop (bench:purge), where the sender's own CPU shows up as
 * the app's latency: Node's http client, not fetch. At 200 webhooks a second fetch took 31% of a
 * core and this 17%, on the two cores the app and its database share with it.
 */
const keptAlive = new Agent({ keepAlive: true });

/**
 * One delivery over node:http: on a kept-alive connection through `agent`, or with `agent` false
 * on a connection of its own. A pool of kept-alive connections, once warm, sends queued requests
 * one after another on its existing connections instead of opening more, so a burst through it
 * is not concurrent; Shopify's deliveries come from many hosts.
 */
function deliverOverHttp(target: LoadTarget, id: number, agent: Agent | false): Promise<boolean> {
  const { body, headers } = signedDelivery(target, id);
  return new Promise((resolve) => {
    const request = httpRequest(target.url, { method: "POST", headers, agent }, (response) => {
      response.resume();
      response.once("end", () => resolve(response.statusCode! >= 200 && response.statusCode! < 300));
      response.once("error", () => resolve(false));
    });
    request.once("error", () => resolve(false)); // counted as sent, not ok
    request.end(body);
  });
}

function summarise(latencies: number[], ok: number, seconds: number): LoadResult {
  latencies.sort((a, b) => a - b);
  return {
    sent: latencies.length,
    ok,
    failed: latencies.length - ok,
    seconds,
    reqPerSec: ok / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    latenciesMs: latencies,
  };
}

/**
 * Fires signed customers/data_request webhooks, each with a new webhook id, data request id and
 * customer, from `connections` concurrent loops for `seconds` or until `stop` is aborted. Bounded
 * in time, loopback only.
 */
export async function fireWebhooks(
  opts: LoadTarget & { connections: number; seconds: number; idOffset: number; stop?: AbortSignal },
): Promise<LoadResult> {
  const latencies: number[] = [];
  let ok = 0;
  let next = opts.idOffset;
  const started = performance.now();
  const stopAt = started + opts.seconds * 1000;

  async function loop() {
    while (performance.now() < stopAt && !opts.stop?.aborted) {
      const t0 = performance.now();
      if (await deliverThroughFetch(opts, (next += 1))) ok += 1;
      latencies.push(performance.now() - t0);
    }
  }

  await Promise.all(Array.from({ length: opts.connections }, loop));
  return summarise(latencies, ok, (performance.now() - started) / 1000);
}

/**
 * Fires signed customers/data_request webhooks at a fixed rate (an open loop: each is sent when
 * due, whether or not earlier ones have been answered), for `seconds` or until `stop` is aborted.
 * A latency counts from when the delivery was due, so a sender held up by a slow server does not
 * hide the wait it caused.
 */
export async function fireAtRate(
  opts: LoadTarget & { perSecond: number; seconds: number; idOffset: number; stop?: AbortSignal },
): Promise<LoadResult> {
  const latencies: number[] = [];
  let ok = 0;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const interval = 1000 / opts.perSecond;
  for (let i = 0; !opts.stop?.aborted; i += 1) {
    const due = started + i * interval;
    if (due > started + opts.seconds * 1000) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = deliverOverHttp(opts, opts.idOffset + i + 1, keptAlive).then((good) => {
      if (good) ok += 1;
      latencies.push(performance.now() - due);
    });
    inFlight.add(sent);
    void sent.finally(() => inFlight.delete(sent));
  }
  await Promise.all(inFlight);
  return summarise(latencies, ok, (performance.now() - started) / 1000);
}

/** `deliveries` webhooks sent at the same moment, each on its own connection, as a burst from Shopify. */
export async function fireBurst(
  opts: LoadTarget & { deliveries: number; idOffset: number },
): Promise<LoadResult> {
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: opts.deliveries }, async (_, i) => {
      const ok = await deliverOverHttp(opts, opts.idOffset + i + 1, false);
      return { ok, latency: performance.now() - started };
    }),
  );
  return summarise(
    results.map((result) => result.latency),
    results.filter((result) => result.ok).length,
    (performance.now() - started) / 1000,
  );
}

/**
 * CPU seconds (user + system) used so far by a process and all its descendants, from /proc; NaN
 * where there is no /proc. Per delivery, this is what a server costs whatever else the machine
 * is running, which throughput on a shared machine is not.
 */
export function processTreeCpuSeconds(rootPid: number): number {
  const ticksPerSecond = 100; // USER_HZ on Linux
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  } catch {
    return Number.NaN;
  }
  const children = new Map<number, number[]>();
  const cpu = new Map<number, number>();
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name (which may hold spaces): state ppid … utime(14) stime(15).
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const pid = Number(entry);
      const parent = Number(fields[1]);
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / ticksPerSecond);
      children.set(parent, [...(children.get(parent) ?? []), pid]);
    } catch {
      // the process ended while we looked
    }
  }
  const total = (pid: number): number =>
    (cpu.get(pid) ?? 0) + (children.get(pid) ?? []).reduce((sum, child) => sum + total(child), 0);
  return total(rootPid);
}
