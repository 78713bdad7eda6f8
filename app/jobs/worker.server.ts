import type { Db } from "../db-types";
import type { Logger } from "../logger.server";
import type { ExportStorage } from "../exports/export-store.server";
import type { AdminClient } from "../shopify-admin/admin-client.server";
import type { Keyring } from "../security/keyring";
import { JOB_HANDLERS, parseJobPayload, PermanentJobError, type JobHandlers } from "./handlers.server";
import { isJobKind, RECURRING_JOBS, type JobKind, type RecurringJobKind } from "./job-kinds";
import { claimNextJob, completeJob, enqueueJob, failJob, renewLease, type ClaimedJob } from "./queue.server";

export interface WorkerOptions {
  db: Db;
  keyring: Keyring;
  logger: Logger;
  exports: ExportStorage;
  admin: (shopDomain: string) => AdminClient;
  handlers?: JobHandlers;
  now?: () => Date;
  random?: () => number;
  /** How long a claimed job is ours; renewed every third of it while the handler runs. */
  leaseMs?: number;
  /** Pause between polls when the queue is empty. */
  idleMs?: number;
}

export type RunOutcome = "idle" | "done" | "retrying" | "failed" | "lost";

export function createWorker(options: WorkerOptions) {
  const { db, keyring, logger } = options;
  const handlers = options.handlers ?? JOB_HANDLERS;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const leaseMs = options.leaseMs ?? 60_000;
  const idleMs = options.idleMs ?? 500;
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;

  async function execute(job: ClaimedJob): Promise<void> {
    if (!isJobKind(job.kind)) throw new PermanentJobError(`Unknown job kind ${job.kind}`);
    const kind: JobKind = job.kind;
    const payload = parseJobPayload(kind, job.payload);
    const renewal = setInterval(
      () => {
        renewLease(db, job, { now: now(), leaseMs }).catch((error: unknown) =>
          logger.warn("lease renewal failed", { jobId: job.id, error: String(error) }),
        );
      },
      Math.max(1_000, leaseMs / 3),
    );
    try {
      await (handlers[kind] as (ctx: unknown, payload: unknown) => Promise<void>)(
        {
          db,
          keyring,
          exports: options.exports,
          admin: options.admin,
          now,
          lastAttempt: job.attempts >= job.maxAttempts,
        },
        payload,
      );
    } finally {
      clearInterval(renewal);
    }
  }

  /** Claims and runs at most one job. */
  async function runOnce(): Promise<RunOutcome> {
    const job = await claimNextJob(db, { now: now(), leaseMs });
    if (!job) return "idle";
    const fields = { jobId: job.id, kind: job.kind, attempt: job.attempts };
    try {
      await execute(job);
    } catch (error) {
      const outcome = await failJob(db, job, error, {
        now: now(),
        random: random(),
        permanent: error instanceof PermanentJobError,
      });
      logger[outcome === "failed" ? "error" : "warn"](`job ${outcome}`, { ...fields, error: String(error) });
      return outcome;
    }
    // A purge removes its own job row along with the shop; that is success, not a lost lease.
    const completed = await completeJob(db, job, now());
    if (!completed && job.kind !== "purge_shop") logger.warn("job finished after its lease was lost", fields);
    return "done";
  }

  /** Recurring jobs book their own next run; this makes sure a first one of each exists. */
  async function ensureRecurringJobs() {
    await db.$transaction(async (tx) => {
      for (const kind of Object.keys(RECURRING_JOBS) as RecurringJobKind[]) {
        const pending = await tx.job.count({ where: { kind, status: { in: ["queued", "running"] } } });
        if (pending === 0) await enqueueJob(tx, { shopId: null, kind, payload: {}, runAt: now() });
      }
    });
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
