import { http, HttpResponse } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { adminClientForShop } from "../../app/shopify-admin/admin-for-shop.server";
import { SHOP } from "../helpers/constants";
import { resetDatabase } from "../helpers/reset";
import { mswServer } from "../setup/test-env";

const ENDPOINT = `https://${SHOP}/admin/api/2026-07/graphql.json`;

beforeEach(async () => {
  await resetDatabase();
  mswServer.resetHandlers();
});

describe("Admin API client for background work", () => {
  it("calls Shopify with the shop's offline session token", async () => {
    await getDb().session.create({
      data: {
        id: `offline_${SHOP}`,
        shop: SHOP,
        state: "",
        isOnline: false,
        accessToken: "shpat_offline_token",
        scope: "read_customers",
      },
    });
    let seenToken: string | null = null;
    let seenOperation: unknown;
    mswServer.use(
      http.post(ENDPOINT, async ({ request }) => {
        seenToken = request.headers.get("X-Shopify-Access-Token");
        seenOperation = ((await request.json()) as { operationName: string }).operationName;
        return HttpResponse.json({
          data: { dataSaleOptOut: { customerId: "gid://shopify/Customer/1", userErrors: [] } },
          extensions: {
            cost: {
              requestedQueryCost: 10,
              actualQueryCost: 10,
              throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 },
            },
          },
        });
      }),
    );

    const { data } = await adminClientForShop(SHOP).request("DataSaleOptOut", { email: "ann@example.com" });

    expect(data).toEqual({ dataSaleOptOut: { customerId: "gid://shopify/Customer/1", userErrors: [] } });
    expect(seenToken).toBe("shpat_offline_token");
    expect(seenOperation).toBe("DataSaleOptOut");
  });

  it("fails clearly for a shop without an offline session (uninstalled)", async () => {
    await expect(
      adminClientForShop(SHOP).request("CustomerProfile", {
        customerId: "gid://shopify/Customer/1",
        addressesFirst: 1,
        metafieldsFirst: 1,
      }),
    ).rejects.toThrow(/session/i);
  });
});
