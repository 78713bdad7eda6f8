import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The process's Prometheus metrics (README "Running at scale"), served by GET /metrics.
 *
 * Two kinds:
 * - this process's own counters and histograms (webhooks it answered, jobs its worker finished,
 *   time its Admin API clients waited for Shopify's bucket), plus Node's process metrics;
 * - database-wide gauges (jobs by kind and status, requests by status, overdue requests, the
 *   freshest worker heartbeat), read from the database when /metrics is scraped
 *   (services/ops-status.server.ts). Every instance reports the same values for these: aggregate
 *   them with max(), not sum().
 *
 * Kept on globalThis: the Express layer and the Remix build are separate module graphs in one
 * process and must count into one registry.
 */
function createMetrics() {
  const registry = new Registry();
  registry.setDefaultLabels({ app: "privacy-desk" });
  collectDefaultMetrics({ register: registry, prefix: "privacy_desk_" });
  const registers = [registry];
  return {
    registry,
    webhooks: new Counter({
      name: "privacy_desk_webhooks_total",
      help: "Compliance webhooks answered by this process, by topic, outcome (recorded, duplicate, ignored, rejected, failed) and HTTP status",
      labelNames: ["topic", "outcome", "status"] as const,
      registers,
    }),
    webhookSeconds: new Histogram({
      name: "privacy_desk_webhook_duration_seconds",
      help: "Time from receiving a compliance webhook to answering it (stored and committed for a 200)",
      labelNames: ["topic", "outcome"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    jobsFinished: new Counter({
      name: "privacy_desk_jobs_finished_total",
      help: "Jobs this process's worker finished an attempt of, by kind and outcome (done, retrying, failed, lost, handed_back)",
      labelNames: ["kind", "outcome"] as const,
      registers,
    }),
    adminThrottleWaitSeconds: new Counter({
      name: "privacy_desk_admin_api_throttle_wait_seconds_total",
      help: "Time this process's Admin API calls waited for Shopify's leaky bucket to refill",
      registers,
    }),
    adminThrottled: new Counter({
      name: "privacy_desk_admin_api_throttled_total",
      help: "Admin API calls Shopify answered THROTTLED (retried after the bucket refilled)",
      registers,
    }),
    jobs: new Gauge({
      name: "privacy_desk_jobs",
      help: "Database-wide: jobs queued, running or failed, by kind",
      labelNames: ["kind", "status"] as const,
      registers,
    }),
    oldestQueuedJobSeconds: new Gauge({
      name: "privacy_desk_oldest_due_job_age_seconds",
      help: "Database-wide: how long the oldest due, queued job has waited for a worker (0 when none)",
      registers,
    }),
    requests: new Gauge({
      name: "privacy_desk_requests",
      help: "Database-wide: privacy requests by status",
      labelNames: ["status"] as const,
      registers,
    }),
    overdue: new Gauge({
      name: "privacy_desk_requests_overdue",
      help: "Database-wide: open requests past their legal deadline",
      registers,
    }),
    workerHeartbeatAge: new Gauge({
      name: "privacy_desk_worker_heartbeat_age_seconds",
      help: "Database-wide: seconds since the freshest worker heartbeat (-1 when no worker ever beat)",
      registers,
    }),
    workersAlive: new Gauge({
      name: "privacy_desk_workers_alive",
      help: "Database-wide: workers whose heartbeat is fresh",
      registers,
    }),
  };
}

export type AppMetrics = ReturnType<typeof createMetrics>;

declare global {
  var __privacyDeskMetrics: AppMetrics | undefined;
}

export function getMetrics(): AppMetrics {
  globalThis.__privacyDeskMetrics ??= createMetrics();
  return globalThis.__privacyDeskMetrics;
}
