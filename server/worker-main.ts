import "./production-default";
import { createDb } from "../app/db.server";
import { parseEnv } from "../app/env.server";
import { createWorker } from "../app/jobs/worker.server";
import { exportStorageFromEnv, keyringFromEnv } from "../app/keys.server";
import { logger } from "../app/logger.server";
import { readEnvOrExit } from "../app/read-env.server";

// The worker on its own, for deployments that set WORKER_MODE=separate on the web process. It
// calls the Admin API, so it needs the Shopify settings too.
const env = readEnvOrExit(parseEnv, 1);
// Imported once the environment is known to be valid: shopify.server reads it when loaded.
const { adminClientForShop } = await import("../app/shopify-admin/admin-for-shop.server");

const db = createDb(env.DATABASE_URL);
const worker = createWorker({
  db,
  keyring: keyringFromEnv(env),
  logger,
  exports: exportStorageFromEnv(env),
  admin: adminClientForShop,
});
worker.start();
logger.info("worker started");

async function shutdown(signal: string) {
  logger.info("worker stopping", { signal });
  await worker.stop();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
