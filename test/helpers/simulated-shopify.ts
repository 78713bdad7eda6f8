import { createAdminClient } from "../../app/shopify-admin/admin-client.server";
import { createAdminApiSimulator, type BucketOptions } from "../../simulator/admin-api";
import { adminApiHandlers } from "../../simulator/msw";
import { addCustomer, seedStore } from "../../simulator/store";
import { mswServer } from "../setup/test-env";
import { SHOP } from "./constants";

const REQUEST_LATENCY_MS = 50;

/**
 * A simulated Shopify store served through msw, with one known customer, and an Admin client
 * factory for workers. The test setup resets msw handlers after each test.
 *
 * The simulator (its bucket, bulk operations and 60-day order window) and the client share one
 * clock: real time, plus every wait a client skipped, plus 50 ms for each request Shopify
 * answered (its latency). A run that needs minutes of restored points takes milliseconds, and a
 * bulk operation finishes after a few polls however fast the poller spins; `elapsedMs()` tells
 * how long the run would have taken against Shopify. The store grants everything the app
 * requests (change `store.grants` to take some away).
 */
export function simulatedShopify(
  options: { email?: string; bucket?: BucketOptions; bulkObjectsPerSecond?: number } = {},
) {
  let skipped = 0;
  const now = (): number => Date.now() + skipped + simulator.stats.requests * REQUEST_LATENCY_MS;
  const store = seedStore({ shop: SHOP, customers: 2 });
  const customer = addCustomer(store, { orders: 2, email: options.email ?? "pat@example.com" });
  const simulator = createAdminApiSimulator({
    stores: [store],
    bucket: options.bucket,
    now,
    // 3,000 objects (a 1,000-order export) take 0.75 s: done by the exporter's second poll.
    bulkObjectsPerSecond: options.bulkObjectsPerSecond ?? 4_000,
  });
  const start = now();
  mswServer.use(...adminApiHandlers(simulator));
  const clients: ReturnType<typeof createAdminClient>[] = [];
  const admin = (shop: string) => {
    const client = createAdminClient({
      shop,
      apiVersion: "2026-07",
      accessToken: async () => "shpat_offline",
      now,
      sleep: async (ms) => {
        skipped += ms;
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
    now,
    elapsedMs: () => now() - start,
    throttleWaitMs: () => clients.reduce((sum, client) => sum + client.throttleWaitMs(), 0),
  };
}
