/** Figures for the dashboard, computed from plain rows so they can be tested without a database. */

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** Requests received per week, oldest week first, the last week ending now. */
export function weeklyCounts(
  receivedAt: Date[],
  now: Date,
  weeks: number,
): { weekStart: string; count: number }[] {
  const start = now.getTime() - weeks * WEEK_MS;
  const counts = Array.from({ length: weeks }, (_, i) => ({
    weekStart: new Date(start + i * WEEK_MS).toISOString().slice(0, 10),
    count: 0,
  }));
  for (const at of receivedAt) {
    const index = Math.floor((at.getTime() - start) / WEEK_MS);
    if (index >= 0 && index < weeks) counts[index]!.count += 1;
  }
  return counts;
}

export function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / DAY_MS;
}
