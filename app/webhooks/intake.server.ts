import { getDb } from "../db.server";
import { databaseProvider } from "../db-provider";
import { getEnv } from "../env.server";
import { getKeyring } from "../keys.server";
import { logger } from "../logger.server";
import { getMetrics } from "../metrics.server";
import { ingestComplianceBatch } from "../services/compliance-intake.server";
import { createIntakeBatcher, type IntakeBatcher } from "../services/intake-batcher.server";
import type { ComplianceWebhookDeps } from "./compliance-webhook.server";

declare global {
  var __privacyDeskIntake: IntakeBatcher | undefined;
}

/**
 * The process's one intake queue, so concurrent webhooks share transactions. Kept on globalThis,
 * like the database client: the Express layer (server/) and the Remix build are separate module
 * graphs in one process, and must queue into the same batches.
 */
export function getIntake(): IntakeBatcher {
  globalThis.__privacyDeskIntake ??= createIntakeBatcher(
    (take) => ingestComplianceBatch(getDb(), getKeyring(), take),
    { concurrency: intakeConcurrency() },
  );
  return globalThis.__privacyDeskIntake;
}

/**
 * SQLite writes one transaction at a time. On PostgreSQL batches of different shops are written
 * side by side, on up to half the pool's connections (the rest stay for the worker and pages).
 */
function intakeConcurrency(): number {
  const env = getEnv();
  if (databaseProvider(env.DATABASE_URL) !== "postgresql") return 1;
  return Math.max(1, Math.floor(env.DATABASE_POOL_SIZE / 2));
}

/** What POST /webhooks/compliance needs, read when the first webhook arrives (the env is valid by then). */
export function complianceWebhookDeps(): ComplianceWebhookDeps {
  return {
    apiSecret: getEnv().SHOPIFY_API_SECRET,
    ingest: (item) => getIntake().submit(item),
    logger,
    metrics: getMetrics(),
  };
}
