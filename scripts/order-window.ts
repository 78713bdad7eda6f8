import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ACCESS_SCOPES } from "../app/api-version";
import { createDb } from "../app/db.server";
import { missingAccess } from "../app/domain/access-requirements";
import { createWorker } from "../app/jobs/worker.server";
import { createLogger } from "../app/logger.server";
import { createKeyring } from "../app/security/keyring";
import { fetchGrantedAccess } from "../app/services/shop-access.server";
import { createAdminClient } from "../app/shopify-admin/admin-client.server";
import { createAdminApiSimulator } from "../simulator/admin-api";
import { startSimulatorServer } from "../simulator/http-server";
import { addCustomer, seedStore } from "../simulator/store";
import { TEST_ENCRYPTION_KEY } from "../test/helpers/constants";
import { migrateSqliteFile } from "../test/helpers/migrate";
import { approvedAccessRequest } from "../test/helpers/requests";

/**
 * `npm run -s demo:order-window`: what a merchant sees when the store has not granted
 * read_all_orders, then when it has. A simulated store (over HTTP, as Shopify) holds a customer
 * with six orders over two years, the latest a day old; for each grant, the dashboard's check of
 * the store's access is printed, then an approved access request is exported by the worker and
 * the export's order count and coverage note are printed.
 */
const SHOP = "window-store.myshopify.com";
const TOKEN = "shpat_window";
const DAY = 86_400_000;

const store = seedStore({ shop: SHOP, customers: 1, now: Date.now() });
const customer = addCustomer(store, {
  orders: 6,
  since: Date.now() - 700 * DAY,
  ordersUntil: Date.now() - DAY,
  email: "long.standing@example.com",
});
const server = await startSimulatorServer(
  createAdminApiSimulator({ stores: [store], accessTokens: { [SHOP]: TOKEN } }),
);
const admin = () =>
  createAdminClient({
    shop: SHOP,
    apiVersion: "2026-07",
    accessToken: async () => TOKEN,
    adminApiOrigin: server.url,
  });

async function run(label: string, scopes: readonly string[]) {
  store.grants.scopes = new Set(scopes);
  console.log(`\n== ${label}\ngranted: ${scopes.join(",")}`);
  const problems = missingAccess(await fetchGrantedAccess(admin()));
  if (problems.length === 0) console.log("dashboard: no banner");
  for (const problem of problems) console.log(`dashboard banner: ${problem.title} — ${problem.breaks}`);

  const dir = mkdtempSync(path.join(tmpdir(), "privacy-desk-window-"));
  migrateSqliteFile(path.join(dir, "app.sqlite"));
  const db = createDb(`file:${path.join(dir, "app.sqlite")}`);
  const keyring = createKeyring(TEST_ENCRYPTION_KEY, []);
  const shop = await db.shop.create({ data: { domain: SHOP } });
  const request = await approvedAccessRequest(db, keyring, {
    shopId: shop.id,
    customerId: String(customer.id),
    email: customer.email,
  });
  await createWorker({
    db,
    keyring,
    logger: createLogger({ level: "warn", format: "pretty" }),
    exports: { dir: path.join(dir, "exports"), retentionDays: 7 },
    admin,
  }).drain();
  const done = await db.privacyRequest.findUniqueOrThrow({ where: { id: request.id } });
  const completion = await db.auditEvent.findFirstOrThrow({
    where: { requestId: request.id, action: "request.complete" },
  });
  const data = JSON.parse(completion.data) as {
    orders: number;
    coverage: { orders: string; note: string | null };
  };
  console.log(
    `export: request ${done.status}, ${data.orders} of the customer's ${store.ordersByCustomer.get(customer.id)!.length} orders, coverage ${data.coverage.orders}`,
  );
  if (data.coverage.note) console.log(`export note (data.json, index.html): ${data.coverage.note}`);
  await db.$disconnect();
}

await run(
  "only read_orders for orders",
  ACCESS_SCOPES.filter((scope) => scope !== "read_all_orders"),
);
await run("with read_all_orders", ACCESS_SCOPES);
await server.close();
