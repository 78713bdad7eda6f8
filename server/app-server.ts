import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import type { Router } from "express";
import { getDb, prismaClientsCreated } from "../app/db.server";
import type { Env } from "../app/env.server";
import { createWorker } from "../app/jobs/worker.server";
import { exportStorageFromEnv, keyringFromEnv } from "../app/keys.server";
import { logger } from "../app/logger.server";
import { mailerFromEnv } from "../app/services/email/mail-transport.server";
import { createHttpApp } from "./http-app";

/**
 * Serves the production build on HOST:PORT, with the job worker in the same process unless
 * WORKER_MODE=separate, until SIGTERM or SIGINT. `before` mounts extra routers ahead of the app
 * (the demo's stand-in admin frame, from server/demo/main.ts only).
 */
export async function runAppServer(env: Env, options: { before?: Router[] } = {}): Promise<void> {
  const buildDir = path.resolve("build");
  const build = (await import(pathToFileURL(path.join(buildDir, "server/index.js")).href)) as ServerBuild;
  const app = createHttpApp(build, path.join(buildDir, "client"), { before: options.before });

  // The same Prisma client as the routes (getDb keeps one per process on globalThis). A second
  // client would be a second SQLite connection, and better-sqlite3 waits for a lock synchronously:
  // a worker write waiting on a route's open transaction would block the very event loop that
  // transaction needs to finish.
  const db = getDb();
  // Imported once the environment is known to be valid: shopify.server reads it when loaded.
  const { adminClientForShop } = await import("../app/shopify-admin/admin-for-shop.server");
  const worker =
    env.WORKER_MODE === "in-process"
      ? createWorker({
          db,
          keyring: keyringFromEnv(env),
          logger,
          exports: exportStorageFromEnv(env),
          admin: adminClientForShop,
          mail: mailerFromEnv(env),
          leaseMs: env.WORKER_LEASE_SECONDS * 1000,
        })
      : null;

  const server = app.listen(env.PORT, env.HOST, () => {
    logger.info("Privacy Desk listening", {
      url: `http://${env.HOST}:${env.PORT}`,
      worker: env.WORKER_MODE,
      prismaClients: prismaClientsCreated(),
    });
    if (!env.SMTP_URL)
      logger.warn(
        "SMTP_URL is not set: storefront verification is unavailable until it is (the storefront takes only sale/share opt-outs, which need no code)",
      );
    worker?.start();
  });
  server.keepAliveTimeout = 65_000;

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await worker?.stop();
    await db.$disconnect();
    process.exit(0);
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
