import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import { createDb } from "../../app/db.server";
import { isUniqueViolation } from "../../app/db-types";
import { directTransaction } from "../../app/sqlite-direct.server";
import { onPostgresql } from "../helpers/database";
import { resetDatabase } from "../helpers/reset";

beforeEach(resetDatabase);

/** One row in each column type the app's raw queries read: DATETIME, INTEGER, BOOLEAN, TEXT, nulls. */
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
  return shop;
}

const QUERIES = (shopId: string) => [
  Prisma.sql`SELECT "id", "domain", "installedAt", "shopifyShopId" FROM "Shop" WHERE "id" = ${shopId}`,
  Prisma.sql`SELECT "kind", "attempts", "runAt", "status" FROM "Job" WHERE "shopId" = ${shopId}`,
  Prisma.sql`SELECT count(*) AS "n", max("attempts") AS "most" FROM "Job" WHERE "shopId" = ${shopId}`,
  Prisma.sql`SELECT "id" FROM "Shop" WHERE "installedAt" < ${new Date("2026-12-01T00:00:00Z")} AND "id" IN (${Prisma.join([shopId, "none"])})`,
];

describe.skipIf(onPostgresql)(
  "raw SQL straight to SQLite in a transaction of its own (directTransaction)",
  () => {
    it("GIVEN rows of every column type WHEN read directly and through Prisma THEN both give the same values and types", async () => {
      const db = createDb(process.env.DATABASE_URL!);
      const shop = await seed(db);
      for (const query of QUERIES(shop.id)) {
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

    it("GIVEN no open transaction WHEN a direct statement is attempted THEN it is refused instead of running outside one", async () => {
      const db = createDb(process.env.DATABASE_URL!);
      await db.shop.count();
      let escaped: Parameters<Parameters<typeof db.$transaction>[0]>[0] | undefined;
      await directTransaction(db, async (tx) => {
        escaped = tx;
      });
      await expect(escaped!.$queryRaw`SELECT 1`).rejects.toThrow(/inside its direct transaction only/);
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

    it("GIVEN a direct transaction WHEN its work reaches for the ORM or for db THEN it fails at once instead of waiting for its own lock", async () => {
      const db = createDb(process.env.DATABASE_URL!);
      await db.shop.count();
      const viaOrm = await directTransaction(db, (tx) => tx.shop.count())!.catch((error: unknown) => error);
      expect((viaOrm as Error).message).toMatch(/shop is not available in a direct SQLite transaction/);
      const viaDb = await directTransaction(db, () => db.shop.count())!.catch((error: unknown) => error);
      expect((viaDb as Error).name).toBe("ReentrantQueryError");
      await db.$disconnect();
    });

    it("GIVEN work whose transaction SQLite has already ended WHEN the work fails THEN the caller gets the work's error, not a failed ROLLBACK", async () => {
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
  },
);
