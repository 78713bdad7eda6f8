import "./production-default";
import { getDb, prismaClientsCreated } from "../app/db.server";
import { parseEnv } from "../app/env.server";
import { createWorker } from "../app/jobs/worker.server";
import { exportStorageFromEnv, keyringFromEnv } from "../app/keys.server";
import { logger } from "../app/logger.server";
import { readEnvOrExit } from "../app/read-env.server";
import { mailerFromEnv } from "../app/services/email/mail-transport.server";

// The worker on its own, for deployments that set WORKER_MODE=separate on the web process. It
// calls the Admin API, so it needs the Shopify settings too.
const env = readEnvOrExit(parseEnv, 1);
// Imported once the environment is known to be valid: shopify.server reads it when loaded.
const { adminClientForShop } = await import("../app/shopify-admin/admin-for-shop.server");

// The process's one client, shared with the session storage that admin-for-shop loads (ADR 002).
const db = getDb();
const worker = createWorker({
  db,
  keyring: keyringFromEnv(env),
  logger,
  exports: exportStorageFromEnv(env),
  admin: adminClientForShop,
  mail: mailerFromEnv(env),
  leaseMs: env.WORKER_LEASE_SECONDS * 1000,
});
worker.start();
logger.info("worker started", { prismaClients: prismaClientsCreated() });
if (!env.SMTP_URL) logger.warn("SMTP_URL is not set: storefront verification is unavailable until it is");

async function shutdown(signal: string) {
  logger.info("worker stopping", { signal });
  await worker.stop();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
