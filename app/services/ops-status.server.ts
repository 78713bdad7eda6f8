import type { Db } from "../db-types";
import { databaseProvider } from "../db-provider";
import { OPEN_STATUSES } from "../domain/request-lifecycle";
import type { AppMetrics } from "../metrics.server";
import { APPLIED_MIGRATIONS_SQL, pendingMigrations, shippedMigrations } from "../migrations.server";
import { workerLiveness } from "../queue/worker-heartbeat.server";

/**
 * What operators see: readiness (GET /readyz) and the database-wide gauges of GET /metrics.
 * Both read the database, so both are bounded: the checks time out, the gauges are cached.
 */

const withTimeout = <T>(work: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms).unref(),
    ),
  ]);

export interface Readiness {
  ready: boolean;
  checks: {
    database: { ok: boolean; ms?: number; error?: string };
    migrations: { ok: boolean; pending?: string[]; error?: string };
    worker: { ok: boolean; alive?: number; lastBeatSecondsAgo?: number | null; error?: string };
    accepting: { ok: boolean };
  };
}

/**
 * Ready to take traffic: the database answers, every migration this build ships is applied, some
 * worker's heartbeat is fresh (jobs will run), and the process is not shutting down.
 */
export async function readiness(
  db: Db,
  input: { databaseUrl: string; now: Date; shuttingDown: boolean; timeoutMs?: number },
): Promise<Readiness> {
  const timeoutMs = input.timeoutMs ?? 2_000;
  const checks: Readiness["checks"] = {
    database: { ok: false },
    migrations: { ok: false },
    worker: { ok: false },
    accepting: { ok: !input.shuttingDown },
  };
  const started = performance.now();
  try {
    await withTimeout(db.$queryRawUnsafe("SELECT 1"), timeoutMs, "SELECT 1");
    checks.database = { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    checks.database = { ok: false, error: (error as Error).message };
  }
  if (checks.database.ok) {
    try {
      const applied = await withTimeout(
        db.$queryRawUnsafe<{ migration_name: string }[]>(APPLIED_MIGRATIONS_SQL),
        timeoutMs,
        "reading _prisma_migrations",
      );
      const provider = databaseProvider(input.databaseUrl) ?? "sqlite";
      const pending = pendingMigrations(
        shippedMigrations(provider),
        applied.map((row) => row.migration_name),
      );
      checks.migrations = { ok: pending.length === 0, pending };
    } catch (error) {
      checks.migrations = { ok: false, error: `no migration record: ${(error as Error).message}` };
    }
    try {
      const liveness = await withTimeout(
        workerLiveness(db, input.now),
        timeoutMs,
        "reading worker heartbeats",
      );
      checks.worker = {
        ok: liveness.alive > 0,
        alive: liveness.alive,
        lastBeatSecondsAgo:
          liveness.lastBeatAgeSeconds === null ? null : Math.round(liveness.lastBeatAgeSeconds),
      };
    } catch (error) {
      checks.worker = { ok: false, error: (error as Error).message };
    }
  }
  return { ready: Object.values(checks).every((check) => check.ok), checks };
}

export interface DatabaseGauges {
  jobs: { kind: string; status: string; count: number }[];
  oldestDueJobSeconds: number;
  requests: { status: string; count: number }[];
  overdue: number;
  workersAlive: number;
  lastBeatAgeSeconds: number | null;
}

/** The database-wide numbers /metrics reports. */
export async function databaseGauges(db: Db, now: Date): Promise<DatabaseGauges> {
  const [jobs, oldestDue, requests, overdue, liveness] = await Promise.all([
    db.job.groupBy({
      by: ["kind", "status"],
      where: { status: { in: ["queued", "running", "failed"] } },
      _count: { _all: true },
    }),
    db.job.findFirst({
      where: { status: "queued", runAt: { lte: now } },
      orderBy: { runAt: "asc" },
      select: { runAt: true },
    }),
    db.privacyRequest.groupBy({ by: ["status"], _count: { _all: true } }),
    db.privacyRequest.count({ where: { status: { in: [...OPEN_STATUSES] }, dueAt: { lt: now } } }),
    workerLiveness(db, now),
  ]);
  return {
    jobs: jobs.map((row) => ({ kind: row.kind, status: row.status, count: row._count._all })),
    oldestDueJobSeconds: oldestDue ? Math.max(0, (now.getTime() - oldestDue.runAt.getTime()) / 1000) : 0,
    requests: requests.map((row) => ({ status: row.status, count: row._count._all })),
    overdue,
    workersAlive: liveness.alive,
    lastBeatAgeSeconds: liveness.lastBeatAgeSeconds,
  };
}

let cached: { at: number; gauges: Promise<DatabaseGauges> } | null = null;

/**
 * Sets the database-wide gauges (read at most every `maxAgeMs`, so several scrapers do not each
 * cost a set of queries) and renders every metric in Prometheus's text format.
 */
export async function renderMetrics(
  db: Db,
  metrics: AppMetrics,
  now: Date,
  maxAgeMs = 5_000,
): Promise<string> {
  if (!cached || now.getTime() - cached.at > maxAgeMs) {
    cached = { at: now.getTime(), gauges: databaseGauges(db, now) };
    cached.gauges.catch(() => (cached = null));
  }
  const gauges = await cached.gauges;
  metrics.jobs.reset();
  for (const row of gauges.jobs) metrics.jobs.set({ kind: row.kind, status: row.status }, row.count);
  metrics.oldestQueuedJobSeconds.set(gauges.oldestDueJobSeconds);
  metrics.requests.reset();
  for (const row of gauges.requests) metrics.requests.set({ status: row.status }, row.count);
  metrics.overdue.set(gauges.overdue);
  metrics.workersAlive.set(gauges.workersAlive);
  metrics.workerHeartbeatAge.set(gauges.lastBeatAgeSeconds ?? -1);
  return metrics.registry.metrics();
}
