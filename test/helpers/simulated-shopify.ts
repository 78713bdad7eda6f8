import { createAdminClient } from "../../app/shopify-admin/admin-client.server";
import { createAdminApiSimulator, type BucketOptions } from "../../simulator/admin-api";
import { adminApiHandlers } from "../../simulator/msw";
import { addCustomer, seedStore } from "../../simulator/store";
import { mswServer } from "../setup/test-env";
import { SHOP } from "./constants";

/**
 * A simulated Shopify store served through msw, with one known customer, and an Admin client
 * factory for workers. Call mswServer.resetHandlers() after each test.
 *
 * The simulator's bucket and the client share one clock. By default it is a fake clock that a
 * client's wait moves forward, so a run that needs minutes of restored points takes
 * milliseconds; `elapsedMs()` tells how long it would have taken against Shopify.
 */
export function simulatedShopify(options: { email?: string; bucket?: BucketOptions } = {}) {
  const start = Date.now();
  let t = start;
  const store = seedStore({ shop: SHOP, customers: 2 });
  const customer = addCustomer(store, { orders: 2, email: options.email ?? "pat@example.com" });
  const simulator = createAdminApiSimulator({ stores: [store], bucket: options.bucket, now: () => t });
  mswServer.use(...adminApiHandlers(simulator));
  const clients: ReturnType<typeof createAdminClient>[] = [];
  const admin = (shop: string) => {
    const client = createAdminClient({
      shop,
      apiVersion: "2026-07",
      accessToken: async () => "shpat_offline",
      now: () => t,
      sleep: async (ms) => {
        t += ms;
      },
    });
    clients.push(client);
    return client;
  };
  return {
    store,
    customer,
    simulator,
    admin,
    elapsedMs: () => t - start,
    throttleWaitMs: () => clients.reduce((sum, client) => sum + client.throttleWaitMs(), 0),
  };
}
