import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresqlPrismaClient } from "@privacy-desk/prisma-postgresql";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { ReentrantQueryError } from "../../app/db-guard.server";
import { createDb, getDb, type Db } from "../../app/db.server";
import { isTransientConflict } from "../../app/db-types";
import { createWorker } from "../../app/jobs/worker.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { RECURRING_JOBS } from "../../app/queue/job-kinds";
import { claimNextJob, newJobRow } from "../../app/queue/job-queue.server";
import { appendAuditEvent, verifyShopChain } from "../../app/services/audit-log.server";
import { onSqlite } from "../helpers/database";
import { resetDatabase } from "../helpers/reset";
import { noAdminApi, testExportStorage } from "../helpers/worker-deps";

// PostgreSQL only: several processes share one database, each with its own pool. Each "process"
// here is a client of its own (its own pool of connections), as an app instance or worker is.
const clients: Db[] = [];
const processes = (n: number) => {
  while (clients.length < n) clients.push(createDb(process.env.DATABASE_URL!, { poolSize: 4 }));
  return clients.slice(0, n);
};
afterAll(async () => {
  await Promise.all(clients.map((client) => client.$disconnect()));
});

beforeEach(resetDatabase);

describe.skipIf(onSqlite)("several processes on one PostgreSQL", () => {
  it("claim every job exactly once: four workers racing for 200 jobs (SKIP LOCKED)", async () => {
    // GIVEN 200 due jobs
    const now = new Date();
    await getDb().job.createMany({
      data: Array.from({ length: 200 }, () =>
        newJobRow({
          shopId: null,
          kind: "check_deadlines",
          payload: {},
          runAt: new Date(now.getTime() - 1000),
        }),
      ),
    });

    // WHEN four processes, two connections' worth of claims each, take jobs until none is left
    const claimed: string[] = [];
    await Promise.all(
      processes(4).flatMap((db) =>
        [1, 2].map(async () => {
          for (;;) {
            const job = await claimNextJob(db, { now: new Date(), leaseMs: 60_000 });
            if (!job) return;
            claimed.push(job.id);
          }
        }),
      ),
    );

    // THEN each job went to exactly one of them, once
    expect(claimed).toHaveLength(200);
    expect(new Set(claimed).size).toBe(200);
    const rows = await getDb().job.findMany({ select: { status: true, attempts: true } });
    expect(rows.every((row) => row.status === "running" && row.attempts === 1)).toBe(true);
  });

  it("keep one audit chain per shop when they append to it at the same time", async () => {
    // GIVEN a shop
    const shop = await getDb().shop.create({ data: { domain: "busy.myshopify.com" } });

    // WHEN three processes append 20 events each, concurrently
    const outcomes = await Promise.allSettled(
      processes(3).flatMap((db, p) =>
        Array.from({ length: 20 }, (_, i) =>
          db.$transaction((tx) =>
            appendAuditEvent(tx, getKeyring(), {
              shopId: shop.id,
              actor: "system:test",
              action: "test.append",
              occurredAt: new Date(),
              data: { process: p, i },
            }),
          ),
        ),
      ),
    );

    // THEN none failed, and the chain is one line of 60 events that verifies
    expect(outcomes.filter((outcome) => outcome.status === "rejected")).toEqual([]);
    const verdict = await verifyShopChain(getDb(), getKeyring(), shop.id);
    expect(verdict).toMatchObject({ ok: true, count: 60 });
  });

  it("book exactly one next run of each recurring job when their workers start together", async () => {
    // WHEN six workers in three processes start at the same moment
    const workers = processes(3).flatMap((db) =>
      [1, 2].map(() =>
        createWorker({
          db,
          keyring: getKeyring(),
          logger,
          exports: testExportStorage(),
          admin: noAdminApi,
          idleMs: 60_000,
        }),
      ),
    );
    workers.forEach((worker) => worker.start());
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await Promise.all(workers.map((worker) => worker.stop()));

    // THEN each recurring kind has exactly one queued or running job
    for (const kind of Object.keys(RECURRING_JOBS)) {
      expect(
        await getDb().job.count({ where: { kind, status: { in: ["queued", "running", "done"] } } }),
        kind,
      ).toBeGreaterThanOrEqual(1);
      expect(await getDb().job.count({ where: { kind, status: { in: ["queued", "running"] } } }), kind).toBe(
        1,
      );
    }
  });

  it("recognise a deadlock between two transactions as a conflict worth retrying", async () => {
    // GIVEN two shops, and two processes that lock them in opposite orders
    const [a, b] = await Promise.all(
      ["a.myshopify.com", "b.myshopify.com"].map((domain) => getDb().shop.create({ data: { domain } })),
    );
    const [first, second] = processes(2);
    let bothHoldOne!: () => void;
    const holding = { count: 0 };
    const ready = new Promise<void>((resolve) => (bothHoldOne = resolve));
    const lockInOrder = (db: Db, ids: string[]) =>
      db.$transaction(async (tx) => {
        await tx.shop.update({ where: { id: ids[0] }, data: { scopes: "x" } });
        if ((holding.count += 1) === 2) bothHoldOne();
        await ready;
        await tx.shop.update({ where: { id: ids[1] }, data: { scopes: "y" } });
      });

    // WHEN both go on to the other's row
    const outcomes = await Promise.allSettled([
      lockInOrder(first!, [a!.id, b!.id]),
      lockInOrder(second!, [b!.id, a!.id]),
    ]);

    // THEN PostgreSQL let one through and ended the other, and that error reads as transient
    const failed = outcomes.filter((outcome) => outcome.status === "rejected");
    expect(failed).toHaveLength(1);
    expect(isTransientConflict((failed[0] as PromiseRejectedResult).reason)).toBe(true);
  });

  it("refuse a query that bypasses its transaction: on PostgreSQL it would run outside it", async () => {
    // GIVEN a client without the guard, the hazard: a db.* call inside a transaction runs on
    // another pooled connection and does not see the transaction's own writes
    const unguarded = new PostgresqlPrismaClient({
      adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL! }),
    });
    try {
      const seenOutside = await unguarded.$transaction(async (tx) => {
        await tx.shop.create({ data: { domain: "inside.myshopify.com" } });
        return unguarded.shop.count();
      });
      expect(seenOutside).toBe(0);
    } finally {
      await unguarded.$disconnect();
    }
    await resetDatabase();

    // WHEN the app's client does the same
    const db = getDb();
    const outcome = await db
      .$transaction(async (tx) => {
        await tx.shop.create({ data: { domain: "inside.myshopify.com" } });
        return db.shop.count();
      })
      .catch((error: unknown) => error);

    // THEN it is refused, and the transaction rolled back
    expect(outcome).toBeInstanceOf(ReentrantQueryError);
    expect(await db.shop.count()).toBe(0);
  });
});
