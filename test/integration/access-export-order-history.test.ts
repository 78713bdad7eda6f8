import { readFileSync } from "node:fs";
import { parse as parseToml } from "smol-toml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { orderHistoryCoverage, parseScopes } from "../../app/domain/access-requirements";
import { createWorker } from "../../app/jobs/worker.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { action } from "../../app/routes/webhooks.compliance";
import { getRequestWithEvents } from "../../app/services/request-queries.server";
import { approveRequest } from "../../app/services/requests.server";
import { addCustomer } from "../../simulator/store";
import { SHOP } from "../helpers/constants";
import { resetDatabase } from "../helpers/reset";
import { simulatedShopify } from "../helpers/simulated-shopify";
import { testExportStorage } from "../helpers/worker-deps";
import { samplePayload, signedWebhook } from "../helpers/webhooks";
import { mswServer } from "../setup/test-env";

beforeEach(resetDatabase);
afterEach(() => mswServer.resetHandlers());

const DAY = 86_400_000;
const tomlScopes = () =>
  parseScopes(
    (parseToml(readFileSync("shopify.app.toml", "utf8")) as { access_scopes: { scopes: string } })
      .access_scopes.scopes,
  );

/**
 * A customer of two years' standing with six orders, the latest a day old, asks for their data
 * (customers/data_request); the merchant approves; the worker builds the export.
 */
async function exportOfLongStandingCustomer(grantedScopes: string[]) {
  const shopify = simulatedShopify();
  shopify.store.grants.scopes = new Set(grantedScopes);
  const now = shopify.now();
  const customer = addCustomer(shopify.store, {
    orders: 6,
    since: now - 700 * DAY,
    ordersUntil: now,
    email: "long.standing@example.com",
  });
  const response = await action({
    request: signedWebhook({
      topic: "customers/data_request",
      shop: SHOP,
      body: { ...samplePayload("customers/data_request", SHOP), customer: { id: customer.id } },
    }),
    params: {},
    context: {},
  });
  const { requestId } = (await response.json()) as { requestId: string };
  const { shopId } = await getDb().privacyRequest.findUniqueOrThrow({ where: { id: requestId } });
  await getDb().$transaction((tx) =>
    approveRequest(tx, getKeyring(), { shopId, requestId, actor: "staff:3", now: new Date() }),
  );
  await createWorker({
    db: getDb(),
    keyring: getKeyring(),
    logger,
    exports: testExportStorage(),
    admin: shopify.admin,
  }).drain();
  const request = await getRequestWithEvents(getDb(), getKeyring(), { id: requestId });
  const completed = request!.events.at(-1)!.data as { orders: number };
  const recent = shopify.store.ordersByCustomer
    .get(customer.id)!
    .filter((id) => now - Date.parse(shopify.store.orders.get(id)!.createdAt) <= 60 * DAY).length;
  return { status: request!.status, exportedOrders: completed.orders, recent, now };
}

describe("an access export of a customer whose orders go back two years", () => {
  it("holds every order when the store granted what shopify.app.toml requests (read_all_orders)", async () => {
    const { status, exportedOrders } = await exportOfLongStandingCustomer(tomlScopes());
    expect(status).toBe("completed");
    expect(exportedOrders).toBe(6);
  });

  it("holds only the last 60 days without read_all_orders, which orderHistoryCoverage reports", async () => {
    const granted = tomlScopes().filter((scope) => scope !== "read_all_orders");
    const { status, exportedOrders, recent, now } = await exportOfLongStandingCustomer(granted);
    // Shopify hides the older orders without a word: the export completes, short.
    expect(status).toBe("completed");
    expect(recent).toBe(1);
    expect(exportedOrders).toBe(recent);
    expect(orderHistoryCoverage(granted, new Date(now))).toMatchObject({
      complete: false,
      reason: expect.stringMatching(/only orders from the last 60 days.*read_all_orders/),
    });
  });
});
