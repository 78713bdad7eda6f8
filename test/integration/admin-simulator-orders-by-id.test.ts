import { describe, expect, it } from "vitest";
import {
  fetchOrdersByIds,
  LINE_ITEMS_WITH_ORDER,
  orderGid,
} from "../../app/shopify-admin/orders-by-id.server";
import { addCustomer } from "../../simulator/store";
import { SHOP } from "../helpers/constants";
import { simulatedShopify } from "../helpers/simulated-shopify";

const DAY = 86_400_000;

/** A customer with three orders: two years old with 120 line items, a year old, a day old. */
function setUp() {
  const shopify = simulatedShopify();
  const now = shopify.now();
  const customer = addCustomer(shopify.store, {
    orders: 3,
    lineItemsPerOrder: 120,
    since: now - 730 * DAY,
    ordersUntil: now,
  });
  const [oldest, older, recent] = shopify.store.ordersByCustomer.get(customer.id)!;
  return { ...shopify, oldest: oldest!, older: older!, recent: recent! };
}

describe("orders fetched by id (a data request's orders_requested)", () => {
  it("returns each order once with all its line items, and names the ids Shopify does not know", async () => {
    // GIVEN Shopify's numeric ids as a customers/data_request lists them, one unknown, one twice
    const { admin, oldest, recent } = setUp();
    const { orders, notFound } = await fetchOrdersByIds(admin(SHOP), [String(recent), oldest, "999", recent]);
    // THEN both orders come back in the order asked, each with its 120 line items
    expect(orders.map((order) => order.id)).toEqual([orderGid(recent), orderGid(oldest)]);
    expect(orders.map((order) => order.lineItems.length)).toEqual([120, 120]);
    expect(new Set(orders[0]!.lineItems.map((item) => item.id)).size).toBe(120);
    expect(notFound).toEqual(["gid://shopify/Order/999"]);
  });

  it("finds nothing older than 60 days without read_all_orders (Shopify answers null)", async () => {
    const shopify = setUp();
    shopify.store.grants.scopes.delete("read_all_orders");
    const { orders, notFound } = await fetchOrdersByIds(shopify.admin(SHOP), [
      shopify.oldest,
      shopify.older,
      shopify.recent,
    ]);
    expect(orders.map((order) => order.id)).toEqual([orderGid(shopify.recent)]);
    expect(notFound).toEqual([orderGid(shopify.oldest), orderGid(shopify.older)]);
  });

  it("asks for an order at a cost within Shopify's 1,000-point limit", async () => {
    const { admin, recent } = setUp();
    const { cost } = await admin(SHOP).request("OrderById", {
      orderId: orderGid(recent),
      lineItemsFirst: LINE_ITEMS_WITH_ORDER,
    });
    expect(cost!.requestedQueryCost).toBeLessThanOrEqual(1_000);
  });

  it.each(["12a", "gid://shopify/Customer/1", "1 OR 2", ""])("refuses %j as an order id", async (id) => {
    const { admin } = setUp();
    await expect(fetchOrdersByIds(admin(SHOP), [id])).rejects.toThrow(TypeError);
  });
});
