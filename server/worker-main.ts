import "./production-default";
import { createServer } from "node:http";
import { getDb, prismaClientsCreated } from "../app/db.server";
import { parseEnv } from "../app/env.server";
import { logger } from "../app/logger.server";
import { healthAnswer, markShuttingDown, metricsAnswer, type OpsAnswer } from "../app/ops-endpoints.server";
import { readEnvOrExit } from "../app/read-env.server";
import { createAppWorker } from "./app-worker";

// The worker on its own, for deployments that set WORKER_MODE=separate on the web process. It
// calls the Admin API, so it needs the Shopify settings too.
const env = readEnvOrExit(parseEnv, 1);
const db = getDb();
const worker = await createAppWorker(env);
worker.start();
logger.info("worker started", { prismaClients: prismaClientsCreated(), workerId: worker.id });

// Its own /healthz and /metrics (this process's job counters and Admin API waits) when asked for.
const opsServer = env.METRICS_PORT
  ? createServer((req, res) => {
      const send = (answer: OpsAnswer) => res.writeHead(answer.status, answer.headers).end(answer.body);
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      if (req.method === "GET" && path === "/healthz") return send(healthAnswer());
      if (req.method === "GET" && path === "/metrics") {
        metricsAnswer(db, env, req.headers.authorization ?? null).then(send, (error: unknown) => {
          logger.error("metrics failed", { error: String(error) });
          send({ status: 500, headers: { "Content-Type": "text/plain" }, body: "Internal Server Error" });
        });
        return;
      }
      send({ status: 404, headers: { "Content-Type": "text/plain" }, body: "Not Found" });
    }).listen(env.METRICS_PORT, env.HOST, () =>
      logger.info("worker metrics listening", { url: `http://${env.HOST}:${env.METRICS_PORT}` }),
    )
  : null;

let stopping = false;
/** Finishes the job in hand, or after SHUTDOWN_GRACE_SECONDS hands its lease back, then exits. */
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  markShuttingDown();
  logger.info("worker stopping", { signal, graceSeconds: env.SHUTDOWN_GRACE_SECONDS });
  await worker.stop({ graceMs: env.SHUTDOWN_GRACE_SECONDS * 1000 });
  opsServer?.close();
  await db.$disconnect();
  logger.info("worker stopped", { signal });
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
