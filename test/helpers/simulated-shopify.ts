import { createAdminClient } from "../../app/shopify-admin/admin-client.server";
import { createAdminApiSimulator, type BucketOptions } from "../../simulator/admin-api";
import { adminApiHandlers } from "../../simulator/msw";
import { addCustomer, seedStore } from "../../simulator/store";
import { mswServer } from "../setup/test-env";
import { SHOP } from "./constants";

/**
 * A simulated Shopify store served through msw, with one known customer, and an Admin client
 * factory for workers. Call mswServer.resetHandlers() after each test.
 */
export function simulatedShopify(options: { email?: string; bucket?: BucketOptions } = {}) {
  const store = seedStore({ shop: SHOP, customers: 2 });
  const customer = addCustomer(store, { orders: 2, email: options.email ?? "pat@example.com" });
  const simulator = createAdminApiSimulator({ stores: [store], bucket: options.bucket });
  mswServer.use(...adminApiHandlers(simulator));
  const admin = (shop: string) => createAdminClient({ shop, apiVersion: "2026-07", accessToken: async () => "shpat_offline", sleep: async () => {} });
  return { store, customer, simulator, admin };
}
