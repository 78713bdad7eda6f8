import { describe, expect, it } from "vitest";
import { createAdminClient, paginate } from "../../app/shopify-admin/admin-client.server";
import {
  ADMIN_OPERATIONS,
  customerOrdersBulkQuery,
  type AdminOperationName,
} from "../../app/shopify-admin/operations";
import { createAdminApiSimulator, type BucketOptions } from "../../simulator/admin-api";
import { gid } from "../../simulator/graph";
import { adminApiHandlers } from "../../simulator/msw";
import { addCustomer, seedStore } from "../../simulator/store";
import { mswServer } from "../setup/test-env";

const SHOP = "sim-store.myshopify.com";
// Raw response bodies are inspected field by field, as a client would see them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ResponseJson = Record<string, any>;
const TOKEN = "shpat_sim";

function setUp(bucket?: BucketOptions) {
  let t = 1_700_000_000_000;
  const store = seedStore({ shop: SHOP, seed: 42, customers: 3, ordersPerCustomer: 4, lineItemsPerOrder: 2 });
  const simulator = createAdminApiSimulator({
    stores: [store],
    bucket,
    now: () => t,
    accessTokens: { [SHOP]: TOKEN },
  });
  mswServer.use(...adminApiHandlers(simulator));
  const client = createAdminClient({
    shop: SHOP,
    apiVersion: "2026-07",
    accessToken: async () => TOKEN,
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
    random: () => 0.5,
  });
  const post = (
    operationName: AdminOperationName | string,
    query: string,
    variables: Record<string, unknown>,
    token = TOKEN,
  ) =>
    fetch(`https://${SHOP}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
      body: JSON.stringify({ query, variables, operationName }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as ResponseJson }));
  const firstCustomer = [...store.customers.values()][0]!;
  return { store, simulator, client, post, firstCustomer, advance: (ms: number) => (t += ms) };
}

describe("Admin API simulator", () => {
  it("runs every document the app sends, with Shopify's cost extension", async () => {
    const { post, store, firstCustomer } = setUp();
    const customerId = gid("Customer", firstCustomer.id);
    const firstOrderId = store.ordersByCustomer.get(firstCustomer.id)![0]!;
    let bulkOperationId = "";
    const variables: Record<
      Exclude<AdminOperationName, "CustomerOrdersBulk">,
      () => Record<string, unknown>
    > = {
      CustomerProfile: () => ({ customerId, addressesFirst: 10, metafieldsFirst: 10 }),
      CustomerOrders: () => ({ customerId, first: 10, lineItemsFirst: 10 }),
      OrderLineItems: () => ({ orderId: "gid://shopify/Order/0", first: 10 }),
      CustomerRequestDataErasure: () => ({ customerId }),
      CustomerUpdate: () => ({ input: { id: customerId, firstName: "Renamed" } }),
      DataSaleOptOut: () => ({ email: firstCustomer.email }),
      BulkOperationRunQuery: () => ({
        query: customerOrdersBulkQuery(String(firstCustomer.id)),
        groupObjects: false,
      }),
      BulkOperationStatus: () => ({ id: bulkOperationId }),
      OrderById: () => ({ orderId: gid("Order", firstOrderId), lineItemsFirst: 5 }),
      AppAccessScopes: () => ({}),
      ProtectedCustomerDataProbe: () => ({}),
      CustomerByEmail: () => ({ email: firstCustomer.email }),
      CustomerContactEmail: () => ({ customerId }),
      ShopName: () => ({}),
    };
    for (const [name, query] of Object.entries(ADMIN_OPERATIONS)) {
      if (name === "CustomerOrdersBulk") continue; // only ever sent as the query of BulkOperationRunQuery
      const { status, body } = await post(name, query, variables[name as keyof typeof variables]());
      expect({ name, status, errors: body.errors }).toEqual({ name, status: 200, errors: undefined });
      expect(body.extensions.cost).toMatchObject({
        requestedQueryCost: expect.any(Number),
        actualQueryCost: expect.any(Number),
      });
      if (name === "BulkOperationRunQuery") {
        expect(body.data.bulkOperationRunQuery.userErrors).toEqual([]);
        bulkOperationId = body.data.bulkOperationRunQuery.bulkOperation.id;
      }
    }
  });

  it("returns a customer's data in the shapes of the schema", async () => {
    const { post, firstCustomer } = setUp();
    const { body } = await post("CustomerOrders", ADMIN_OPERATIONS.CustomerOrders, {
      customerId: gid("Customer", firstCustomer.id),
      first: 2,
      lineItemsFirst: 5,
    });
    const orders = body.data.customer.orders;
    expect(orders.nodes).toHaveLength(2);
    expect(orders.pageInfo).toMatchObject({ hasNextPage: true, endCursor: expect.any(String) });
    expect(orders.nodes[0]).toMatchObject({
      id: expect.stringMatching(/^gid:\/\/shopify\/Order\/\d+$/),
      name: expect.stringMatching(/^#\d+$/),
      totalPriceSet: { shopMoney: { amount: expect.stringMatching(/^\d+\.\d\d$/), currencyCode: "EUR" } },
      lineItems: {
        nodes: expect.arrayContaining([
          expect.objectContaining({ sku: expect.any(String), quantity: expect.any(Number) }),
        ]),
      },
    });
  });

  it("seeds the same store from the same seed", () => {
    const a = seedStore({ shop: SHOP, seed: 7, customers: 5 });
    const b = seedStore({ shop: SHOP, seed: 7, customers: 5 });
    expect([...a.customers.values()]).toEqual([...b.customers.values()]);
    expect([...a.orders.values()]).toEqual([...b.orders.values()]);
  });

  it("rejects an invalid document as Shopify does", async () => {
    const { post, firstCustomer } = setUp();
    const misspelled = ADMIN_OPERATIONS.CustomerProfile.replace("displayName", "displayNme");
    const { status, body } = await post("CustomerProfile", misspelled, {
      customerId: gid("Customer", firstCustomer.id),
      addressesFirst: 1,
      metafieldsFirst: 1,
    });
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: "Field 'displayNme' doesn't exist on type 'Customer'",
        extensions: { code: "undefinedField", typeName: "Customer", fieldName: "displayNme" },
      }),
    ]);
  });

  it("refuses a query over 1,000 points, and a page over 250", async () => {
    const { post, firstCustomer } = setUp();
    const customerId = gid("Customer", firstCustomer.id);
    const tooCostly = await post("CustomerOrders", ADMIN_OPERATIONS.CustomerOrders, {
      customerId,
      first: 250,
      lineItemsFirst: 250,
    });
    expect(tooCostly.body.errors[0]).toMatchObject({
      extensions: { code: "MAX_COST_EXCEEDED", maxCost: 1000 },
    });
    const tooLong = await post("CustomerProfile", ADMIN_OPERATIONS.CustomerProfile, {
      customerId,
      addressesFirst: 251,
      metafieldsFirst: 1,
    });
    expect(tooLong.body.errors[0].message).toBe("The value for 'first' must be between 0 and 250");
  });

  it("answers 401 to a wrong token", async () => {
    const { post } = setUp();
    const { status, body } = await post(
      "CustomerProfile",
      ADMIN_OPERATIONS.CustomerProfile,
      {},
      "shpat_wrong",
    );
    expect(status).toBe(401);
    expect(body.errors).toMatch(/Invalid API key or access token/);
  });

  it("throttles with Shopify's response when the bucket is empty, and restores at its rate", async () => {
    const { post, firstCustomer, advance } = setUp({ size: 100, restoreRate: 10 });
    // Requested cost of 2 orders × 2 line items: 71 points of the 100.
    const variables = { customerId: gid("Customer", firstCustomer.id), first: 2, lineItemsFirst: 2 };
    const first = await post("CustomerOrders", ADMIN_OPERATIONS.CustomerOrders, variables);
    expect(first.body.errors).toBeUndefined();
    const left = first.body.extensions.cost.throttleStatus.currentlyAvailable;

    const second = await post("CustomerOrders", ADMIN_OPERATIONS.CustomerOrders, variables);
    expect(second.body).toEqual({
      errors: [
        {
          message: "Throttled",
          extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
        },
      ],
      extensions: {
        cost: {
          requestedQueryCost: first.body.extensions.cost.requestedQueryCost,
          actualQueryCost: null,
          throttleStatus: { maximumAvailable: 100, currentlyAvailable: left, restoreRate: 10 },
        },
      },
    });
    advance(10_000);
    expect(
      (await post("CustomerOrders", ADMIN_OPERATIONS.CustomerOrders, variables)).body.errors,
    ).toBeUndefined();
  });

  it("implements the mutations the app uses, with their userErrors", async () => {
    const { client, store, firstCustomer } = setUp();
    const customerId = gid("Customer", firstCustomer.id);

    const missing = await client.request("CustomerRequestDataErasure", {
      customerId: "gid://shopify/Customer/1",
    });
    expect(missing.data).toEqual({
      customerRequestDataErasure: {
        customerId: null,
        userErrors: [expect.objectContaining({ code: "DOES_NOT_EXIST" })],
      },
    });
    store.failErasureFor.add(firstCustomer.id);
    const failing = await client.request("CustomerRequestDataErasure", { customerId });
    expect(failing.data).toMatchObject({
      customerRequestDataErasure: { userErrors: [{ code: "FAILED_TO_REQUEST" }] },
    });
    store.failErasureFor.clear();
    expect((await client.request("CustomerRequestDataErasure", { customerId })).data).toEqual({
      customerRequestDataErasure: { customerId, userErrors: [] },
    });
    expect(firstCustomer.erasureRequestedAt).not.toBeNull();

    const badEmail = await client.request("CustomerUpdate", {
      input: { id: customerId, email: "not-an-email" },
    });
    expect(badEmail.data).toEqual({
      customerUpdate: { customer: null, userErrors: [{ field: ["email"], message: "Email is invalid" }] },
    });
    const renamed = await client.request("CustomerUpdate", {
      input: { id: customerId, firstName: "Renée", email: "renee@example.com" },
    });
    expect(renamed.data.customerUpdate?.customer?.firstName).toBe("Renée");
    expect(firstCustomer.email).toBe("renee@example.com");

    for (let i = 0; i < 2; i += 1) {
      expect((await client.request("DataSaleOptOut", { email: "RENEE@example.com" })).data).toEqual({
        dataSaleOptOut: { customerId, userErrors: [] },
      });
    }
    expect(firstCustomer.dataSaleOptOut).toBe(true);
  });

  it("pages a 1,000-order customer through the client, restoring 50 points/s, without one THROTTLED", async () => {
    const { store, simulator, client } = setUp({ size: 1000, restoreRate: 50 });
    const big = addCustomer(store, { orders: 1000, lineItemsPerOrder: 2 });
    const customerId = gid("Customer", big.id);

    let orders = 0;
    let lineItems = 0;
    for await (const order of paginate(async (after) => {
      const { data } = await client.request("CustomerOrders", {
        customerId,
        first: 10,
        lineItemsFirst: 5,
        after,
      });
      return data.customer?.orders ?? null;
    })) {
      orders += 1;
      lineItems += order.lineItems.nodes.length;
    }

    expect(orders).toBe(1000);
    expect(lineItems).toBe(2000);
    expect(simulator.stats.throttled).toBe(0);
    // The client waited for the bucket rather than being refused: the run took the time the
    // points need at 50/s (less the 1,000 the bucket started with).
    expect(client.throttleWaitMs()).toBeGreaterThanOrEqual(
      ((simulator.stats.actualCost - 1000) / 50) * 1000 - 2000,
    );
  });
});
