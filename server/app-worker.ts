import { getDb } from "../app/db.server";
import type { Env } from "../app/env.server";
import { createWorker, type Worker } from "../app/jobs/worker.server";
import { exportStorageFromEnv, keyringFromEnv } from "../app/keys.server";
import { logger } from "../app/logger.server";
import { mailerFromEnv } from "../app/services/email/mail-transport.server";

/**
 * The job worker as both entry points run it (in the web process, or `npm run worker`): the
 * process's one database client — shared with the session storage admin-for-shop loads, since a
 * second SQLite connection would block the event loop on its lock (ADR 002) — the keys and export
 * storage from the environment, the shops' offline sessions for the Admin API, and the mail server
 * for shoppers' emails (none until SMTP_URL is set: storefront verification is unavailable then).
 */
export async function createAppWorker(env: Env): Promise<Worker> {
  // Imported once the environment is known to be valid: shopify.server reads it when loaded.
  const { adminClientForShop } = await import("../app/shopify-admin/admin-for-shop.server");
  if (!env.SMTP_URL)
    logger.warn(
      "SMTP_URL is not set: storefront verification is unavailable until it is (the storefront takes only sale/share opt-outs, which need no code)",
    );
  return createWorker({
    db: getDb(),
    keyring: keyringFromEnv(env),
    logger,
    exports: exportStorageFromEnv(env),
    admin: adminClientForShop,
    mail: mailerFromEnv(env),
    leaseMs: env.WORKER_LEASE_SECONDS * 1000,
  });
}
