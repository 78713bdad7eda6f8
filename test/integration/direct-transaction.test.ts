import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import pg from "pg";
import { beforeEach, describe, expect, it } from "vitest";
import { createDb } from "../../app/db.server";
import { afterCommit } from "../../app/db-guard.server";
import { isTransientConflict, isUniqueViolation, type Tx } from "../../app/db-types";
import { directTransaction } from "../../app/direct-transaction.server";
import { onPostgresql } from "../helpers/database";
import { resetDatabase } from "../helpers/reset";

beforeEach(resetDatabase);

/** One row in each column type the app's raw queries read: date-times, integers, booleans, text, nulls. */
async function seed(db: ReturnType<typeof createDb>) {
  const shop = await db.shop.create({
    data: {
      domain: `direct-${randomUUID()}.myshopify.com`,
      installedAt: new Date("2026-11-02T03:04:05.678Z"),
    },
  });
  await db.job.create({
    data: { shopId: shop.id, kind: "purge_shop", payload: "{}", runAt: new Date("2026-11-30T00:00:00.000Z") },
  });
  await db.shopSettings.create({
    data: {
      shopId: shop.id,
      autoApproveCustomerAccess: true,
      verificationPolicy: "manual",
      notificationEmails: "[]",
      exportRetentionDays: 7,
    },
  });
  await db.session.create({
    data: {
      id: `offline_${shop.domain}`,
      shop: shop.domain,
      state: "",
      accessToken: "x",
      userId: 9007199254740993n,
    },
  });
  return shop;
}

const QUERIES = (shopId: string) => [
  Prisma.sql`SELECT "id", "domain", "installedAt", "shopifyShopId" FROM "Shop" WHERE "id" = ${shopId}`,
  Prisma.sql`SELECT "kind", "attempts", "runAt", "status" FROM "Job" WHERE "shopId" = ${shopId}`,
  Prisma.sql`SELECT count(*) AS "n", max("attempts") AS "most" FROM "Job" WHERE "shopId" = ${shopId}`,
  Prisma.sql`SELECT "id" FROM "Shop" WHERE "installedAt" < ${new Date("2026-12-01T00:00:00Z")} AND "id" IN (${Prisma.join([shopId, "none"])})`,
  Prisma.sql`SELECT "autoApproveCustomerAccess", "exportRetentionDays", "notificationEmails" FROM "ShopSettings" WHERE "shopId" = ${shopId}`,
  Prisma.sql`SELECT "userId", "isOnline", "expires" FROM "Session" WHERE "shop" IN (SELECT "domain" FROM "Shop" WHERE "id" = ${shopId})`,
  Prisma.sql`SELECT sum("attempts") AS "total", ${7} AS "given", ${true} AS "flag" FROM "Job" WHERE "shopId" = ${shopId}`,
];

/** Expressions only PostgreSQL types: numeric, json, timestamptz. */
const POSTGRESQL_QUERIES = [
  Prisma.sql`SELECT avg(x) AS "mean", 1.50::numeric AS "price" FROM (VALUES (1), (2)) AS v(x)`,
  Prisma.sql`SELECT '{"a": [1, "b"]}'::jsonb AS "document", '[true]'::json AS "list"`,
  Prisma.sql`SELECT '2026-11-30 12:34:56.789+00'::timestamptz AS "at", 2.5::float8 AS "ratio"`,
];

describe("raw SQL straight to the database in a transaction of its own (directTransaction)", () => {
  it("GIVEN rows of every column type WHEN read directly and through Prisma THEN both give the same values and types", async () => {
    const db = createDb(process.env.DATABASE_URL!);
    const shop = await seed(db);
    for (const query of [...QUERIES(shop.id), ...(onPostgresql ? POSTGRESQL_QUERIES : [])]) {
      const viaPrisma = await db.$transaction((tx) => tx.$queryRaw(query));
      const direct = await directTransaction(db, (tx) => tx.$queryRaw(query));
      expect(direct).toStrictEqual(viaPrisma);
    }
    await db.$disconnect();
  });

  it("GIVEN values written directly WHEN Prisma reads them THEN Dates, booleans and nulls come back as written", async () => {
    const db = createDb(process.env.DATABASE_URL!);
    const id = randomUUID();
    const installedAt = new Date("2026-03-04T05:06:07.089Z");
    await db.shop.count();
    await directTransaction(
      db,
      (tx) =>
        tx.$executeRaw`
          INSERT INTO "Shop" ("id", "domain", "installedAt", "shopifyShopId", "createdAt", "updatedAt")
          VALUES (${id}, ${"written-directly.myshopify.com"}, ${installedAt}, ${null}, ${installedAt}, ${installedAt})`,
    );
    const shop = await db.shop.findUniqueOrThrow({ where: { id } });
    expect(shop).toMatchObject({
      domain: "written-directly.myshopify.com",
      installedAt,
      shopifyShopId: null,
    });
    await db.$disconnect();
  });

  it("GIVEN a write that breaks a unique key WHEN run directly THEN it fails as Prisma's P2002 and the transaction rolls back", async () => {
    const db = createDb(process.env.DATABASE_URL!);
    const shop = await seed(db);
    const insert = (tx: Parameters<Parameters<typeof db.$transaction>[0]>[0], domain: string) =>
      tx.$executeRaw`
        INSERT INTO "Shop" ("id", "domain", "createdAt", "updatedAt")
        VALUES (${randomUUID()}, ${domain}, ${new Date()}, ${new Date()})`;
    const failure = await directTransaction(db, async (tx) => {
      await insert(tx, "kept-out.myshopify.com");
      await insert(tx, shop.domain);
    })!.catch((error: unknown) => error);
    expect(isUniqueViolation(failure)).toBe(true);
    expect(await db.shop.count({ where: { domain: "kept-out.myshopify.com" } })).toBe(0);
    await db.$disconnect();
  });

  /** The `tx` of a direct transaction that has ended, kept as careless code might keep it. */
  async function txKeptPastItsEnd(db: ReturnType<typeof createDb>) {
    await db.shop.count();
    let kept: Parameters<Parameters<typeof db.$transaction>[0]>[0] | undefined;
    await directTransaction(db, async (tx) => {
      kept = tx;
    });
    return kept!;
  }

  it("GIVEN no open transaction WHEN a direct statement is attempted THEN it is refused instead of running outside one", async () => {
    const db = createDb(process.env.DATABASE_URL!);
    const escaped = await txKeptPastItsEnd(db);
    await expect(escaped.$queryRaw`SELECT 1`).rejects.toThrow(/inside its direct transaction only/);
    await db.$disconnect();
  });

  it("GIVEN a tx kept from an ended direct transaction WHEN used while another is open THEN it is refused and writes nothing there", async () => {
    const db = createDb(process.env.DATABASE_URL!);
    const escaped = await txKeptPastItsEnd(db);
    const refused = await directTransaction(db, async () =>
      escaped.$executeRaw`
        INSERT INTO "Shop" ("id", "domain", "createdAt", "updatedAt")
        VALUES (${randomUUID()}, ${"smuggled.myshopify.com"}, ${new Date()}, ${new Date()})`.catch(
        (error: unknown) => error,
      ),
    );
    expect((refused as Error).message).toMatch(/inside its direct transaction only/);
    expect(await db.shop.count({ where: { domain: "smuggled.myshopify.com" } })).toBe(0);
    await db.$disconnect();
  });

  it("GIVEN a direct transaction WHEN its work succeeds THEN its rows are committed; WHEN it throws THEN none are", async () => {
    const db = createDb(process.env.DATABASE_URL!);
    const insert = (domain: string) => (tx: Parameters<Parameters<typeof db.$transaction>[0]>[0]) =>
      tx.$executeRaw`
        INSERT INTO "Shop" ("id", "domain", "createdAt", "updatedAt")
        VALUES (${randomUUID()}, ${domain}, ${new Date()}, ${new Date()})`;
    // Before its first query a client has no connection: db.$transaction is the caller's way then.
    expect(directTransaction(db, insert("too-early.myshopify.com"))).toBeNull();
    expect(await db.shop.count()).toBe(0);
    await directTransaction(db, insert("committed.myshopify.com"));
    const failure = await directTransaction(db, async (tx) => {
      await insert("rolled-back.myshopify.com")(tx);
      throw new Error("the work failed");
    })!.catch((error: unknown) => error);
    expect((failure as Error).message).toBe("the work failed");
    expect(await db.shop.count({ where: { domain: "committed.myshopify.com" } })).toBe(1);
    expect(await db.shop.count({ where: { domain: "rolled-back.myshopify.com" } })).toBe(0);
    // The connection is free again: a Prisma transaction and a plain query run after it.
    await db.$transaction((tx) => tx.shop.count());
    await db.$disconnect();
  });

  it("GIVEN an effect for after the commit WHEN the transaction commits THEN it runs once, after the commit; WHEN it rolls back THEN never", async () => {
    const db = createDb(process.env.DATABASE_URL!);
    await db.shop.count();
    const insertShop = (tx: Tx, domain: string) =>
      tx.$executeRaw`
        INSERT INTO "Shop" ("id", "domain", "createdAt", "updatedAt")
        VALUES (${randomUUID()}, ${domain}, ${new Date()}, ${new Date()})`;
    for (const [name, run] of [
      ["direct", <T>(work: (tx: Tx) => Promise<T>) => directTransaction(db, work)!],
      ["prisma", <T>(work: (tx: Tx) => Promise<T>) => db.$transaction(work)],
    ] as const) {
      const domain = `${name}-committed.myshopify.com`;
      // Each run of the effect reads, from outside the transaction, whether the row is there.
      const sawTheRow: Promise<number>[] = [];
      const effect = () => sawTheRow.push(db.shop.count({ where: { domain } }).then((n) => n));
      await run(async (tx) => {
        await insertShop(tx, domain);
        afterCommit(effect);
        afterCommit(effect);
      });
      expect(await Promise.all(sawTheRow)).toEqual([1]);

      const failure = await run(async (tx) => {
        await insertShop(tx, `${name}-rolled-back.myshopify.com`);
        afterCommit(effect);
        throw new Error("the work failed");
      }).catch((error: unknown) => error);
      expect((failure as Error).message).toBe("the work failed");
      expect(sawTheRow).toHaveLength(1);
    }
    // Outside a transaction there is nothing to wait for.
    const outside: string[] = [];
    afterCommit(() => outside.push("ran"));
    expect(outside).toEqual(["ran"]);
    await db.$disconnect();
  });

  it("GIVEN a direct transaction WHEN its work reaches for the ORM or for db THEN it fails at once instead of waiting for its own lock", async () => {
    const db = createDb(process.env.DATABASE_URL!);
    await db.shop.count();
    const viaOrm = await directTransaction(db, (tx) => tx.shop.count())!.catch((error: unknown) => error);
    expect((viaOrm as Error).message).toMatch(
      /shop is not available in a direct (SQLite|PostgreSQL) transaction: write it as raw SQL/,
    );
    const viaDb = await directTransaction(db, () => db.shop.count())!.catch((error: unknown) => error);
    expect((viaDb as Error).name).toBe("ReentrantQueryError");
    await db.$disconnect();
  });

  it("GIVEN work whose transaction the database has already ended WHEN the work fails THEN the caller gets the work's error, not a failed ROLLBACK", async () => {
    const db = createDb(process.env.DATABASE_URL!);
    await db.shop.count();
    const failure = await directTransaction(db, async (tx) => {
      // What SQLite does on its own after some errors (a full disk, an I/O error).
      await tx.$executeRaw`ROLLBACK`;
      throw new Error("the work's own error");
    })!.catch((error: unknown) => error);
    expect((failure as Error).message).toBe("the work's own error");
    await db.$transaction((tx) => tx.shop.count());
    await db.$disconnect();
  });
});

describe.runIf(onPostgresql)("direct transactions on PostgreSQL", () => {
  const insertShop = (
    tx: Parameters<Parameters<ReturnType<typeof createDb>["$transaction"]>[0]>[0],
    domain: string,
  ) =>
    tx.$executeRaw`
      INSERT INTO "Shop" ("id", "domain", "createdAt", "updatedAt")
      VALUES (${randomUUID()}, ${domain}, ${new Date()}, ${new Date()})`;

  it("GIVEN work that catches a failed statement and goes on WHEN it returns THEN the caller gets an error and nothing is kept", async () => {
    const db = createDb(process.env.DATABASE_URL!);
    const shop = await seed(db);
    const failure = await directTransaction(db, async (tx) => {
      await insertShop(tx, "written-before.myshopify.com");
      await insertShop(tx, shop.domain).catch(() => undefined);
      return "reported as done";
    })!.catch((error: unknown) => error);
    expect((failure as Error).message).toMatch(/rolled the transaction back/);
    expect(await db.shop.count({ where: { domain: "written-before.myshopify.com" } })).toBe(0);
    await db.$disconnect();
  });

  it("GIVEN a connection that dies mid-transaction WHEN the work goes on THEN it fails, nothing is kept, and the next transaction gets a working connection", async () => {
    const db = createDb(process.env.DATABASE_URL!);
    await db.shop.count();
    const killer = new pg.Client({ connectionString: process.env.DATABASE_URL! });
    await killer.connect();
    const failure = await directTransaction(db, async (tx) => {
      await insertShop(tx, "lost-with-connection.myshopify.com");
      const [backend] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS "pid"`;
      await killer.query("SELECT pg_terminate_backend($1)", [backend!.pid]);
      await tx.$queryRaw`SELECT 1 AS "one"`;
    })!.catch((error: unknown) => error);
    await killer.end();
    expect(failure).toBeInstanceOf(Error);
    expect(await db.shop.count({ where: { domain: "lost-with-connection.myshopify.com" } })).toBe(0);
    for (let i = 0; i < 12; i += 1)
      await directTransaction(db, (tx) => insertShop(tx, `after-${i}.myshopify.com`));
    expect(await db.shop.count({ where: { domain: { startsWith: "after-" } } })).toBe(12);
    await db.$disconnect();
  });

  it("GIVEN a column of a type Prisma does not read WHEN queried directly THEN it is refused by name; executeRaw of it runs", async () => {
    const db = createDb(process.env.DATABASE_URL!);
    await db.shop.count();
    const refused = await directTransaction(
      db,
      (tx) => tx.$queryRaw`SELECT pg_advisory_xact_lock(${42n}) AS "locked"`,
    )!.catch((error: unknown) => error);
    expect((refused as Error).message).toMatch(/column "locked" has a type .* the direct path does not read/);
    expect(await directTransaction(db, (tx) => tx.$executeRaw`SELECT pg_advisory_xact_lock(${42n})`)).toBe(1);
    await db.$disconnect();
  });

  it("GIVEN two direct transactions that lock the same rows crosswise WHEN both wait THEN one fails as a deadlock the intake's retry recognises", async () => {
    const db = createDb(process.env.DATABASE_URL!);
    await db.shop.count();
    let bothHoldOne!: () => void;
    const held = new Promise<void>((resolve) => (bothHoldOne = resolve));
    let holding = 0;
    const crosswise = (first: bigint, second: bigint) =>
      directTransaction(db, async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${first})`;
        holding += 1;
        if (holding === 2) bothHoldOne();
        await held;
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${second})`;
      })!;
    const outcomes = await Promise.allSettled([crosswise(1n, 2n), crosswise(2n, 1n)]);
    const failed = outcomes.filter((outcome) => outcome.status === "rejected");
    expect(failed).toHaveLength(1);
    expect(isTransientConflict((failed[0] as PromiseRejectedResult).reason)).toBe(true);
    await db.$disconnect();
  });
});
