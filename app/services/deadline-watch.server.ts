import type { Db } from "../db-types";
import { deadlineAlert, DUE_SOON_DAYS, daysLeft } from "../domain/deadlines";
import { OPEN_STATUSES } from "../domain/request-lifecycle";
import type { Keyring } from "../security/keyring";
import { appendAuditEvent } from "./audit-log.server";

const DAY_MS = 86_400_000;

/**
 * Flags open requests whose deadline is within DUE_SOON_DAYS, or has passed, across all shops:
 * each flag is set once, by a guarded update, together with its audit event, so running this
 * twice (or in two workers) records each alert once.
 */
export async function flagDeadlines(
  db: Db,
  keyring: Keyring,
  now: Date,
): Promise<{ dueSoon: number; overdue: number }> {
  const candidates = await db.privacyRequest.findMany({
    where: {
      status: { in: [...OPEN_STATUSES] },
      dueAt: { lte: new Date(now.getTime() + DUE_SOON_DAYS * DAY_MS) },
      OR: [{ dueSoonFlaggedAt: null }, { overdueFlaggedAt: null, dueAt: { lte: now } }],
    },
    select: { id: true, shopId: true, dueAt: true, dueSoonFlaggedAt: true, overdueFlaggedAt: true },
    orderBy: { dueAt: "asc" },
  });
  const counts = { dueSoon: 0, overdue: 0 };
  for (const request of candidates) {
    const alert = deadlineAlert({
      dueAt: request.dueAt,
      now,
      open: true,
      dueSoonFlagged: request.dueSoonFlaggedAt !== null,
      overdueFlagged: request.overdueFlaggedAt !== null,
    });
    if (!alert) continue;
    const flag = alert === "overdue" ? "overdueFlaggedAt" : "dueSoonFlaggedAt";
    await db.$transaction(async (tx) => {
      const { count } = await tx.privacyRequest.updateMany({
        where: { id: request.id, [flag]: null, status: { in: [...OPEN_STATUSES] }, dueAt: request.dueAt },
        data: { [flag]: now },
      });
      if (count !== 1) return;
      await appendAuditEvent(tx, keyring, {
        shopId: request.shopId,
        requestId: request.id,
        actor: "system:deadlines",
        action: `deadline.${alert}`,
        occurredAt: now,
        data: { dueAt: request.dueAt.toISOString(), daysLeft: daysLeft(request.dueAt, now) },
      });
      counts[alert === "overdue" ? "overdue" : "dueSoon"] += 1;
    });
  }
  return counts;
}
