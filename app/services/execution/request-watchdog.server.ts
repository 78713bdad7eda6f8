import type { Db } from "../../db-types";
import type { Keyring } from "../../security/keyring";
import { appendAuditEvent } from "../audit-log.server";
import { enqueueExecution, transitionRequest } from "../requests.server";
import { EXECUTABLE_STATUSES, WORKER } from "./request-steps.server";

/** Re-queues per request before the watchdog gives up and fails it. */
export const WATCHDOG_MAX_REQUEUES = 3;
/** A request must have been idle this long: anything younger may still be in a transaction. */
const GRACE_MS = 2 * 60_000;

export const NO_LIVE_JOB = "No job was carrying this request out (for example after a database restore)";

/**
 * Finds requests waiting for the worker (approved, in progress) that no queued or running job is
 * carrying out, and puts each back in the queue, at most WATCHDOG_MAX_REQUEUES times; after that
 * the request fails with the reason, for the merchant to see. Each change is guarded on the
 * request's status and requeue count, so two watchdogs never both act on one request.
 */
export async function requeueStrandedRequests(
  db: Db,
  keyring: Keyring,
  now: Date,
): Promise<{ requeued: string[]; failed: string[] }> {
  const idle = await db.privacyRequest.findMany({
    where: {
      status: { in: [...EXECUTABLE_STATUSES] },
      updatedAt: { lt: new Date(now.getTime() - GRACE_MS) },
    },
    select: { id: true, shopId: true, status: true, watchdogRequeues: true },
    orderBy: { updatedAt: "asc" },
    take: 500,
  });
  if (idle.length === 0) return { requeued: [], failed: [] };
  const carried = await db.job.findMany({
    where: { requestId: { in: idle.map((request) => request.id) }, status: { in: ["queued", "running"] } },
    select: { requestId: true },
  });
  const live = new Set(carried.map((job) => job.requestId));
  const outcome = { requeued: [] as string[], failed: [] as string[] };
  for (const request of idle.filter((candidate) => !live.has(candidate.id))) {
    await db.$transaction(async (tx) => {
      const { count } = await tx.privacyRequest.updateMany({
        where: {
          id: request.id,
          shopId: request.shopId,
          status: request.status,
          watchdogRequeues: request.watchdogRequeues,
        },
        data: { watchdogRequeues: { increment: 1 } },
      });
      if (count !== 1) return;
      const attempt = request.watchdogRequeues + 1;
      if (attempt > WATCHDOG_MAX_REQUEUES) {
        await transitionRequest(tx, keyring, {
          shopId: request.shopId,
          requestId: request.id,
          event: "fail",
          actor: WORKER,
          now,
          reason: `${NO_LIVE_JOB}, and re-queuing it ${WATCHDOG_MAX_REQUEUES} times did not finish it`,
        });
        outcome.failed.push(request.id);
        return;
      }
      await enqueueExecution(tx, { shopId: request.shopId, requestId: request.id, now });
      await appendAuditEvent(tx, keyring, {
        shopId: request.shopId,
        requestId: request.id,
        actor: WORKER,
        action: "request.requeued",
        occurredAt: now,
        data: { reason: NO_LIVE_JOB, attempt, of: WATCHDOG_MAX_REQUEUES },
      });
      outcome.requeued.push(request.id);
    });
  }
  return outcome;
}
