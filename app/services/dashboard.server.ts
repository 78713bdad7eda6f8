import type { Db } from "../db-types";
import { daysBetween, median, weeklyCounts } from "../domain/dashboard";
import { DUE_SOON_DAYS } from "../domain/deadlines";
import { OPEN_STATUSES } from "../domain/request-lifecycle";

export const CHART_WEEKS = 12;

export interface DashboardFigures {
  openByStatus: Record<string, number>;
  openByType: Record<string, number>;
  open: number;
  dueSoon: number;
  overdue: number;
  completedLast30Days: number;
  medianDaysToComplete: number | null;
  weekly: { weekStart: string; count: number }[];
}

export async function dashboardFigures(db: Db, shopId: string, now: Date): Promise<DashboardFigures> {
  const open = { shopId, status: { in: [...OPEN_STATUSES] } };
  const since30 = new Date(now.getTime() - 30 * 86_400_000);
  const [byStatusAndType, dueSoon, overdue, completed, received] = await Promise.all([
    db.privacyRequest.groupBy({ by: ["status", "type"], where: open, _count: { _all: true } }),
    db.privacyRequest.count({
      where: { ...open, dueAt: { gte: now, lt: new Date(now.getTime() + DUE_SOON_DAYS * 86_400_000) } },
    }),
    db.privacyRequest.count({ where: { ...open, dueAt: { lt: now } } }),
    db.privacyRequest.findMany({
      where: { shopId, status: "completed", completedAt: { gte: since30 } },
      select: { receivedAt: true, completedAt: true },
    }),
    db.privacyRequest.findMany({
      where: { shopId, receivedAt: { gte: new Date(now.getTime() - CHART_WEEKS * 7 * 86_400_000) } },
      select: { receivedAt: true },
    }),
  ]);
  const openByStatus: Record<string, number> = {};
  const openByType: Record<string, number> = {};
  let openCount = 0;
  for (const group of byStatusAndType) {
    openByStatus[group.status] = (openByStatus[group.status] ?? 0) + group._count._all;
    openByType[group.type] = (openByType[group.type] ?? 0) + group._count._all;
    openCount += group._count._all;
  }
  const durations = completed.map((row) => daysBetween(row.receivedAt, row.completedAt!));
  const mid = median(durations);
  return {
    openByStatus,
    openByType,
    open: openCount,
    dueSoon,
    overdue,
    completedLast30Days: completed.length,
    medianDaysToComplete: mid === null ? null : Math.round(mid * 10) / 10,
    weekly: weeklyCounts(
      received.map((row) => row.receivedAt),
      now,
      CHART_WEEKS,
    ),
  };
}
