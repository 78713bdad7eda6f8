import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { afterCommit } from "../db-guard.server";
import { sqlDialect, type Db, type Tx } from "../db-types";
import { backoffDelayMs, DEFAULT_RETRY_POLICY, type RetryPolicy } from "../domain/retry-policy";
import type { JobKind, JobPayload } from "./job-kinds";
import { announceQueuedJobs } from "./job-signal.server";
import { newRowId } from "../security/row-id";

/**
 * A job table in the app's own database (docs/decisions/003 and 012): enqueued in the same
 * transaction as the change that needs it, claimed with a lease in one statement (SKIP LOCKED on
 * PostgreSQL), re-claimed when a worker dies and its lease runs out. This layer knows
 * no job kind's meaning: services enqueue, the worker (app/jobs) claims and dispatches.
 */
export type JobStatus = "queued" | "running" | "done" | "failed";

export interface ClaimedJob {
  id: string;
  shopId: string | null;
  kind: string;
  payload: string;
  attempts: number;
  maxAttempts: number;
  leaseToken: string;
}

export interface NewJob<K extends JobKind> {
  shopId: string | null;
  kind: K;
  payload: JobPayload<K>;
  runAt?: Date;
  maxAttempts?: number;
}

/** Attempts before a job is marked failed, unless its enqueuer says otherwise. */
const DEFAULT_MAX_ATTEMPTS = 8;

/** The complete row for a new job, for callers that insert many at once. */
export function newJobRow<K extends JobKind>(input: NewJob<K>) {
  const now = new Date();
  return {
    id: newRowId(),
    shopId: input.shopId,
    kind: input.kind,
    // The request a job carries out, so "does this request still have a live job?" is one query.
    requestId: "requestId" in input.payload ? (input.payload.requestId as string) : null,
    payload: JSON.stringify(input.payload),
    status: "queued" as JobStatus,
    attempts: 0,
    maxAttempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    runAt: input.runAt ?? now,
    createdAt: now,
    updatedAt: now,
  };
}

/** Queues a job with the caller's transaction; one due now wakes this process's idle worker on commit. */
export async function enqueueJob<K extends JobKind>(tx: Tx, input: NewJob<K>): Promise<{ id: string }> {
  const row = newJobRow(input);
  const created = await tx.job.create({ data: row, select: { id: true } });
  if (row.runAt.getTime() <= Date.now()) afterCommit(announceQueuedJobs);
  return created;
}

interface ClaimedRow {
  id: string;
  shopId: string | null;
  kind: string;
  payload: string;
  attempts: number | bigint;
  maxAttempts: number | bigint;
}

/**
 * Takes the oldest due job, or one whose worker stopped renewing its lease, in one statement: the
 * row is chosen and marked running with a new lease token together, so two workers can never
 * both hold a job. On PostgreSQL the choice is `FOR UPDATE SKIP LOCKED` (as pg-boss and
 * graphile-worker claim): workers in other processes skip a row being claimed instead of waiting
 * for it or taking it too. On SQLite the statement runs alone (one writer at a time). A job whose
 * worker died during its last attempt is left for reapAbandonedJobs.
 */
export async function claimNextJob(db: Db, opts: { now: Date; leaseMs: number }): Promise<ClaimedJob | null> {
  const leaseToken = randomUUID();
  const leaseUntil = new Date(opts.now.getTime() + opts.leaseMs);
  const skipLocked = sqlDialect(db) === "postgresql" ? Prisma.sql`FOR UPDATE SKIP LOCKED` : Prisma.empty;
  const [row] = await db.$queryRaw<ClaimedRow[]>`
    UPDATE "Job"
    SET "status" = 'running', "leaseToken" = ${leaseToken}, "leaseUntil" = ${leaseUntil},
        "attempts" = "attempts" + 1, "updatedAt" = ${opts.now}
    WHERE "id" = (
      SELECT "id" FROM "Job"
      WHERE ("status" = 'queued' AND "runAt" <= ${opts.now})
         OR ("status" = 'running' AND "leaseUntil" < ${opts.now} AND "attempts" < "maxAttempts")
      ORDER BY "runAt"
      LIMIT 1
      ${skipLocked}
    )
    RETURNING "id", "shopId", "kind", "payload", "attempts", "maxAttempts"`;
  if (!row) return null;
  return { ...row, attempts: Number(row.attempts), maxAttempts: Number(row.maxAttempts), leaseToken };
}

export interface AbandonedJob {
  id: string;
  kind: string;
  payload: string;
  reason: string;
}

/**
 * Jobs whose worker stopped (crashed, was killed) during their last attempt: no worker will ever
 * take them again, so they are marked failed here and returned, for the worker to tell whoever
 * was waiting on them (a request must not stay in progress for ever).
 */
export async function reapAbandonedJobs(db: Db, now: Date): Promise<AbandonedJob[]> {
  const expired = await db.job.findMany({
    where: { status: "running", leaseUntil: { lt: now } },
    select: { id: true, kind: true, payload: true, leaseToken: true, attempts: true, maxAttempts: true },
    orderBy: { leaseUntil: "asc" },
    take: 50,
  });
  const reaped: AbandonedJob[] = [];
  for (const job of expired.filter((candidate) => candidate.attempts >= candidate.maxAttempts)) {
    const reason = `Its worker stopped during each of ${job.attempts} attempts`;
    const { count } = await db.job.updateMany({
      where: { id: job.id, status: "running", leaseToken: job.leaseToken },
      data: { status: "failed", leaseToken: null, leaseUntil: null, lastError: reason },
    });
    if (count === 1) reaped.push({ id: job.id, kind: job.kind, payload: job.payload, reason });
  }
  return reaped;
}

/** False when the lease was lost (another worker took over, or the job was purged with its shop). */
export async function completeJob(db: Db, job: ClaimedJob, now: Date): Promise<boolean> {
  const { count } = await db.job.updateMany({
    where: { id: job.id, leaseToken: job.leaseToken, status: "running" },
    data: { status: "done", completedAt: now, leaseToken: null, leaseUntil: null, lastError: null },
  });
  return count === 1;
}

export async function failJob(
  db: Db,
  job: ClaimedJob,
  error: unknown,
  opts: { now: Date; random: number; policy?: RetryPolicy; permanent?: boolean },
): Promise<"retrying" | "failed" | "lost"> {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const exhausted = opts.permanent || job.attempts >= job.maxAttempts;
  const delay = backoffDelayMs(job.attempts, opts.random, opts.policy ?? DEFAULT_RETRY_POLICY);
  const { count } = await db.job.updateMany({
    where: { id: job.id, leaseToken: job.leaseToken, status: "running" },
    data: exhausted
      ? { status: "failed", leaseToken: null, leaseUntil: null, lastError: message.slice(0, 2000) }
      : {
          status: "queued",
          leaseToken: null,
          leaseUntil: null,
          lastError: message.slice(0, 2000),
          runAt: new Date(opts.now.getTime() + delay),
        },
  });
  if (count !== 1) return "lost";
  return exhausted ? "failed" : "retrying";
}

/** Long jobs renew their lease so they are not taken over while still working. */
export async function renewLease(
  db: Db,
  job: ClaimedJob,
  opts: { now: Date; leaseMs: number },
): Promise<boolean> {
  const { count } = await db.job.updateMany({
    where: { id: job.id, leaseToken: job.leaseToken, status: "running" },
    data: { leaseUntil: new Date(opts.now.getTime() + opts.leaseMs) },
  });
  return count === 1;
}

/**
 * A worker shutting down with a job still running gives it back: queued again at once, the
 * attempt not counted, so another worker takes it without waiting for the lease to run out.
 * False when the lease was already gone.
 */
export async function handBackJob(db: Db, job: ClaimedJob, now: Date): Promise<boolean> {
  const { count } = await db.job.updateMany({
    where: { id: job.id, leaseToken: job.leaseToken, status: "running" },
    data: { status: "queued", leaseToken: null, leaseUntil: null, attempts: { decrement: 1 }, runAt: now },
  });
  return count === 1;
}

/** Puts a failed job back in the queue with fresh attempts (an operator's decision). */
export async function requeueFailedJob(db: Db, jobId: string, now: Date): Promise<boolean> {
  const { count } = await db.job.updateMany({
    where: { id: jobId, status: "failed" },
    data: { status: "queued", attempts: 0, runAt: now, lastError: null },
  });
  return count === 1;
}
