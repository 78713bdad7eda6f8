import { ExtensionNotAllowedError } from "./errors";

export type Regime = "gdpr" | "ccpa";
export const REGIMES: readonly Regime[] = ["gdpr", "ccpa"];

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Adds calendar months in UTC, clamping to the last day of the target month: a request received
 * on 31 January is due on 28 (or 29) February, which is how the GDPR's "one month" is read
 * (Regulation 1182/71 art. 3(2)(c)).
 */
export function addCalendarMonths(from: Date, months: number): Date {
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth() + months;
  const lastDayOfTarget = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(from.getUTCDate(), lastDayOfTarget);
  return new Date(
    Date.UTC(
      year,
      month,
      day,
      from.getUTCHours(),
      from.getUTCMinutes(),
      from.getUTCSeconds(),
      from.getUTCMilliseconds(),
    ),
  );
}

function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS);
}

/** GDPR art. 12(3): one month. CCPA §1798.130(a)(2): 45 days. */
export function initialDueDate(regime: Regime, receivedAt: Date): Date {
  return regime === "gdpr" ? addCalendarMonths(receivedAt, 1) : addDays(receivedAt, 45);
}

/** GDPR art. 12(3): two further months. CCPA: one further 45 days. Measured from the first due date. */
export function extendedDueDate(regime: Regime, originalDueAt: Date): Date {
  return regime === "gdpr" ? addCalendarMonths(originalDueAt, 2) : addDays(originalDueAt, 45);
}

export function planExtension(input: {
  regime: Regime;
  dueAt: Date;
  alreadyExtended: boolean;
  reason: string;
}): { dueAt: Date; reason: string } {
  const reason = input.reason.trim();
  if (reason.length < 5)
    throw new ExtensionNotAllowedError("An extension needs a reason the shopper can be told");
  if (input.alreadyExtended) throw new ExtensionNotAllowedError("This request was already extended once");
  return { dueAt: extendedDueDate(input.regime, input.dueAt), reason };
}

/** Whole days left until the deadline, negative once overdue. */
export function daysLeft(dueAt: Date, now: Date): number {
  return Math.floor((dueAt.getTime() - now.getTime()) / DAY_MS);
}

export const DUE_SOON_DAYS = 7;

export type DeadlineAlert = "due_soon" | "overdue";

/**
 * Which alert an open request needs now, if any: overdue once the deadline has passed, due soon
 * within DUE_SOON_DAYS of it; each at most once (until an extension clears the flags).
 */
export function deadlineAlert(input: {
  dueAt: Date;
  now: Date;
  open: boolean;
  dueSoonFlagged: boolean;
  overdueFlagged: boolean;
}): DeadlineAlert | null {
  if (!input.open) return null;
  const left = input.dueAt.getTime() - input.now.getTime();
  if (left <= 0) return input.overdueFlagged ? null : "overdue";
  if (left <= DUE_SOON_DAYS * DAY_MS) return input.dueSoonFlagged ? null : "due_soon";
  return null;
}
