import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import type { JobHandlers } from "../../app/jobs/handlers.server";
import { JOB_HANDLERS, PermanentJobError } from "../../app/jobs/handlers.server";
import { claimNextJob, completeJob, enqueueJob } from "../../app/jobs/queue.server";
import { createWorker } from "../../app/jobs/worker.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { action } from "../../app/routes/webhooks.compliance";
import { getRequestWithEvents } from "../../app/services/request-queries.server";
import { manualClock } from "../helpers/clock";
import { SHOP } from "../helpers/constants";
import { noAdminApi, testExportStorage } from "../helpers/worker-deps";
import { resetDatabase } from "../helpers/reset";
import { samplePayload, signedWebhook } from "../helpers/webhooks";

beforeEach(resetDatabase);

async function receiveRedact(): Promise<string> {
  const response = await action({
    request: signedWebhook({
      topic: "customers/redact",
      shop: SHOP,
      body: samplePayload("customers/redact", SHOP),
    }),
    params: {},
    context: {},
  });
  return ((await response.json()) as { requestId: string }).requestId;
}

describe("job queue and worker", () => {
  it("re-claims a job whose worker died mid-job once its lease expires, and the effect happens once", async () => {
    // GIVEN a worker claimed the erasure job and then died (it never reports back)
    const requestId = await receiveRedact();
    const clock = manualClock(new Date());
    const db = getDb();
    const dead = await claimNextJob(db, { now: clock.now(), leaseMs: 30_000 });
    expect(dead).not.toBeNull();

    // WHEN a second worker polls before the lease ends, nothing is claimable
    const survivor = createWorker({
      db,
      keyring: getKeyring(),
      logger,
      exports: testExportStorage(),
      admin: noAdminApi,
      now: clock.now,
      leaseMs: 30_000,
    });
    expect(await survivor.runOnce()).toBe("idle");

    // AND after the lease has expired, it takes the job over and completes it
    clock.advance(30_001);
    expect(await survivor.runOnce()).toBe("done");

    // THEN the dead worker's late completion is refused
    expect(await completeJob(db, dead!, clock.now())).toBe(false);
    const job = await db.job.findFirstOrThrow();
    expect(job).toMatchObject({ status: "done", attempts: 2 });

    // AND the request was executed exactly once
    const request = await getRequestWithEvents(db, getKeyring(), { id: requestId });
    expect(request!.status).toBe("completed");
    expect(request!.events.filter((e) => e.action === "request.complete")).toHaveLength(1);
    expect(request!.events.filter((e) => e.action === "request.start")).toHaveLength(1);
  });

  it("never lets two workers hold the same job", async () => {
    await receiveRedact();
    const db = getDb();
    const now = new Date();
    const claims = await Promise.all(
      Array.from({ length: 6 }, () => claimNextJob(db, { now, leaseMs: 30_000 })),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it("retries a failing job with growing backoff, then marks it failed and visible", async () => {
    const db = getDb();
    const clock = manualClock();
    const shop = await db.shop.create({ data: { domain: SHOP } });
    await db.$transaction((tx) =>
      enqueueJob(tx, {
        shopId: shop.id,
        kind: "execute_request",
        payload: { shopId: shop.id, requestId: "x" },
        maxAttempts: 3,
        runAt: clock.now(),
      }),
    );
    let calls = 0;
    const handlers: JobHandlers = {
      ...JOB_HANDLERS,
      execute_request: async () => {
        calls += 1;
        throw new Error("Shopify is down");
      },
    };
    const worker = createWorker({
      db,
      keyring: getKeyring(),
      logger,
      exports: testExportStorage(),
      admin: noAdminApi,
      handlers,
      now: clock.now,
      random: () => 1,
    });

    expect(await worker.runOnce()).toBe("retrying");
    const afterFirst = await db.job.findFirstOrThrow();
    expect(afterFirst.runAt.getTime() - clock.now().getTime()).toBe(2_000);
    expect(await worker.runOnce()).toBe("idle");

    clock.advance(2_000);
    expect(await worker.runOnce()).toBe("retrying");
    const afterSecond = await db.job.findFirstOrThrow();
    expect(afterSecond.runAt.getTime() - clock.now().getTime()).toBe(4_000);

    clock.advance(4_000);
    expect(await worker.runOnce()).toBe("failed");
    expect(calls).toBe(3);
    expect(await db.job.findFirstOrThrow()).toMatchObject({
      status: "failed",
      attempts: 3,
      lastError: "Error: Shopify is down",
    });
    clock.advance(3_600_000);
    expect(await worker.runOnce()).toBe("idle");
  });

  it("fails a job at once when retrying cannot help", async () => {
    const db = getDb();
    const shop = await db.shop.create({ data: { domain: SHOP } });
    await db.$transaction((tx) =>
      enqueueJob(tx, {
        shopId: shop.id,
        kind: "execute_request",
        payload: { shopId: shop.id, requestId: "x" },
      }),
    );
    const handlers: JobHandlers = {
      ...JOB_HANDLERS,
      execute_request: async () => {
        throw new PermanentJobError("unsupported");
      },
    };
    expect(
      await createWorker({
        db,
        keyring: getKeyring(),
        logger,
        exports: testExportStorage(),
        admin: noAdminApi,
        handlers,
      }).runOnce(),
    ).toBe("failed");
    expect(await db.job.findFirstOrThrow()).toMatchObject({ status: "failed", attempts: 1 });
  });

  it("marks a job failed when its workers keep dying past the attempt limit", async () => {
    const db = getDb();
    const clock = manualClock();
    const shop = await db.shop.create({ data: { domain: SHOP } });
    await db.$transaction((tx) =>
      enqueueJob(tx, {
        shopId: shop.id,
        kind: "execute_request",
        payload: { shopId: shop.id, requestId: "x" },
        maxAttempts: 2,
        runAt: clock.now(),
      }),
    );
    for (let i = 0; i < 2; i += 1) {
      expect(await claimNextJob(db, { now: clock.now(), leaseMs: 1_000 })).not.toBeNull();
      clock.advance(1_001);
    }
    expect(await claimNextJob(db, { now: clock.now(), leaseMs: 1_000 })).toBeNull();
    expect(await db.job.findFirstOrThrow()).toMatchObject({
      status: "failed",
      lastError: expect.stringMatching(/stopped during each of 2 attempts/),
    });
  });

  it("runs continuously when started, and stops cleanly", async () => {
    const worker = createWorker({
      db: getDb(),
      keyring: getKeyring(),
      logger,
      exports: testExportStorage(),
      admin: noAdminApi,
      idleMs: 20,
    });
    worker.start();
    const requestId = await receiveRedact();
    const deadline = Date.now() + 5_000;
    let status = "";
    while (Date.now() < deadline) {
      status = (await getRequestWithEvents(getDb(), getKeyring(), { id: requestId }))!.status;
      if (status === "completed") break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await worker.stop();
    expect(status).toBe("completed");
  });
});
