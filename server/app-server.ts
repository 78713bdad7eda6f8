import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import type { Router } from "express";
import { getDb, prismaClientsCreated } from "../app/db.server";
import type { Env } from "../app/env.server";
import { logger } from "../app/logger.server";
import { createAppWorker } from "./app-worker";
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

  const db = getDb();
  const worker = env.WORKER_MODE === "in-process" ? await createAppWorker(env) : null;

  const server = app.listen(env.PORT, env.HOST, () => {
    logger.info("Privacy Desk listening", {
      url: `http://${env.HOST}:${env.PORT}`,
      worker: env.WORKER_MODE,
      prismaClients: prismaClientsCreated(),
    });
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
