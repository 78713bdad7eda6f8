import { performance } from "node:perf_hooks";
import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { handleStorefrontPage } from "../../app/storefront/storefront-proxy.server";
import { manualClock } from "../helpers/clock";
import { SHOP } from "../helpers/constants";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";
import { simulatedShopify } from "../helpers/simulated-shopify";
import {
  proxyRequest,
  requestIdOf,
  storefrontTestDeps,
  tokenOf,
  type ProxyRequestOptions,
} from "../helpers/storefront";
import { addCustomer } from "../../simulator/store";
import { mswServer } from "../setup/test-env";

const clock = manualClock(new Date());
const deps = storefrontTestDeps(clock);
const send = (options: ProxyRequestOptions) => handleStorefrontPage(proxyRequest(clock.now(), options), deps);

let shopifyCalls = 0;
beforeEach(async () => {
  await resetDatabase();
  shopifyCalls = 0;
});
afterEach(() => mswServer.resetHandlers());

/**
 * A store where `known` addresses are customers (in Shopify, and with an earlier request in the
 * app's own records), and any call to Shopify while the shopper waits is counted.
 */
async function storeWith(known: string[]) {
  const { store } = simulatedShopify();
  for (const email of known) addCustomer(store, { orders: 1, email });
  for (const email of known) await createTestRequest({ email, source: "shopify_webhook", customerId: null });
  // Any request that leaves the machine while the page is answered is counted (and fails).
  mswServer.use(
    http.all(/^https:\/\//, () => {
      shopifyCalls += 1;
      return HttpResponse.error();
    }),
  );
}

async function submitAs(email: string, ip: string) {
  const token = tokenOf(await (await send({ ip })).text());
  const started = performance.now();
  const response = await send({ ip, form: { type: "erasure", email, token } });
  const body = await response.text();
  return { ms: performance.now() - started, status: response.status, headers: [...response.headers], body };
}

describe("enumeration safety: the page never tells whether an address shops here", () => {
  it("GIVEN a customer's address and an unknown one THEN the pages are byte-identical apart from the request id, and Shopify is not asked", async () => {
    await storeWith(["known.customer@example.com"]);
    expect(await getDb().shop.count({ where: { domain: SHOP } })).toBe(1);

    const known = await submitAs("known.customer@example.com", "198.51.100.1");
    const unknown = await submitAs("never.seen@example.com", "198.51.100.2");

    expect(known.status).toBe(200);
    expect(unknown.status).toBe(known.status);
    expect(unknown.headers).toEqual(known.headers);
    const knownId = requestIdOf(known.body);
    const unknownId = requestIdOf(unknown.body);
    expect(knownId).not.toBe(unknownId);
    expect(unknown.body.replaceAll(unknownId, "<id>")).toBe(known.body.replaceAll(knownId, "<id>"));
    expect(known.body).not.toContain("known.customer");
    expect(shopifyCalls).toBe(0);
    // Both were recorded, both wait for the same code step.
    const requests = await getDb().privacyRequest.findMany({ where: { source: "storefront" } });
    expect(requests.map((request) => request.status)).toEqual([
      "awaiting_verification",
      "awaiting_verification",
    ]);
  });

  it("GIVEN 40 of each, alternating THEN the time to answer does not tell them apart", async () => {
    const rounds = 40;
    const knownEmails = Array.from({ length: rounds }, (_, i) => `known.${i}@example.com`);
    await storeWith(knownEmails);
    const times = { known: [] as number[], unknown: [] as number[] };
    // Warm up both paths first (module loading, prepared statements).
    await submitAs("warm.up.1@example.com", "192.0.2.250");
    await submitAs(knownEmails[0]!, "192.0.2.251");
    for (let i = 1; i < rounds; i += 1) {
      // Alternate which goes first, so drift in the machine's load falls on both alike.
      const pair = [
        () => submitAs(knownEmails[i]!, `192.0.2.${i}`).then((r) => times.known.push(r.ms)),
        () => submitAs(`unknown.${i}@example.com`, `192.0.3.${i}`).then((r) => times.unknown.push(r.ms)),
      ];
      if (i % 2) pair.reverse();
      for (const run of pair) await run();
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const [k, u] = [median(times.known), median(times.unknown)];
    // Same code path, same statements: the medians differ by noise only.
    expect(Math.abs(k - u)).toBeLessThan(Math.max(3, 0.25 * Math.max(k, u)));
    expect(shopifyCalls).toBe(0);
  });
});
