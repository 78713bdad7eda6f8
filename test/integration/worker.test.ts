import { writeFileSync } from "node:fs";
import path from "node:path";
import { http, HttpResponse } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { JOB_HANDLERS, type JobHandlers } from "../../app/jobs/job-handlers.server";
import { createWorker } from "../../app/jobs/worker.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { PermanentJobError } from "../../app/queue/job-kinds";
import { claimNextJob, completeJob, enqueueJob } from "../../app/queue/job-queue.server";
import { action } from "../../app/routes/webhooks.compliance";
import { NO_LIVE_JOB, WATCHDOG_MAX_REQUEUES } from "../../app/services/execution/request-watchdog.server";
import { getRequestWithEvents } from "../../app/services/request-queries.server";
import { approveRequest } from "../../app/services/requests.server";
import { adminClientForShop } from "../../app/shopify-admin/admin-for-shop.server";
import { manualClock } from "../helpers/clock";
import { SHOP } from "../helpers/constants";
import { createTestRequest } from "../helpers/requests";
import { addCustomer } from "../../simulator/store";
import { resetDatabase } from "../helpers/reset";
import { simulatedShopify } from "../helpers/simulated-shopify";
import { noAdminApi, testExportStorage } from "../helpers/worker-deps";
import { samplePayload, signedWebhook } from "../helpers/webhooks";
import { mswServer } from "../setup/test-env";
import { waitFor } from "../helpers/processes";

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

/** A request the merchant approved, the way the admin approves one: transition and job together. */
async function approved(type: "sale_opt_out" | "access", now: Date) {
  const { shop, request } = await createTestRequest({
    type,
    customerId: type === "access" ? "5" : null,
    email: "pat@example.com",
  });
  await getDb().$transaction((tx) =>
    approveRequest(tx, getKeyring(), { shopId: shop.id, requestId: request.id, actor: "staff:1", now }),
  );
  return { shopId: shop.id, requestId: request.id };
}

const load = (id: string) => getRequestWithEvents(getDb(), getKeyring(), { id });

function workerWith(options: Partial<Parameters<typeof createWorker>[0]> = {}) {
  return createWorker({
    db: getDb(),
    keyring: getKeyring(),
    logger,
    exports: testExportStorage(),
    admin: noAdminApi,
    random: () => 1,
    ...options,
  });
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
    const survivor = workerWith({ now: clock.now, leaseMs: 30_000 });
    expect(await survivor.runOnce()).toBe("idle");

    // AND after the lease has expired, it takes the job over and completes it
    clock.advance(30_001);
    expect(await survivor.runOnce()).toBe("done");

    // THEN the dead worker's late completion is refused
    expect(await completeJob(db, dead!, clock.now())).toBe(false);
    const job = await db.job.findFirstOrThrow();
    expect(job).toMatchObject({ status: "done", attempts: 2, requestId });

    // AND the request was executed exactly once
    const request = await load(requestId);
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
    // GIVEN a recurring job whose service fails every time (the handler is replaced; no request waits on it)
    const db = getDb();
    const clock = manualClock();
    await db.$transaction((tx) =>
      enqueueJob(tx, {
        shopId: null,
        kind: "check_deadlines",
        payload: {},
        maxAttempts: 3,
        runAt: clock.now(),
      }),
    );
    let calls = 0;
    const handlers: JobHandlers = {
      ...JOB_HANDLERS,
      check_deadlines: {
        run: async () => {
          calls += 1;
          throw new Error("disk full");
        },
      },
    };
    const worker = workerWith({ handlers, now: clock.now });

    // WHEN it runs three times THEN it backs off 2 s, then 4 s, then fails for good
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
    expect(await db.job.findFirstOrThrow({ where: { status: "failed" } })).toMatchObject({
      attempts: 3,
      lastError: "Error: disk full",
    });
    // AND the recurring job is booked again, so deadlines keep being watched
    expect(await db.job.count({ where: { kind: "check_deadlines", status: "queued" } })).toBe(1);
  });

  it("fails a job at once when retrying cannot help", async () => {
    const db = getDb();
    await db.$transaction((tx) => enqueueJob(tx, { shopId: null, kind: "check_deadlines", payload: {} }));
    const handlers: JobHandlers = {
      ...JOB_HANDLERS,
      check_deadlines: {
        run: async () => {
          throw new PermanentJobError("unsupported");
        },
      },
    };
    expect(await workerWith({ handlers }).runOnce()).toBe("failed");
    expect(await db.job.findFirstOrThrow({ where: { status: "failed" } })).toMatchObject({ attempts: 1 });
  });

  it("runs continuously when started, and stops cleanly", async () => {
    const worker = workerWith({ idleMs: 20 });
    worker.start();
    const requestId = await receiveRedact();
    await waitFor(
      async () => (await load(requestId))!.status === "completed",
      5_000,
      "the erasure to complete",
    );
    await worker.stop();
    expect((await load(requestId))!.status).toBe("completed");
  });

  it("wakes when this process queues a job, instead of sleeping out its idle pause", async () => {
    // GIVEN a started worker that has run the recurring jobs' first runs and gone idle, for a minute
    const worker = workerWith({ idleMs: 60_000 });
    worker.start();
    const due = () =>
      getDb().job.count({
        where: { OR: [{ status: "running" }, { status: "queued", runAt: { lte: new Date() } }] },
      });
    await waitFor(
      async () => (await getDb().job.count()) > 0 && (await due()) === 0,
      5_000,
      "an idle worker",
    );
    await new Promise((resolve) => setTimeout(resolve, 100));

    // WHEN a webhook's job (customers/redact) is committed by intake THEN it runs at once
    const requestId = await receiveRedact();
    await waitFor(async () => (await load(requestId))!.status === "completed", 5_000, "the webhook's job");

    // WHEN, the worker idle again, a service queues a job with enqueueJob THEN that runs at once too
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { id: jobId } = await getDb().$transaction((tx) =>
      enqueueJob(tx, { shopId: null, kind: "check_deadlines", payload: {} }),
    );
    await waitFor(
      async () => (await getDb().job.findUniqueOrThrow({ where: { id: jobId } })).status === "done",
      5_000,
      "the service's job",
    );
    await worker.stop();
  });

  it("records a heartbeat while it runs, and removes it when it stops", async () => {
    // GIVEN a started worker
    const worker = workerWith({ idleMs: 20, heartbeatMs: 50 });
    worker.start();
    // THEN its heartbeat is written, and renewed
    const first = await waitFor(
      () => getDb().workerHeartbeat.findUnique({ where: { id: worker.id } }),
      5_000,
      "the first heartbeat",
    );
    await waitFor(
      async () =>
        (await getDb().workerHeartbeat.findUnique({ where: { id: worker.id } }))!.beatAt > first.beatAt,
      5_000,
      "a second heartbeat",
    );
    // WHEN it stops, its row goes with it
    await worker.stop();
    expect(await getDb().workerHeartbeat.count()).toBe(0);
  });

  it("hands a job still running at shutdown back to the queue, for another worker to take at once", async () => {
    // GIVEN a worker running a job that will not finish in time
    const db = getDb();
    await db.$transaction((tx) => enqueueJob(tx, { shopId: null, kind: "check_deadlines", payload: {} }));
    let started!: () => void;
    const isRunning = new Promise<void>((resolve) => (started = resolve));
    const finished: string[] = [];
    const slow: JobHandlers = {
      ...JOB_HANDLERS,
      check_deadlines: {
        run: async () => {
          started();
          await new Promise((resolve) => setTimeout(resolve, 2_000));
          finished.push("slow worker");
        },
      },
    };
    const worker = workerWith({ handlers: slow, idleMs: 20 });
    worker.start();
    await isRunning;

    // WHEN it is stopped with a grace period shorter than the job
    const stoppedAt = Date.now();
    await worker.stop({ graceMs: 100 });

    // THEN it returned after the grace period, and the job is queued again, its attempt not counted
    expect(Date.now() - stoppedAt).toBeLessThan(1_500);
    const job = await db.job.findFirstOrThrow({ where: { kind: "check_deadlines" } });
    expect(job).toMatchObject({ status: "queued", leaseToken: null, attempts: 0 });
    expect(job.runAt.getTime()).toBeLessThanOrEqual(Date.now());
    // AND another worker claims it straight away, without waiting for the lease to expire
    const claimable: string[] = [];
    for (let claimed; (claimed = await claimNextJob(db, { now: new Date(), leaseMs: 60_000 }));)
      claimable.push(claimed.id);
    expect(claimable).toContain(job.id);
    expect(finished).toEqual([]);
  });
});

/**
 * Every way a job can end for good moves its request to `failed`, with the reason the merchant
 * reads on the request page (where Retry is offered). Each case runs the real worker and the real
 * executors against the real request row.
 */
describe("no request is ever stuck", () => {
  it("retries spent: Shopify keeps answering 503, the request fails with the last error", async () => {
    // GIVEN an approved opt-out and a Shopify that answers every call with 503
    const clock = manualClock();
    const { requestId } = await approved("sale_opt_out", clock.now());
    const { admin } = simulatedShopify();
    mswServer.use(
      http.post(/graphql\.json$/, () => new HttpResponse("Service Unavailable", { status: 503 })),
    );
    await getDb().job.updateMany({ data: { maxAttempts: 3 } });
    const worker = workerWith({ admin, now: clock.now });

    // WHEN the worker has tried three times
    for (const expected of ["retrying", "retrying", "failed"]) {
      expect(await worker.runOnce()).toBe(expected);
      clock.advance(10 * 60_000);
    }

    // THEN the request failed with Shopify's answer and how often it was tried
    expect(await load(requestId)).toMatchObject({
      status: "failed",
      statusReason: expect.stringMatching(
        /DataSaleOptOut did not succeed after \d+ attempts: Shopify answered 503 \(gave up after 3 attempts\)$/,
      ),
    });
    expect((await load(requestId))!.events.at(-1)).toMatchObject({
      action: "request.fail",
      actor: "system:worker",
    });
  });

  it("a permanent Shopify error (ACCESS_DENIED from the simulator) fails the request at once, without retries", async () => {
    // GIVEN a store that granted every scope but write_privacy_settings, which dataSaleOptOut needs
    const { requestId } = await approved("sale_opt_out", new Date());
    const { admin, store } = simulatedShopify();
    store.grants.scopes.delete("write_privacy_settings");

    // WHEN the worker runs once
    expect(await workerWith({ admin }).runOnce()).toBe("failed");

    // THEN the request is failed on the first attempt, saying which permission is missing
    expect(await load(requestId)).toMatchObject({
      status: "failed",
      statusReason: expect.stringContaining("write_privacy_settings"),
    });
    expect(await getDb().job.findFirstOrThrow({ where: { requestId } })).toMatchObject({
      status: "failed",
      attempts: 1,
    });
  });

  it("any other top-level GraphQL error is permanent too", async () => {
    const { requestId } = await approved("sale_opt_out", new Date());
    const { admin } = simulatedShopify();
    mswServer.use(
      http.post(/graphql\.json$/, () =>
        HttpResponse.json({
          errors: [
            {
              message: "Field 'dataSaleOptOut' doesn't exist on type 'Mutation'",
              extensions: { code: "undefinedField" },
            },
          ],
        }),
      ),
    );
    expect(await workerWith({ admin }).runOnce()).toBe("failed");
    expect(await load(requestId)).toMatchObject({
      status: "failed",
      statusReason: expect.stringContaining("doesn't exist"),
    });
  });

  it("a bulk operation that Shopify fails with ACCESS_DENIED fails the request at once", async () => {
    // GIVEN a customer with more orders than the paged export takes, and a store without read_orders
    const { admin, store } = simulatedShopify();
    const big = addCustomer(store, { orders: 300, lineItemsPerOrder: 1, email: "big@example.com" });
    const { shop, request } = await createTestRequest({
      type: "access",
      customerId: String(big.id),
      email: null,
    });
    await getDb().$transaction((tx) =>
      approveRequest(tx, getKeyring(), {
        shopId: shop.id,
        requestId: request.id,
        actor: "staff:1",
        now: new Date(),
      }),
    );
    store.grants.scopes.delete("read_orders");
    store.grants.scopes.delete("read_all_orders");

    // WHEN the worker runs the export (the bulk path: 300 orders > 250)
    expect(await workerWith({ admin }).runOnce()).toBe("failed");

    // THEN the request failed on the first attempt, saying why
    expect(await load(request.id)).toMatchObject({
      status: "failed",
      statusReason: expect.stringContaining("bulk export of the customer's orders (ACCESS_DENIED)"),
    });
  });

  it("a missing offline token fails the request with what to do", async () => {
    // GIVEN the shop has no offline session (uninstalled), and the worker uses the app's real Admin client factory
    const { requestId } = await approved("sale_opt_out", new Date());

    // WHEN the worker runs
    expect(await workerWith({ admin: adminClientForShop }).runOnce()).toBe("failed");

    // THEN the request failed, saying to reinstall
    expect(await load(requestId)).toMatchObject({
      status: "failed",
      statusReason: expect.stringContaining("no offline access token"),
    });
  });

  it("a handler that throws (the export folder cannot be written) fails the request once retries are spent", async () => {
    // GIVEN an approved access request whose export folder is a file, so writing the export throws
    const clock = manualClock();
    const { shopId, requestId } = await approved("access", clock.now());
    const { admin } = simulatedShopify();
    const broken = { ...testExportStorage(), dir: path.join(testExportStorage().dir, "not-a-folder") };
    writeFileSync(broken.dir, "");
    await getDb().job.updateMany({ data: { maxAttempts: 2 } });
    const worker = workerWith({ admin, now: clock.now, exports: broken });

    // WHEN both attempts fail
    expect(await worker.runOnce()).toBe("retrying");
    clock.advance(10 * 60_000);
    expect(await worker.runOnce()).toBe("failed");

    // THEN the request is failed with the disk error, and no export was recorded
    expect(await load(requestId)).toMatchObject({
      status: "failed",
      statusReason: expect.stringMatching(/ENOTDIR.*\(gave up after 2 attempts\)$/),
    });
    expect(await getDb().exportFile.count({ where: { shopId } })).toBe(0);
  });

  it("a worker that dies during every attempt: the job is reaped and the request fails", async () => {
    // GIVEN an approved request whose job's workers die mid-run, twice (its attempt limit)
    const clock = manualClock();
    const { requestId } = await approved("sale_opt_out", clock.now());
    const db = getDb();
    await db.job.updateMany({ data: { maxAttempts: 2 } });
    for (let i = 0; i < 2; i += 1) {
      expect(await claimNextJob(db, { now: clock.now(), leaseMs: 1_000 })).not.toBeNull();
      clock.advance(1_001);
    }

    // WHEN any worker polls next
    expect(await workerWith({ now: clock.now }).runOnce()).toBe("idle");

    // THEN no worker may take the job again, and the request says why it failed
    expect(await db.job.findFirstOrThrow()).toMatchObject({
      status: "failed",
      lastError: expect.stringMatching(/stopped during each of 2 attempts/),
    });
    expect(await load(requestId)).toMatchObject({
      status: "failed",
      statusReason: "Its worker stopped during each of 2 attempts",
    });
  });

  it("the watchdog re-queues a request no job carries (a database restore), then fails it after N tries", async () => {
    // GIVEN an approved request whose job row is gone
    const clock = manualClock();
    const { requestId } = await approved("sale_opt_out", clock.now());
    const db = getDb();
    await db.job.deleteMany();
    await db.privacyRequest.updateMany({ data: { updatedAt: new Date(clock.now().getTime() - 5 * 60_000) } });
    const doesNothing: JobHandlers = { ...JOB_HANDLERS, execute_request: { run: async () => {} } };
    const worker = workerWith({ now: clock.now, handlers: doesNothing });

    // WHEN the watchdog runs, and the re-queued job again leaves the request where it was, N times
    for (let attempt = 1; attempt <= WATCHDOG_MAX_REQUEUES; attempt += 1) {
      await db.$transaction((tx) =>
        enqueueJob(tx, { shopId: null, kind: "watch_requests", payload: {}, runAt: clock.now() }),
      );
      await worker.drain();
      expect(await db.job.count({ where: { requestId, kind: "execute_request" } })).toBe(attempt);
      await db.privacyRequest.updateMany({
        data: { updatedAt: new Date(clock.now().getTime() - 5 * 60_000) },
      });
      clock.advance(60_000);
    }
    expect((await load(requestId))!.status).toBe("approved");
    await db.$transaction((tx) =>
      enqueueJob(tx, { shopId: null, kind: "watch_requests", payload: {}, runAt: clock.now() }),
    );
    await worker.drain();

    // THEN each re-queue is in the audit trail, and the request finally fails with the reason
    const request = await load(requestId);
    expect(request!.events.filter((e) => e.action === "request.requeued")).toHaveLength(
      WATCHDOG_MAX_REQUEUES,
    );
    expect(request).toMatchObject({ status: "failed", statusReason: expect.stringContaining(NO_LIVE_JOB) });
  });

  it("the watchdog leaves alone a request that a live job is carrying", async () => {
    const clock = manualClock();
    const { requestId } = await approved("sale_opt_out", clock.now());
    const db = getDb();
    await db.privacyRequest.updateMany({
      data: { updatedAt: new Date(clock.now().getTime() - 60 * 60_000) },
    });
    const idle: JobHandlers = { ...JOB_HANDLERS, execute_request: { run: async () => {} } };
    await db.$transaction((tx) =>
      enqueueJob(tx, { shopId: null, kind: "watch_requests", payload: {}, runAt: clock.now() }),
    );
    // Only the watchdog runs: the request's own job is not due yet.
    await db.job.updateMany({
      where: { kind: "execute_request" },
      data: { runAt: new Date(clock.now().getTime() + 60_000) },
    });
    await workerWith({ now: clock.now, handlers: idle }).drain();
    expect(await db.job.count({ where: { requestId } })).toBe(1);
    expect((await load(requestId))!.events.some((e) => e.action === "request.requeued")).toBe(false);
  });
});
