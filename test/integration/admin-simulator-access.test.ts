import { readFileSync } from "node:fs";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { ACCESS_SCOPES } from "../../app/api-version";
import { PROTECTED_FIELDS, type ProtectedField } from "../../app/domain/access-requirements";
import { AdminApiError, createAdminClient } from "../../app/shopify-admin/admin-client.server";
import {
  ADMIN_OPERATION_ACCESS,
  ADMIN_OPERATIONS,
  customerOrdersBulkQuery,
  type AdminOperationName,
} from "../../app/shopify-admin/operations";
import { createAdminApiSimulator } from "../../simulator/admin-api";
import { gid } from "../../simulator/graph";
import { adminApiHandlers } from "../../simulator/msw";
import { seedStore, type SimGrants } from "../../simulator/store";
import { mswServer } from "../setup/test-env";

const SHOP = "access-store.myshopify.com";
const NOW = Date.UTC(2026, 10, 30, 12);
const DAY = 86_400_000;
// Raw response bodies are compared field by field, as a client would see them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ResponseJson = Record<string, any>;

/** A store whose history reaches two years back from NOW, granting `grants` (default: everything). */
function setUp(grants: Partial<SimGrants> = {}) {
  let t = NOW;
  const store = seedStore({ shop: SHOP, seed: 11, customers: 3, ordersPerCustomer: 8, now: NOW });
  store.grants = { ...store.grants, ...grants };
  const simulator = createAdminApiSimulator({ stores: [store], now: () => t, bulkObjectsPerSecond: 100 });
  mswServer.use(...adminApiHandlers(simulator));
  const client = createAdminClient({
    shop: SHOP,
    apiVersion: "2026-07",
    accessToken: async () => "shpat_offline",
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
  });
  const post = (operation: AdminOperationName, variables: Record<string, unknown>) =>
    fetch(`https://${SHOP}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "shpat_offline" },
      body: JSON.stringify({ query: ADMIN_OPERATIONS[operation], variables, operationName: operation }),
    }).then(async (response) => (await response.json()) as ResponseJson);
  const customer = [...store.customers.values()][0]!;
  const orders = store.ordersByCustomer.get(customer.id)!.map((id) => store.orders.get(id)!);
  return { store, client, post, customer, orders, advance: (ms: number) => (t += ms) };
}

const scopes = (...granted: string[]) => ({ scopes: new Set(granted) });
const protectedData = (level1: boolean, fields: readonly ProtectedField[]) => ({
  protectedCustomerData: { level1, fields: new Set(fields) },
});

/** Variables for one call of each operation the app sends on its own. */
function variablesFor(
  name: Exclude<AdminOperationName, "CustomerOrdersBulk">,
  setup: ReturnType<typeof setUp>,
) {
  const customerId = gid("Customer", setup.customer.id);
  const recentOrder = gid("Order", setup.orders.at(-1)!.id);
  const variables: Record<typeof name, Record<string, unknown>> = {
    CustomerProfile: { customerId, addressesFirst: 5, metafieldsFirst: 5 },
    CustomerOrders: { customerId, first: 5, lineItemsFirst: 5 },
    OrderLineItems: { orderId: recentOrder, first: 5 },
    OrderById: { orderId: recentOrder, lineItemsFirst: 5 },
    CustomerRequestDataErasure: { customerId },
    CustomerUpdate: { input: { id: customerId, note: "checked" } },
    DataSaleOptOut: { email: setup.customer.email },
    BulkOperationRunQuery: { query: customerOrdersBulkQuery(String(setup.customer.id)), groupObjects: true },
    BulkOperationStatus: { id: "gid://shopify/BulkOperation/1" },
    AppAccessScopes: {},
    ProtectedCustomerDataProbe: {},
    CustomerByEmail: { email: setup.customer.email },
    CustomerContactEmail: { customerId },
    ShopName: {},
  };
  return variables[name];
}

const sentAlone = (Object.keys(ADMIN_OPERATIONS) as AdminOperationName[]).filter(
  (name): name is Exclude<AdminOperationName, "CustomerOrdersBulk"> => name !== "CustomerOrdersBulk",
);

describe("the simulator refuses what a store has not granted, as Shopify does", () => {
  it("answers a mutation without its scope with Shopify's ACCESS_DENIED, data null", async () => {
    // GIVEN a store that never granted write_privacy_settings (the app before issue 8)
    const setup = setUp(
      scopes("read_customers", "write_customers", "read_orders", "write_customer_data_erasure"),
    );
    // WHEN the app records a CCPA opt-out
    const body = await setup.post("DataSaleOptOut", { email: setup.customer.email });
    // THEN Shopify's exact answer: a top-level error naming the scope, the field null
    expect(body.data).toEqual({ dataSaleOptOut: null });
    expect(body.errors).toEqual([
      {
        message:
          "Access denied for dataSaleOptOut field. Required access: `write_privacy_settings` access scope.",
        locations: [{ line: 3, column: 5 }],
        path: ["dataSaleOptOut"],
        extensions: {
          code: "ACCESS_DENIED",
          documentation: "https://shopify.dev/api/usage/access-scopes",
          requiredAccess: "`write_privacy_settings` access scope.",
        },
      },
    ]);
    expect(setup.customer.dataSaleOptOut).toBe(false);
  });

  it("lets every operation through with the scopes shopify.app.toml requests", async () => {
    // GIVEN a store that granted exactly what the app's configuration asks for
    const toml = parseToml(readFileSync("shopify.app.toml", "utf8")) as { access_scopes: { scopes: string } };
    const setup = setUp(scopes(...toml.access_scopes.scopes.split(",")));
    // WHEN the app sends each of its operations THEN Shopify refuses none
    for (const name of sentAlone) {
      const body = await setup.post(name, variablesFor(name, setup));
      expect({ name, errors: body.errors }).toEqual({ name, errors: undefined });
    }
  });

  it.each(sentAlone.filter((name) => ADMIN_OPERATION_ACCESS[name].scopes.length))(
    "%s runs with exactly its declared scopes, and is refused without any one of them",
    async (name) => {
      const declared = ADMIN_OPERATION_ACCESS[name].scopes;
      const allowed = setUp(scopes(...declared));
      expect((await allowed.post(name, variablesFor(name, allowed))).errors).toBeUndefined();
      for (const missing of declared) {
        mswServer.resetHandlers();
        const refused = setUp(scopes(...declared.filter((scope) => scope !== missing)));
        const body = await refused.post(name, variablesFor(name, refused));
        expect(body.errors, `${name} without ${missing}`).toContainEqual(
          expect.objectContaining({
            extensions: expect.objectContaining({
              code: "ACCESS_DENIED",
              requiredAccess: expect.stringContaining(`\`${missing}\``),
            }),
          }),
        );
      }
    },
  );

  it("counts a write scope as its read scope", async () => {
    const setup = setUp(scopes("write_customers"));
    const body = await setup.post("CustomerProfile", variablesFor("CustomerProfile", setup));
    expect(body.errors).toBeUndefined();
    expect(body.data.customer.id).toBe(gid("Customer", setup.customer.id));
  });

  it("tells the app what the store granted (currentAppInstallation), read scopes implied by write ones included", async () => {
    const { client } = setUp(scopes("write_customers", "read_orders"));
    const { data } = await client.request("AppAccessScopes", {});
    expect(data.currentAppInstallation.accessScopes.map((scope) => scope.handle)).toEqual([
      "read_customers",
      "read_orders",
      "write_customers",
    ]);
  });

  it("fails a bulk operation whose query the store's scopes do not allow, with errorCode ACCESS_DENIED", async () => {
    const setup = setUp(scopes("read_customers"));
    const run = await setup.client.request("BulkOperationRunQuery", {
      query: customerOrdersBulkQuery(String(setup.customer.id)),
      groupObjects: true,
    });
    const id = run.data.bulkOperationRunQuery!.bulkOperation!.id;
    setup.advance(60_000);
    const { data } = await setup.client.request("BulkOperationStatus", { id });
    expect(data.bulkOperation).toMatchObject({ status: "FAILED", errorCode: "ACCESS_DENIED", url: null });
  });
});

describe("orders older than 60 days without read_all_orders", () => {
  it("seeds a history that reaches past the 60-day window, the latest order recent", () => {
    const { orders } = setUp();
    const ages = orders.map((order) => (NOW - Date.parse(order.createdAt)) / DAY);
    expect(Math.max(...ages)).toBeGreaterThan(365);
    expect(Math.min(...ages)).toBeLessThan(60);
    expect(ages.filter((age) => age > 60).length).toBeGreaterThan(1);
  });

  it.each([
    { granted: ACCESS_SCOPES.filter((scope) => scope !== "read_all_orders"), window: "the last 60 days" },
    { granted: [...ACCESS_SCOPES], window: "every order" },
  ])("lists, finds by id and bulk-exports $window", async ({ granted }) => {
    const setup = setUp(scopes(...granted));
    const allOrders = granted.includes("read_all_orders");
    const visible = setup.orders.filter(
      (order) => allOrders || NOW - Date.parse(order.createdAt) <= 60 * DAY,
    );
    const oldest = setup.orders[0]!;

    // Customer.orders
    const page = await setup.client.request("CustomerOrders", {
      customerId: gid("Customer", setup.customer.id),
      first: 20,
      lineItemsFirst: 1,
    });
    expect(page.data.customer!.orders.nodes.map((order) => order.id)).toEqual(
      visible.map((order) => gid("Order", order.id)),
    );

    // order(id:) for the oldest order: null, as for one that does not exist
    const byId = await setup.client.request("OrderById", {
      orderId: gid("Order", oldest.id),
      lineItemsFirst: 1,
    });
    expect(byId.data.order?.id ?? null).toBe(allOrders ? gid("Order", oldest.id) : null);

    // orders(query:) in a bulk operation
    const run = await setup.client.request("BulkOperationRunQuery", {
      query: customerOrdersBulkQuery(String(setup.customer.id)),
      groupObjects: true,
    });
    setup.advance(60_000);
    const status = await setup.client.request("BulkOperationStatus", {
      id: run.data.bulkOperationRunQuery!.bulkOperation!.id,
    });
    expect(status.data.bulkOperation!.rootObjectCount).toBe(String(visible.length));

    // numberOfOrders stays the customer's lifetime count either way
    const profile = await setup.client.request("CustomerProfile", {
      customerId: gid("Customer", setup.customer.id),
      addressesFirst: 1,
      metafieldsFirst: 1,
    });
    expect(profile.data.customer!.numberOfOrders).toBe(String(setup.orders.length));
  });
});

describe("protected customer data without Shopify's approval", () => {
  it("withholds each unapproved level 2 field: null in data, one ACCESS_DENIED error each", async () => {
    // GIVEN Shopify approved level 1 and names, but not emails, phones or addresses
    const setup = setUp(protectedData(true, ["name"]));
    const body = await setup.post("ProtectedCustomerDataProbe", {});
    expect(body.data.customers.nodes[0]).toEqual({
      id: expect.any(String),
      firstName: expect.any(String),
      defaultEmailAddress: null,
      defaultPhoneNumber: null,
      defaultAddress: null,
    });
    expect(body.errors).toEqual([
      expect.objectContaining({
        message:
          "This app is not approved to use the email field. See https://shopify.dev/docs/apps/launch/protected-customer-data for more details.",
        path: ["customers", "nodes", 0, "defaultEmailAddress"],
        extensions: {
          code: "ACCESS_DENIED",
          documentation: "https://shopify.dev/docs/apps/launch/protected-customer-data",
        },
      }),
      expect.objectContaining({
        message: expect.stringMatching(/^This app is not approved to use the phone field\./),
        path: ["customers", "nodes", 0, "defaultPhoneNumber"],
      }),
      expect.objectContaining({
        message: expect.stringMatching(/^This app is not approved to access the MailingAddress object\./),
        path: ["customers", "nodes", 0, "defaultAddress"],
      }),
    ]);
  });

  it("withholds the customer altogether without level 1 approval, and the client says why", async () => {
    const setup = setUp(protectedData(false, PROTECTED_FIELDS));
    const error = await setup.client
      .request("CustomerProfile", {
        customerId: gid("Customer", setup.customer.id),
        addressesFirst: 1,
        metafieldsFirst: 1,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error).toMatchObject({
      kind: "protected_customer_data",
      details: { access: { protectedData: { customerObject: true } } },
      message: expect.stringMatching(/withholds customer records/),
    });
  });

  it("refuses an order's addresses without address approval, so a whole export fails visibly", async () => {
    const setup = setUp(protectedData(true, ["name", "email", "phone"]));
    const error = await setup.client
      .request("CustomerOrders", {
        customerId: gid("Customer", setup.customer.id),
        first: 5,
        lineItemsFirst: 1,
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "protected_customer_data",
      details: { access: { protectedData: { customerObject: false, fields: ["address"] } } },
    });
  });
});
