import { beforeEach, describe, expect, it } from "vitest";
import { ReentrantQueryError } from "../../app/db-guard.server";
import { createDb, getDb } from "../../app/db.server";
import { onPostgresql, onSqlite } from "../helpers/database";
import { resetDatabase } from "../helpers/reset";

beforeEach(resetDatabase);

// SQLite only: PostgreSQL gives each transaction its own pooled connection, so plain queries run
// beside transactions by design (and never see their uncommitted writes; see below).
describe.skipIf(onPostgresql)("the SQLite connection", () => {
  it("never lets a query read another transaction's uncommitted writes", async () => {
    const db = getDb();
    let written!: () => void;
    const hasWritten = new Promise<void>((resolve) => (written = resolve));
    let letItFail!: () => void;
    const failNow = new Promise<void>((resolve) => (letItFail = resolve));

    // GIVEN a transaction that has written a shop and will roll back
    const failing = db
      .$transaction(async (tx) => {
        await tx.shop.create({ data: { domain: "phantom.myshopify.com" } });
        written();
        await failNow;
        throw new Error("boom");
      })
      .catch((error: Error) => error.message);
    await hasWritten;

    // WHEN another request reads meanwhile
    const seen = db.shop.count();
    await new Promise((resolve) => setTimeout(resolve, 20));
    letItFail();

    // THEN it waited for the rollback and never saw the phantom shop
    expect(await failing).toBe("boom");
    expect(await seen).toBe(0);
  });

  it("runs plain queries between transactions, not inside them", async () => {
    const db = getDb();
    const order: string[] = [];
    await Promise.all([
      db.$transaction(async (tx) => {
        order.push("tx start");
        await tx.shop.create({ data: { domain: "a.myshopify.com" } });
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push("tx end");
      }),
      (async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        await db.shop.count();
        order.push("plain query");
      })(),
    ]);
    expect(order).toEqual(["tx start", "tx end", "plain query"]);
  });
});

describe("a query that bypasses its transaction", () => {
  it("fails at once, naming the mistake, instead of stalling every query for the lock timeout", async () => {
    // GIVEN code that, inside a transaction, queries through db instead of tx
    const db = getDb();
    const started = Date.now();

    // WHEN it runs
    const outcome = await db
      .$transaction(async (tx) => {
        await tx.shop.create({ data: { domain: "inside.myshopify.com" } });
        await db.shop.count();
      })
      .catch((error: unknown) => error);

    // THEN it is refused at once with an error that says what to do, and the transaction rolled back
    expect(outcome).toBeInstanceOf(ReentrantQueryError);
    expect((outcome as Error).message).toMatch(/use the transaction's client \(tx\)/);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await db.shop.count()).toBe(0);
  });

  it("refuses a nested db.$transaction too, and leaves queries outside transactions alone", async () => {
    const db = getDb();
    const nested = await db
      .$transaction(async () => {
        await db.$transaction(async (inner) => inner.shop.count());
      })
      .catch((error: unknown) => error);
    expect(nested).toBeInstanceOf(ReentrantQueryError);
    // Concurrent work in other async contexts is unaffected.
    const [inTx, outside] = await Promise.all([
      db.$transaction(async (tx) => tx.shop.count()),
      db.shop.count(),
    ]);
    expect([inTx, outside]).toEqual([0, 0]);
  });

  it("every client the app makes carries the guard", async () => {
    const other = createDb(process.env.DATABASE_URL!);
    try {
      const outcome = await other
        .$transaction(async () => other.shop.count())
        .catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(ReentrantQueryError);
    } finally {
      await other.$disconnect();
    }
  });
});

describe.skipIf(onSqlite)("the PostgreSQL pool", () => {
  it("runs a plain query while a transaction is open, without waiting, and without its uncommitted writes", async () => {
    const db = getDb();
    let written!: () => void;
    const hasWritten = new Promise<void>((resolve) => (written = resolve));
    let letItFinish!: () => void;
    const finish = new Promise<void>((resolve) => (letItFinish = resolve));

    // GIVEN a transaction that has written a shop and is still open
    const open = db.$transaction(async (tx) => {
      await tx.shop.create({ data: { domain: "pending.myshopify.com" } });
      written();
      await finish;
    });
    await hasWritten;

    // WHEN another request reads meanwhile
    const seen = await db.shop.count();

    // THEN it answered while the transaction was still open, without the uncommitted shop
    expect(seen).toBe(0);
    letItFinish();
    await open;
    expect(await db.shop.count()).toBe(1);
  });
});
