import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { createWorker } from "../../app/jobs/worker.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { action } from "../../app/routes/proxy.gpc";
import { getRequestWithEvents } from "../../app/services/request-queries.server";
import { handleStorefrontSignal } from "../../app/storefront/storefront-proxy.server";
import { manualClock } from "../helpers/clock";
import { SHOP } from "../helpers/constants";
import { countAllRows } from "../helpers/db";
import { resetDatabase } from "../helpers/reset";
import { simulatedShopify } from "../helpers/simulated-shopify";
import { proxyRequest, storefrontTestDeps, type ProxyRequestOptions } from "../helpers/storefront";
import { testExportStorage } from "../helpers/worker-deps";
import { mswServer } from "../setup/test-env";

const clock = manualClock(new Date());
const deps = storefrontTestDeps(clock);
const signal = (options: ProxyRequestOptions) =>
  handleStorefrontSignal(
    proxyRequest(clock.now(), { path: "/proxy/gpc", json: { gpc: true }, ...options }),
    deps,
  );

beforeEach(async () => {
  await resetDatabase();
});
afterEach(() => mswServer.resetHandlers());

async function setUp() {
  const shopify = simulatedShopify({ email: "gpc.customer@example.com" });
  await getDb().shop.create({ data: { domain: SHOP } });
  const worker = createWorker({
    db: getDb(),
    keyring: getKeyring(),
    logger,
    exports: testExportStorage(),
    admin: shopify.admin,
    now: clock.now,
  });
  return { ...shopify, worker };
}

describe("Global Privacy Control on the customer's record", () => {
  it("GIVEN a signed-in customer whose browser sends GPC THEN a sale/share opt-out is recorded (source gpc) and dataSaleOptOut runs for that customer", async () => {
    const { customer, worker } = await setUp();

    const response = await signal({ customerId: String(customer.id) });

    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store, private");
    expect(await response.json()).toEqual({
      status: "recorded",
      message: "Opt-out preference signal honoured",
    });
    const request = await getDb().privacyRequest.findFirstOrThrow();
    expect(request).toMatchObject({
      type: "sale_opt_out",
      source: "gpc",
      regime: "ccpa",
      status: "pending_review",
      customerId: String(customer.id),
      dedupeKey: `gpc:${customer.id}`,
    });

    await worker.drain();

    expect(customer.dataSaleOptOut).toBe(true);
    const done = await getRequestWithEvents(getDb(), getKeyring(), { id: request.id });
    expect(done!.status).toBe("completed");
    expect(done!.email).toBe("gpc.customer@example.com");
    expect(done!.events.map((event) => `${event.actor} ${event.action}`)).toEqual([
      "shopper request.received",
      "system:storefront request.customer_lookup",
      "system:storefront request.approve",
      "system:worker request.start",
      "system:worker request.complete",
    ]);
    // Silent by design: a signal is not a request the shopper typed, so no email follows it.
    expect(await getDb().outboundEmail.count()).toBe(0);
  });

  it("records one request per customer however often the signal comes, even at the same moment", async () => {
    const { customer } = await setUp();
    const as = { customerId: String(customer.id) };
    const answers = await Promise.all([signal(as), signal(as), signal(as)]);
    const bodies = (await Promise.all(answers.map((answer) => answer.json()))) as { status: string }[];
    expect(bodies.map((body) => body.status).sort()).toEqual(["already", "already", "recorded"]);
    expect(await (await signal(as)).json()).toMatchObject({ status: "already" });
    expect(await getDb().privacyRequest.count()).toBe(1);
  });

  it("answers in the shopper's language", async () => {
    const { customer } = await setUp();
    const response = await signal({ customerId: String(customer.id), json: { gpc: true, locale: "de-DE" } });
    expect(await response.json()).toMatchObject({ message: "Opt-out-Präferenzsignal berücksichtigt" });
  });

  it("GIVEN a logged-out shopper THEN nothing is recorded (the embed sets the browser's consent instead)", async () => {
    await setUp();
    const before = await countAllRows();
    const response = await signal({ customerId: null });
    expect(await response.json()).toEqual({ status: "anonymous" });
    expect(await countAllRows()).toEqual(before);
  });

  it.each([
    ["a form post (what another site could send)", { form: { gpc: "true" } }, 415],
    ["GPC off", { json: { gpc: false } }, 400],
    ["more than the signal", { json: { gpc: true, email: "someone@example.com" } }, 400],
    ["not JSON", { json: undefined, body: "{gpc", headers: { "content-type": "application/json" } }, 400],
    ["an unsigned request", { sign: false }, 401],
    ["a GET", { method: "GET", json: undefined }, 405],
  ] as [string, ProxyRequestOptions, number][])(
    "GIVEN %s THEN %s and nothing is recorded",
    async (_name, options, status) => {
      const { customer } = await setUp();
      const before = await countAllRows();
      const response = await signal({ customerId: String(customer.id), ...options });
      expect(response.status).toBe(status);
      expect(await countAllRows()).toEqual(before);
    },
  );

  it("limits signals per network address (429)", async () => {
    await setUp();
    for (let i = 0; i < 30; i += 1) expect((await signal({ customerId: String(1000 + i) })).status).toBe(200);
    const refused = await signal({ customerId: "2000" });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("answers through the Remix route as through the handler", async () => {
    const { customer } = await setUp();
    const response = await action({
      request: proxyRequest(new Date(), {
        path: "/proxy/gpc",
        json: { gpc: true },
        customerId: String(customer.id),
      }),
      params: {},
      context: {},
    });
    expect(response.status).toBe(200);
  });
});
