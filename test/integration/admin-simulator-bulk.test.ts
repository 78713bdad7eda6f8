import { describe, expect, it } from "vitest";
import { createAdminClient } from "../../app/shopify-admin/admin-client.server";
import { customerOrdersBulkQuery } from "../../app/shopify-admin/operations";
import { createAdminApiSimulator } from "../../simulator/admin-api";
import { adminApiHandlers } from "../../simulator/msw";
import { startSimulatorServer } from "../../simulator/http-server";
import { addCustomer, seedStore } from "../../simulator/store";
import { mswServer } from "../setup/test-env";
import type { BulkOperationStatusResult } from "../../app/shopify-admin/generated/admin-operations";

const SHOP = "bulk-store.myshopify.com";

/** A 30-order customer (30 orders + 90 line items = 120 objects); the simulator writes 40 objects/s. */
function setUp() {
  let t = Date.UTC(2026, 10, 1);
  const store = seedStore({ shop: SHOP, seed: 3, customers: 2, ordersPerCustomer: 2 });
  const customer = addCustomer(store, { orders: 30, lineItemsPerOrder: 3 });
  const simulator = createAdminApiSimulator({ stores: [store], now: () => t, bulkObjectsPerSecond: 40 });
  mswServer.use(...adminApiHandlers(simulator));
  const client = createAdminClient({
    shop: SHOP,
    apiVersion: "2026-07",
    accessToken: async () => "t",
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
  });
  return { store, customer, simulator, client, advance: (ms: number) => (t += ms) };
}

describe("bulk operations in the simulator", () => {
  it("runs the app's bulk query for as long as its objects take to write; the JSONL has every order and line item", async () => {
    const { customer, client, advance } = setUp();

    const run = await client.request("BulkOperationRunQuery", {
      query: customerOrdersBulkQuery(String(customer.id)),
      groupObjects: false,
    });
    expect(run.data.bulkOperationRunQuery).toMatchObject({
      bulkOperation: { status: "CREATED" },
      userErrors: [],
    });
    const id = run.data.bulkOperationRunQuery!.bulkOperation!.id;
    const poll = async () => (await client.request("BulkOperationStatus", { id })).data.bulkOperation!;

    // GIVEN 120 objects at 40/s WHEN polled each second THEN it runs for 3 s, counting as it writes.
    const seen: { status: string; objectCount: string; url: string | null }[] = [];
    for (let second = 0; second <= 3; second += 1) {
      const { status, objectCount, url } = await poll();
      seen.push({ status, objectCount, url });
      advance(1_000);
    }
    expect(seen).toEqual([
      { status: "CREATED", objectCount: "0", url: null },
      { status: "RUNNING", objectCount: "40", url: null },
      { status: "RUNNING", objectCount: "80", url: null },
      { status: "COMPLETED", objectCount: "120", url: expect.any(String) },
    ]);
    const status: NonNullable<BulkOperationStatusResult["bulkOperation"]> = await poll();
    expect(status).toMatchObject({ objectCount: "120", rootObjectCount: "30" });

    const lines = (await (await fetch(status.url!)).text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const orders = lines.filter((line) => !line.__parentId);
    const lineItems = lines.filter((line) => line.__parentId);
    expect(orders).toHaveLength(30);
    expect(lineItems).toHaveLength(90);
    expect(new Set(lineItems.map((item) => item.__parentId))).toEqual(
      new Set(orders.map((order) => order.id)),
    );
    expect(orders[0]).toMatchObject({
      id: expect.stringMatching(/^gid:\/\/shopify\/Order\//),
      totalPriceSet: { shopMoney: { currencyCode: "EUR" } },
    });
    expect(orders[0]).not.toHaveProperty("lineItems");
  });

  it("refuses a bulk query Shopify would refuse", async () => {
    const { client } = setUp();
    const ask = async (query: string) =>
      (await client.request("BulkOperationRunQuery", { query, groupObjects: false })).data
        .bulkOperationRunQuery!.userErrors;

    expect(await ask("{ shop { name } }")).toEqual([
      expect.objectContaining({
        code: "INVALID",
        message: "Bulk queries must contain at least one connection.",
      }),
    ]);
    expect(await ask("{ orders { edges { node { nme } } } }")).toEqual([
      expect.objectContaining({
        code: "INVALID",
        message: expect.stringMatching(/Cannot query field "nme"/),
      }),
    ]);
    expect(
      await ask(
        "{ customers { edges { node { orders { edges { node { lineItems { edges { node { id } } } } } } } } } }",
      ),
    ).toEqual([
      expect.objectContaining({
        code: "INVALID",
        message: expect.stringMatching(/nesting depth greater than 2/),
      }),
    ]);
  });

  it("allows five bulk queries at once per shop, then OPERATION_IN_PROGRESS", async () => {
    const { customer, client } = setUp();
    const query = customerOrdersBulkQuery(String(customer.id));
    for (let i = 0; i < 5; i += 1) {
      expect(
        (await client.request("BulkOperationRunQuery", { query, groupObjects: false })).data
          .bulkOperationRunQuery!.userErrors,
      ).toEqual([]);
    }
    const sixth = await client.request("BulkOperationRunQuery", { query, groupObjects: false });
    expect(sixth.data.bulkOperationRunQuery!.userErrors).toEqual([
      expect.objectContaining({ code: "OPERATION_IN_PROGRESS" }),
    ]);
  });

  it("accepts a new bulk query once the running ones have finished", async () => {
    const { customer, client, advance } = setUp();
    const query = customerOrdersBulkQuery(String(customer.id));
    for (let i = 0; i < 5; i += 1)
      await client.request("BulkOperationRunQuery", { query, groupObjects: false });

    advance(3_000); // 120 objects at 40/s

    const next = await client.request("BulkOperationRunQuery", { query, groupObjects: false });
    expect(next.data.bulkOperationRunQuery!.userErrors).toEqual([]);
  });
});

describe("the simulator over HTTP", () => {
  it("serves a shop's Admin endpoint and bulk results on 127.0.0.1", async () => {
    const store = seedStore({ shop: SHOP, seed: 3, customers: 1, ordersPerCustomer: 3 });
    const [customer] = [...store.customers.values()];
    let t = Date.UTC(2026, 10, 1);
    const simulator = createAdminApiSimulator({ stores: [store], now: () => t });
    const server = await startSimulatorServer(simulator);
    const base = server.url;
    try {
      const post = async (body: object) =>
        (
          await fetch(`${base}/${SHOP}/admin/api/2026-07/graphql.json`, {
            method: "POST",
            headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "t" },
            body: JSON.stringify(body),
          })
        ).json() as Promise<{ data: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const run = await post({
        query:
          "mutation Run($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) { bulkOperation { id } userErrors { message } } }",
        variables: { q: customerOrdersBulkQuery(String(customer!.id)) },
      });
      const id = run.data.bulkOperationRunQuery.bulkOperation.id as string;
      t += 1_000; // 9 objects at the default 1,000/s
      const status = await post({
        query: "query S($id: ID!) { bulkOperation(id: $id) { status url } }",
        variables: { id },
      });
      expect(status.data.bulkOperation.status).toBe("COMPLETED");
      const numericId = id.split("/").pop();
      const jsonl = await (await fetch(`${base}/bulk/${SHOP}/${numericId}.jsonl`)).text();
      expect(jsonl.trim().split("\n")).toHaveLength(3 + 3 * 2);
      expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
