import { createServer } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import type { Router } from "express";
import { getDb, prismaClientsCreated } from "../app/db.server";
import type { Env } from "../app/env.server";
import { logger } from "../app/logger.server";
import { markShuttingDown } from "../app/ops-endpoints.server";
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

  const server = createServer(app).listen(env.PORT, env.HOST, () => {
    logger.info("Privacy Desk listening", {
      url: `http://${env.HOST}:${env.PORT}`,
      worker: env.WORKER_MODE,
      prismaClients: prismaClientsCreated(),
    });
    worker?.start();
  });
  server.keepAliveTimeout = 65_000;

  let stopping = false;
  /**
   * Graceful: /readyz turns 503 at once; no new connections are accepted, idle ones are closed,
   * requests in flight (a webhook waiting for its commit) are answered; the worker finishes its
   * job or, after SHUTDOWN_GRACE_SECONDS, hands its lease back to the queue. Then exit 0.
   */
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    markShuttingDown();
    const graceMs = env.SHUTDOWN_GRACE_SECONDS * 1000;
    logger.info("shutting down", { signal, graceSeconds: env.SHUTDOWN_GRACE_SECONDS });
    setTimeout(() => {
      logger.error("shutdown did not finish in time; exiting");
      process.exit(1);
    }, graceMs + 10_000).unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Kept-alive connections go as soon as they fall idle, not when the client next speaks.
    const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
    void closed.then(() => clearInterval(idleSweep));
    // Requests still open after the grace period (a client that never finishes) are cut off.
    setTimeout(() => server.closeAllConnections(), graceMs).unref();
    await Promise.all([closed, worker?.stop({ graceMs })]);
    await db.$disconnect();
    logger.info("stopped", { signal });
    process.exit(0);
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
