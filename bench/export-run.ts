import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { API_VERSION } from "../app/api-version";
import { createDb } from "../app/db.server";
import { createWorker } from "../app/jobs/worker.server";
import { logger } from "../app/logger.server";
import { createKeyring } from "../app/security/keyring";
import { getRequestWithEvents } from "../app/services/request-queries.server";
import { createAdminClient } from "../app/shopify-admin/admin-client.server";
import { migrateSqliteFile } from "../test/helpers/migrate";
import { TEST_ENCRYPTION_KEY } from "../test/helpers/constants";
import { approvedAccessRequest } from "../test/helpers/requests";

/**
 * One export, the way the app runs it: an approved access request executed by the worker against
 * the simulator at SIMULATOR_URL (new SQLite file, new export directory). Prints a JSON result.
 *   tsx bench/export-run.ts <shop> <token> <customer id> <bulk above orders>
 */
const [shopDomain, token, customerId, bulkAboveOrders] = process.argv.slice(2);
const dir = mkdtempSync(path.join(tmpdir(), "privacy-desk-bench-export-"));
const file = path.join(dir, "app.sqlite");
migrateSqliteFile(file);
const db = createDb(`file:${file}`);
const keyring = createKeyring(TEST_ENCRYPTION_KEY, []);

const shop = await db.shop.create({ data: { domain: shopDomain! } });
const request = await approvedAccessRequest(db, keyring, {
  shopId: shop.id,
  customerId: customerId!,
  email: null,
});

const clients: ReturnType<typeof createAdminClient>[] = [];
const worker = createWorker({
  db,
  keyring,
  logger,
  exports: { dir: path.join(dir, "exports"), retentionDays: 7, bulkAboveOrders: Number(bulkAboveOrders) },
  admin: (domain) => {
    const client = createAdminClient({
      shop: domain,
      apiVersion: API_VERSION,
      accessToken: async () => token!,
      adminApiOrigin: process.env.SIMULATOR_URL,
    });
    clients.push(client);
    return client;
  },
});

const started = performance.now();
await worker.drain();
const wallMs = performance.now() - started;

const done = await getRequestWithEvents(db, keyring, { id: request.id });
const completed = done?.events.at(-1)?.data as { orders?: number } | undefined;
const exported = await db.exportFile.findFirst({ where: { shopId: shop.id } });
console.log(
  JSON.stringify({
    status: done?.status,
    orders: completed?.orders ?? 0,
    wallMs,
    throttleWaitMs: clients.reduce((sum, client) => sum + client.throttleWaitMs(), 0),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    exportBytes: exported?.sizeBytes ?? 0,
  }),
);
await db.$disconnect();
