import "./production-default";
import { getDb, prismaClientsCreated } from "../app/db.server";
import { parseEnv } from "../app/env.server";
import { logger } from "../app/logger.server";
import { readEnvOrExit } from "../app/read-env.server";
import { createAppWorker } from "./app-worker";

// The worker on its own, for deployments that set WORKER_MODE=separate on the web process. It
// calls the Admin API, so it needs the Shopify settings too.
const env = readEnvOrExit(parseEnv, 1);
const db = getDb();
const worker = await createAppWorker(env);
worker.start();
logger.info("worker started", { prismaClients: prismaClientsCreated() });

async function shutdown(signal: string) {
  logger.info("worker stopping", { signal });
  await worker.stop();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
