import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { getKeyring } from "../../app/keys.server";
import { dashboardFigures } from "../../app/services/dashboard.server";
import { transitionRequest } from "../../app/services/requests.server";
import { OTHER_SHOP } from "../helpers/constants";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";

beforeEach(resetDatabase);

const DAY = 86_400_000;
const now = new Date("2026-11-27T12:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * DAY);

async function requestReceived(days: number, overrides: Parameters<typeof createTestRequest>[0] = {}) {
  return (await createTestRequest({ regime: "gdpr", receivedAt: daysAgo(days), ...overrides })).request;
}

async function completeAfter(request: { id: string; shopId: string }, days: number, receivedDaysAgo: number) {
  await getDb().$transaction(async (tx) => {
    for (const event of ["approve", "start", "complete"] as const) {
      await transitionRequest(tx, getKeyring(), {
        shopId: request.shopId,
        requestId: request.id,
        event,
        actor: "system:test",
        now: daysAgo(receivedDaysAgo - days),
      });
    }
  });
}

describe("dashboard figures", () => {
  it("counts open work by status and type, the deadlines, and the median time to complete", async () => {
    const overdue = await requestReceived(40); // GDPR: one month, so overdue
    await requestReceived(27, { type: "erasure" }); // due within 7 days
    await requestReceived(2, { verified: false, source: "storefront" }); // awaiting verification
    for (const [received, took] of [
      [20, 2],
      [15, 4],
      [10, 9],
    ] as const) {
      await completeAfter(await requestReceived(received), took, received);
    }
    await completeAfter(await requestReceived(90), 5, 90); // received before the chart, completed 85 days ago
    await requestReceived(1, { domain: OTHER_SHOP }); // another shop's request counts nowhere here

    const figures = await dashboardFigures(getDb(), overdue.shopId, now);

    expect(figures).toMatchObject({
      open: 3,
      openByStatus: { pending_review: 2, awaiting_verification: 1 },
      openByType: { access: 2, erasure: 1 },
      overdue: 1,
      dueSoon: 1,
      completedLast30Days: 3,
      medianDaysToComplete: 4,
    });
    expect(figures.weekly).toHaveLength(12);
    expect(figures.weekly.reduce((sum, week) => sum + week.count, 0)).toBe(6); // all but the one 90 days ago
  });
});
