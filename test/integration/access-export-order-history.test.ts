import { readFileSync } from "node:fs";
import { parse as parseToml } from "smol-toml";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { orderHistoryCoverage, parseScopes } from "../../app/domain/access-requirements";
import { createWorker } from "../../app/jobs/worker.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { action } from "../../app/routes/webhooks.compliance";
import { openExportDownload } from "../../app/exports/export-store.server";
import { getRequestWithEvents } from "../../app/services/request-queries.server";
import { approveRequest } from "../../app/services/requests.server";
import { addCustomer } from "../../simulator/store";
import { SHOP } from "../helpers/constants";
import { resetDatabase } from "../helpers/reset";
import { simulatedShopify } from "../helpers/simulated-shopify";
import { testExportStorage } from "../helpers/worker-deps";
import { unzip } from "../helpers/zip";
import { samplePayload, signedWebhook } from "../helpers/webhooks";

beforeEach(resetDatabase);

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
async function downloadedPackage(shopId: string, exportId: string) {
  const download = await openExportDownload(getDb(), getKeyring(), testExportStorage(), {
    shopId,
    exportId,
    actor: "staff:3",
    now: new Date(),
  });
  if (download.status !== 200) throw new Error(download.message);
  const chunks: Buffer[] = [];
  for await (const chunk of download.body) chunks.push(chunk);
  return unzip(Buffer.concat(chunks));
}

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
      body: {
        ...samplePayload("customers/data_request", SHOP),
        customer: { id: customer.id },
        orders_requested: [],
      },
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
  const completed = request!.events.at(-1)!.data as { orders: number; exportId: string; coverage: unknown };
  const files = await downloadedPackage(shopId, completed.exportId);
  const recent = shopify.store.ordersByCustomer
    .get(customer.id)!
    .filter((id) => now - Date.parse(shopify.store.orders.get(id)!.createdAt) <= 60 * DAY).length;
  return {
    status: request!.status,
    exportedOrders: completed.orders,
    coverage: completed.coverage,
    data: JSON.parse(files.get("data.json")!.toString()) as { coverage: unknown; orders: unknown[] },
    page: files.get("index.html")!.toString(),
    recent,
    now,
  };
}

describe("an access export of a customer whose orders go back two years", () => {
  it("holds every order when the store granted what shopify.app.toml requests (read_all_orders)", async () => {
    const { status, exportedOrders, data, page } = await exportOfLongStandingCustomer(tomlScopes());
    expect(status).toBe("completed");
    expect(exportedOrders).toBe(6);
    expect(data.coverage).toEqual({
      orders: "complete",
      ordersSince: null,
      note: null,
      requestedOrdersNotFound: [],
    });
    expect(page).not.toContain("Not every order is here");
  });

  it("holds only the last 60 days without read_all_orders, which orderHistoryCoverage reports", async () => {
    const granted = tomlScopes().filter((scope) => scope !== "read_all_orders");
    const { status, exportedOrders, recent, now, coverage, data, page } =
      await exportOfLongStandingCustomer(granted);
    // Shopify hides the older orders without a word: the export completes, short, and says so
    // in the package (data.json and index.html) and in the request's completion.
    expect(status).toBe("completed");
    expect(recent).toBe(1);
    expect(exportedOrders).toBe(recent);
    const limited = {
      orders: "last_60_days",
      ordersSince: expect.stringMatching(
        new RegExp(`^${new Date(now - 60 * DAY).toISOString().slice(0, 13)}`),
      ),
      note: expect.stringMatching(/only orders from the last 60 days.*read_all_orders/),
      requestedOrdersNotFound: expect.any(Array),
    };
    expect(data.coverage).toEqual(limited);
    expect(coverage).toEqual(limited);
    expect(page).toContain("Not every order is here.");
    expect(orderHistoryCoverage(granted, new Date(now))).toMatchObject({
      complete: false,
      reason: expect.stringMatching(/only orders from the last 60 days.*read_all_orders/),
    });
  });
});

describe("the orders Shopify names in a data request (orders_requested)", () => {
  it("are exported by id, also for a customer Shopify knows only by email, and the missing ones are named", async () => {
    // GIVEN a data request with no customer id, naming two real orders and one that does not exist
    const shopify = simulatedShopify();
    const owner = addCustomer(shopify.store, { orders: 2, email: "guest.checkout@example.com" });
    const [first, second] = shopify.store.ordersByCustomer.get(owner.id)!;
    const response = await action({
      request: signedWebhook({
        topic: "customers/data_request",
        shop: SHOP,
        body: {
          ...samplePayload("customers/data_request", SHOP),
          customer: { email: "guest.checkout@example.com" },
          orders_requested: [first, second, 424242],
        },
      }),
      params: {},
      context: {},
    });
    const { requestId } = (await response.json()) as { requestId: string };
    const { shopId } = await getDb().privacyRequest.findUniqueOrThrow({ where: { id: requestId } });
    await getDb().$transaction((tx) =>
      approveRequest(tx, getKeyring(), { shopId, requestId, actor: "staff:3", now: new Date() }),
    );

    // WHEN the worker builds the export
    await createWorker({
      db: getDb(),
      keyring: getKeyring(),
      logger,
      exports: testExportStorage(),
      admin: shopify.admin,
    }).drain();

    // THEN both orders are in it with their line items, and the missing one is named
    const request = await getRequestWithEvents(getDb(), getKeyring(), { id: requestId });
    expect(request!.status).toBe("completed");
    const completed = request!.events.at(-1)!.data as { exportId: string; orders: number };
    expect(completed.orders).toBe(2);
    const files = await downloadedPackage(shopId, completed.exportId);
    const data = JSON.parse(files.get("data.json")!.toString()) as {
      customer: unknown;
      orders: { id: string; lineItems: unknown[] }[];
      coverage: { requestedOrdersNotFound: string[] };
    };
    expect(data.customer).toBeNull();
    expect(data.orders.map((order) => order.id)).toEqual([
      `gid://shopify/Order/${first}`,
      `gid://shopify/Order/${second}`,
    ]);
    expect(data.orders.every((order) => order.lineItems.length === 2)).toBe(true);
    expect(data.coverage.requestedOrdersNotFound).toEqual(["gid://shopify/Order/424242"]);
    expect(files.get("index.html")!.toString()).toContain("gid://shopify/Order/424242");
  });
});
