import { daysLeft, DUE_SOON_DAYS } from "./deadlines";

/**
 * The merchant's daily deadline digest: the shop's open requests that are overdue or due within
 * DUE_SOON_DAYS, by id, type and due date only (a digest names no shopper: the request page is
 * one click away for staff who may see more).
 */
export const DIGEST_HOUR_UTC = 7;
const DAY_MS = 86_400_000;

export interface DigestItem {
  id: string;
  type: string;
  status: string;
  dueAt: Date;
  daysLeft: number;
}

export interface Digest {
  overdue: DigestItem[];
  dueSoon: DigestItem[];
}

/** The day a digest belongs to (UTC), which makes "one digest per shop per day" checkable. */
export const digestDay = (now: Date) => now.toISOString().slice(0, 10);

/** The window a digest covers: everything due before this, overdue included. */
export const digestHorizon = (now: Date) => new Date(now.getTime() + DUE_SOON_DAYS * DAY_MS);

/** Whether today's digests may go out yet (not in the small hours of the UTC day). */
export const digestTime = (now: Date) => now.getUTCHours() >= DIGEST_HOUR_UTC;

export function buildDigest(
  open: { id: string; type: string; status: string; dueAt: Date }[],
  now: Date,
): Digest {
  const horizon = digestHorizon(now);
  const items = open
    .filter((request) => request.dueAt <= horizon)
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id.localeCompare(b.id))
    .map((request) => ({ ...request, daysLeft: daysLeft(request.dueAt, now) }));
  return {
    overdue: items.filter((item) => item.dueAt <= now),
    dueSoon: items.filter((item) => item.dueAt > now),
  };
}

export const isEmptyDigest = (digest: Digest) => digest.overdue.length + digest.dueSoon.length === 0;
