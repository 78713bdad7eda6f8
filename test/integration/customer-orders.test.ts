import { describe, expect, it } from "vitest";
import { customerOrders, type CollectedOrder } from "../../app/exports/customer-orders.server";
import { addCustomer } from "../../simulator/store";
import { simulatedShopify } from "../helpers/simulated-shopify";
import { SHOP } from "../helpers/constants";

async function collect(source: AsyncGenerator<CollectedOrder>) {
  const orders: CollectedOrder[] = [];
  for await (const order of source) orders.push(order);
  return orders;
}

describe("collecting a customer's orders", () => {
  it("pages, fetching the line items beyond the first page of each order", async () => {
    const { store, admin, simulator } = simulatedShopify();
    const customer = addCustomer(store, { orders: 30, lineItemsPerOrder: 12 });

    const orders = await collect(
      customerOrders(admin(SHOP), String(customer.id), 30, { lineItemsPerPage: 5 }),
    );

    expect(orders).toHaveLength(30);
    expect(orders.every((order) => order.lineItems.length === 12)).toBe(true);
    expect(new Set(orders.flatMap((order) => order.lineItems.map((item) => item.id))).size).toBe(360);
    expect(orders.map((order) => order.createdAt)).toEqual(
      [...orders.map((order) => order.createdAt)].sort(),
    );
    expect(simulator.stats.throttled).toBe(0);
  });

  it("uses a bulk operation above the threshold, and gets exactly what paging gets", async () => {
    const { store, admin } = simulatedShopify();
    const customer = addCustomer(store, { orders: 30, lineItemsPerOrder: 12 });
    let polls = 0;

    const paged = await collect(
      customerOrders(admin(SHOP), String(customer.id), 30, { lineItemsPerPage: 5 }),
    );
    const bulk = await collect(
      customerOrders(admin(SHOP), String(customer.id), 30, {
        bulkAboveOrders: 10,
        sleep: async () => {
          polls += 1;
        },
      }),
    );

    expect(polls).toBeGreaterThan(0);
    expect(bulk).toEqual(paged);
  });

  it("yields nothing for a customer without orders, either way", async () => {
    const { store, admin } = simulatedShopify();
    const customer = addCustomer(store, { orders: 0 });
    expect(await collect(customerOrders(admin(SHOP), String(customer.id), 0))).toEqual([]);
    expect(
      await collect(
        customerOrders(admin(SHOP), String(customer.id), 0, { bulkAboveOrders: -1, sleep: async () => {} }),
      ),
    ).toEqual([]);
  });
});
