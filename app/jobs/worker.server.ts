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
  reapAbandonedJobs,
  renewLease,
  type ClaimedJob,
} from "../queue/job-queue.server";
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
  /** Pause between polls when the queue is empty. */
  idleMs?: number;
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
    try {
      await execute(job);
    } catch (error) {
      const permanent = error instanceof PermanentJobError;
      const outcome = await failJob(db, job, error, { now: now(), random: random(), permanent });
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
      try {
        outcome = await runOnce();
      } catch (error) {
        logger.error("worker poll failed", { error: String(error) });
        outcome = "idle";
      }
      if (outcome === "idle" && running) {
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
      loop = ensureRecurringJobs()
        .catch((error: unknown) =>
          logger.error("could not schedule the recurring jobs", { error: String(error) }),
        )
        .then(run);
    },
    /** Finishes the job in hand, then returns. */
    async stop() {
      running = false;
      wake?.();
      await loop;
      loop = null;
    },
  };
}

export type Worker = ReturnType<typeof createWorker>;
