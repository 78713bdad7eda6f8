import { lockForTransaction } from "../db-locks.server";
import type { Db } from "../db-types";
import type { ExportStorage } from "../exports/export-store.server";
import type { Logger } from "../logger.server";
import {
  isJobKind,
  parseJobPayload,
  PermanentJobError,
  RECURRING_JOBS,
  type JobKind,
  type RecurringJobKind,
} from "../queue/job-kinds";
import {
  claimNextJob,
  completeJob,
  enqueueJob,
  failJob,
  handBackJob,
  reapAbandonedJobs,
  renewLease,
  type ClaimedJob,
} from "../queue/job-queue.server";
import { onQueuedJobs } from "../queue/job-signal.server";
import { beat, forgetWorker, HEARTBEAT_MS, workerIdentity } from "../queue/worker-heartbeat.server";
import type { AppMetrics } from "../metrics.server";
import type { Keyring } from "../security/keyring";
import type { AdminClient } from "../shopify-admin/admin-client.server";
import type { Mailer } from "../services/email/mail-transport.server";
import { JOB_HANDLERS, type JobContext, type JobHandler, type JobHandlers } from "./job-handlers.server";

export interface WorkerOptions {
  db: Db;
  keyring: Keyring;
  logger: Logger;
  exports: ExportStorage;
  admin: (shopDomain: string) => AdminClient;
  /** Sends shoppers' emails; null (the default) until SMTP_URL is set. */
  mail?: Mailer | null;
  handlers?: JobHandlers;
  now?: () => Date;
  random?: () => number;
  /** How long a claimed job is ours; renewed every third of it while the handler runs. */
  leaseMs?: number;
  /** Pause between polls when the queue is empty (cut short when this process queues a job). */
  idleMs?: number;
  /** Counts finished jobs (/metrics); entry points pass the process's registry. */
  metrics?: Pick<AppMetrics, "jobsFinished">;
  /** How often a started worker records that it is alive (worker-heartbeat.server.ts). */
  heartbeatMs?: number;
}

export type RunOutcome = "idle" | "done" | "retrying" | "failed" | "lost";

type AnyHandler = JobHandler<JobKind> & { run: (ctx: JobContext, payload: unknown) => Promise<void> };

/**
 * The worker: claims a job, runs its kind's handler, and reports the outcome to the queue. When a
 * job ends for good (retries spent, a permanent error, a worker that died on every attempt), the
 * handler's onGiveUp is told why, so nothing waiting on the job is left waiting.
 */
export function createWorker(options: WorkerOptions) {
  const { db, logger } = options;
  const handlers = options.handlers ?? JOB_HANDLERS;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const leaseMs = options.leaseMs ?? 60_000;
  const idleMs = options.idleMs ?? 500;
  const context: JobContext = {
    db,
    keyring: options.keyring,
    exports: options.exports,
    admin: options.admin,
    mail: options.mail ?? null,
    now,
  };
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let current: ClaimedJob | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  /** A job was announced since the last claim began: the claim may have missed it, so no sleep. */
  let announced = false;
  let stopListening: (() => void) | null = null;
  const identity = workerIdentity();
  const count = (kind: string, outcome: string) => options.metrics?.jobsFinished.inc({ kind, outcome });

  const handlerFor = (kind: string): AnyHandler => {
    if (!isJobKind(kind)) throw new PermanentJobError(`Unknown job kind ${kind}`);
    return handlers[kind] as AnyHandler;
  };

  async function execute(job: ClaimedJob): Promise<void> {
    const handler = handlerFor(job.kind);
    const payload = parseJobPayload(job.kind as JobKind, job.payload);
    const renewal = setInterval(
      () => {
        renewLease(db, job, { now: now(), leaseMs }).catch((error: unknown) =>
          logger.warn("lease renewal failed", { jobId: job.id, error: String(error) }),
        );
      },
      Math.max(1_000, leaseMs / 3),
    );
    try {
      await handler.run(context, payload);
    } finally {
      clearInterval(renewal);
    }
  }

  /** Tells the job's kind that it will never succeed. A failure here is logged; the watchdog covers it. */
  async function giveUp(job: { id: string; kind: string; payload: string }, reason: string) {
    try {
      const handler = handlerFor(job.kind);
      if (!handler.onGiveUp) return;
      await handler.onGiveUp(context, parseJobPayload(job.kind as JobKind, job.payload), reason);
    } catch (error) {
      logger.error("could not report a job that ended for good", {
        jobId: job.id,
        kind: job.kind,
        error: String(error),
      });
    }
  }

  /** A recurring job's next run, booked once this one has ended either way (or now, for the first). */
  async function bookNextRun(kind: string, runAt?: Date) {
    if (!Object.hasOwn(RECURRING_JOBS, kind)) return;
    const recurring = kind as RecurringJobKind;
    await db.$transaction(async (tx) => {
      // Workers in other processes book too: one at a time, so exactly one next run exists.
      await lockForTransaction(tx, `recurring-job:${recurring}`);
      const pending = await tx.job.count({
        where: { kind: recurring, status: { in: ["queued", "running"] } },
      });
      if (pending === 0) {
        await enqueueJob(tx, {
          shopId: null,
          kind: recurring,
          payload: {},
          runAt: runAt ?? new Date(now().getTime() + RECURRING_JOBS[recurring]),
        });
      }
    });
  }

  /** Reaps jobs abandoned by dead workers, then claims and runs at most one job. */
  async function runOnce(): Promise<RunOutcome> {
    try {
      return await reapClaimAndRun();
    } finally {
      current = null;
    }
  }

  async function reapClaimAndRun(): Promise<RunOutcome> {
    for (const abandoned of await reapAbandonedJobs(db, now())) {
      logger.error("job failed: its worker stopped on every attempt", {
        jobId: abandoned.id,
        kind: abandoned.kind,
      });
      await giveUp(abandoned, abandoned.reason);
      await bookNextRun(abandoned.kind);
    }
    const job = await claimNextJob(db, { now: now(), leaseMs });
    if (!job) return "idle";
    const fields = { jobId: job.id, kind: job.kind, attempt: job.attempts };
    const startedAt = Date.now();
    current = job;
    try {
      await execute(job);
    } catch (error) {
      const permanent = error instanceof PermanentJobError;
      const outcome = await failJob(db, job, error, { now: now(), random: random(), permanent });
      count(job.kind, outcome);
      logger[outcome === "failed" ? "error" : "warn"](`job ${outcome}`, { ...fields, error: String(error) });
      if (outcome === "failed") {
        const message = error instanceof Error ? error.message : String(error);
        await giveUp(job, permanent ? message : `${message} (gave up after ${job.attempts} attempts)`);
        await bookNextRun(job.kind);
      }
      return outcome;
    }
    // A purge removes its own job row along with the shop; that is success, not a lost lease.
    const completed = await completeJob(db, job, now());
    count(job.kind, completed || job.kind === "purge_shop" ? "done" : "lost");
    logger.info("job done", { ...fields, ms: Date.now() - startedAt });
    if (!completed && job.kind !== "purge_shop") logger.warn("job finished after its lease was lost", fields);
    await bookNextRun(job.kind);
    return "done";
  }

  /** Recurring jobs book their own next run; this makes sure a first one of each exists. */
  async function ensureRecurringJobs() {
    for (const kind of Object.keys(RECURRING_JOBS)) await bookNextRun(kind, now());
  }

  async function drain(): Promise<number> {
    let ran = 0;
    while ((await runOnce()) !== "idle") ran += 1;
    return ran;
  }

  async function run(): Promise<void> {
    while (running) {
      let outcome: RunOutcome;
      announced = false;
      try {
        outcome = await runOnce();
      } catch (error) {
        logger.error("worker poll failed", { error: String(error) });
        outcome = "idle";
      }
      if (outcome === "idle" && running && !announced) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, idleMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    }
  }

  return {
    runOnce,
    drain,
    start() {
      if (running) return;
      running = true;
      const beatNow = () =>
        beat(db, identity, now()).catch((error: unknown) =>
          logger.warn("worker heartbeat failed", { error: String(error) }),
        );
      void beatNow();
      heartbeat = setInterval(beatNow, options.heartbeatMs ?? HEARTBEAT_MS);
      heartbeat.unref();
      stopListening = onQueuedJobs(() => {
        announced = true;
        wake?.();
      });
      loop = ensureRecurringJobs()
        .catch((error: unknown) =>
          logger.error("could not schedule the recurring jobs", { error: String(error) }),
        )
        .then(run);
    },
    /**
     * Stops claiming and waits for the job in hand. If it is still running after `graceMs`, its
     * lease is handed back (queued again at once, the attempt not counted) and this returns: the
     * caller is about to exit, and another worker takes the job over without waiting for the lease
     * to expire. The job's effects are idempotent (ADR 003), so a second run picks up where this
     * one was cut off.
     */
    async stop(opts: { graceMs?: number } = {}) {
      running = false;
      stopListening?.();
      stopListening = null;
      wake?.();
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      const finished = loop ?? Promise.resolve();
      const inHand = current;
      const timedOut = await Promise.race([
        finished.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), opts.graceMs ?? 30_000).unref()),
      ]);
      if (timedOut && inHand) {
        const handedBack = await handBackJob(db, inHand, now()).catch(() => false);
        count(inHand.kind, "handed_back");
        logger.warn("stopping with a job still running: lease handed back", {
          jobId: inHand.id,
          kind: inHand.kind,
          handedBack,
        });
      }
      await forgetWorker(db, identity).catch(() => undefined);
      loop = null;
    },
    /** This worker's heartbeat id (worker-heartbeat.server.ts). */
    id: identity.id,
  };
}

export type Worker = ReturnType<typeof createWorker>;
