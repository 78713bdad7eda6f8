import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { createWorker } from "../../app/jobs/worker.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { flagDeadlines } from "../../app/services/deadline-watch.server";
import { extendDeadline, transitionRequest } from "../../app/services/requests.server";
import { OTHER_SHOP, SHOP } from "../helpers/constants";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";
import { noAdminApi, testExportStorage } from "../helpers/worker-deps";
import { waitFor } from "../helpers/processes";

beforeEach(resetDatabase);

const DAY = 86_400_000;
const NOW = new Date("2026-06-01T09:00:00.000Z");

/** A CCPA request received `daysAgo` days before NOW, so due 45 days after that. */
async function requestReceived(daysAgo: number, domain = SHOP) {
  return (
    await createTestRequest({ domain, customerId: "1", receivedAt: new Date(NOW.getTime() - daysAgo * DAY) })
  ).request;
}

const alerts = async (requestId: string) =>
  (
    await getDb().auditEvent.findMany({
      where: { requestId, action: { startsWith: "deadline." } },
      orderBy: { seq: "asc" },
    })
  ).map((e) => e.action);

describe("deadline watch", () => {
  it("flags requests due within 7 days and overdue ones, once each, across shops", async () => {
    const relaxed = await requestReceived(10); // due in 35 days
    const soon = await requestReceived(40); // due in 5 days
    const late = await requestReceived(50, OTHER_SHOP); // 5 days overdue

    expect(await flagDeadlines(getDb(), getKeyring(), NOW)).toEqual({ dueSoon: 1, overdue: 1 });
    expect(await flagDeadlines(getDb(), getKeyring(), NOW)).toEqual({ dueSoon: 0, overdue: 0 });

    expect(await alerts(relaxed.id)).toEqual([]);
    expect(await alerts(soon.id)).toEqual(["deadline.due_soon"]);
    expect(await alerts(late.id)).toEqual(["deadline.overdue"]);
    const event = await getDb().auditEvent.findFirstOrThrow({
      where: { requestId: soon.id, action: "deadline.due_soon" },
    });
    expect(event.actor).toBe("system:deadlines");
    expect(JSON.parse(event.data)).toEqual({ dueAt: soon.dueAt.toISOString(), daysLeft: 5 });

    // Six days on, the one that was due soon is now overdue.
    expect(await flagDeadlines(getDb(), getKeyring(), new Date(NOW.getTime() + 6 * DAY))).toEqual({
      dueSoon: 0,
      overdue: 1,
    });
    expect(await alerts(soon.id)).toEqual(["deadline.due_soon", "deadline.overdue"]);
  });

  it("flags once even when two checks run at the same time (two workers)", async () => {
    const late = await requestReceived(50);
    const results = await Promise.all([
      flagDeadlines(getDb(), getKeyring(), NOW),
      flagDeadlines(getDb(), getKeyring(), NOW),
    ]);
    expect(results.map((r) => r.overdue).sort()).toEqual([0, 1]);
    expect(await alerts(late.id)).toEqual(["deadline.overdue"]);
  });

  it("ignores requests that are closed", async () => {
    const late = await requestReceived(50);
    await getDb().$transaction((tx) =>
      transitionRequest(tx, getKeyring(), {
        shopId: late.shopId,
        requestId: late.id,
        event: "deny",
        actor: "staff:1",
        now: NOW,
        reason: "Not our customer",
      }),
    );
    expect(await flagDeadlines(getDb(), getKeyring(), NOW)).toEqual({ dueSoon: 0, overdue: 0 });
  });

  it("watches the new deadline after an extension", async () => {
    const soon = await requestReceived(40);
    await flagDeadlines(getDb(), getKeyring(), NOW);
    await getDb().$transaction((tx) =>
      extendDeadline(tx, getKeyring(), {
        shopId: soon.shopId,
        requestId: soon.id,
        reason: "Orders in three systems",
        actor: "staff:1",
        now: NOW,
      }),
    );
    const later = new Date(soon.dueAt.getTime() + 40 * DAY); // 5 days before the extended deadline

    expect(await flagDeadlines(getDb(), getKeyring(), later)).toEqual({ dueSoon: 1, overdue: 0 });
    expect(await alerts(soon.id)).toEqual(["deadline.due_soon", "deadline.due_soon"]);
  });

  it("runs in the worker, which books the next check", async () => {
    const late = await requestReceived(50);
    const worker = createWorker({
      db: getDb(),
      keyring: getKeyring(),
      logger,
      exports: testExportStorage(),
      admin: noAdminApi,
      idleMs: 20,
    });
    worker.start();
    await waitFor(async () => (await alerts(late.id)).length > 0, 5_000, "the overdue alert");
    await worker.stop();
    expect(await alerts(late.id)).toEqual(["deadline.overdue"]);
    const next = await getDb().job.findMany({ where: { kind: "check_deadlines", status: "queued" } });
    expect(next).toHaveLength(1);
    expect(next[0]!.runAt.getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);
  });
});
