import Database from "better-sqlite3";
import { beforeEach, describe, expect, it } from "vitest";
import { ReentrantQueryError } from "../../app/db-guard.server";
import { PrismaClient } from "@prisma/client";
import { createDb, getDb } from "../../app/db.server";
import { SerializedSQLite } from "../../app/sqlite-connection.server";
import { waitFor } from "../helpers/processes";
import { onPostgresql, onSqlite } from "../helpers/database";
import { resetDatabase } from "../helpers/reset";

beforeEach(resetDatabase);

/**
 * The app's adapter, counting the queries that reach it outside any transaction: a test waits
 * until its read has really been sent (and so is queued behind the open transaction) instead of
 * sleeping and hoping it was.
 */
function countingClient() {
  let sent = 0;
  class CountingSQLite extends SerializedSQLite {
    override async connect() {
      const adapter = await super.connect();
      const queryRaw = adapter.queryRaw.bind(adapter);
      adapter.queryRaw = (query) => {
        sent += 1;
        return queryRaw(query);
      };
      return adapter;
    }
  }
  const db = new PrismaClient({
    adapter: new CountingSQLite({ url: process.env.DATABASE_URL!, timeout: 10_000 }),
  });
  return { db, sent: () => sent };
}

// SQLite only: PostgreSQL gives each transaction its own pooled connection, so plain queries run
// beside transactions by design (and never see their uncommitted writes; see below).
describe.skipIf(onPostgresql)("the SQLite connection", () => {
  it("never lets a query read another transaction's uncommitted writes", async () => {
    const { db, sent } = countingClient();
    try {
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

      // WHEN another request reads meanwhile (its query has reached the connection)
      const before = sent();
      // A Prisma query is sent only once something awaits it.
      const seen = db.shop.count().then((count) => count);
      await waitFor(async () => sent() > before, 5_000, "the read to reach the connection");
      letItFail();

      // THEN it waited for the rollback and never saw the phantom shop
      expect(await failing).toBe("boom");
      expect(await seen).toBe(0);
    } finally {
      await db.$disconnect();
    }
  });

  it("runs plain queries between transactions, not inside them", async () => {
    const { db, sent } = countingClient();
    try {
      const order: string[] = [];
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      let started!: () => void;
      const hasStarted = new Promise<void>((resolve) => (started = resolve));
      const transaction = db.$transaction(async (tx) => {
        order.push("tx start");
        await tx.shop.create({ data: { domain: "a.myshopify.com" } });
        started();
        await finished;
        order.push("tx end");
      });
      await hasStarted;
      const before = sent();
      const plain = db.shop.count().then(() => order.push("plain query"));
      await waitFor(async () => sent() > before, 5_000, "the plain query to reach the connection");
      finish();
      await Promise.all([transaction, plain]);
      expect(order).toEqual(["tx start", "tx end", "plain query"]);
    } finally {
      await db.$disconnect();
    }
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
      // A query returned unawaited starts only when Prisma awaits it: it is refused all the same.
      const started = Date.now();
      const unawaited = await other.$transaction(() => other.shop.count()).catch((error: unknown) => error);
      expect(unawaited).toBeInstanceOf(ReentrantQueryError);
      expect(Date.now() - started).toBeLessThan(1_000);
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

describe.skipIf(onPostgresql)(
  "the SQLite file shared with another process (a separate worker, the CLI)",
  () => {
    it("GIVEN a transaction that has read WHEN another connection tries to write before it writes THEN the other waits, and the transaction commits", async () => {
      const db = getDb();
      // The other process's connection: busy timeout 0, so it answers at once instead of blocking
      // this test's only thread while the transaction holds the lock.
      const other = new Database(process.env.DATABASE_URL!.replace(/^file:/, ""), { timeout: 0 });
      let hasRead!: () => void;
      const read = new Promise<void>((resolve) => (hasRead = resolve));
      let letItWrite!: () => void;
      const write = new Promise<void>((resolve) => (letItWrite = resolve));

      // GIVEN a transaction that has read and is about to write
      const transaction = db.$transaction(async (tx) => {
        await tx.shop.count();
        hasRead();
        await write;
        await tx.shop.create({ data: { domain: "in-transaction.myshopify.com" } });
      });
      await read;

      // WHEN the other connection writes meanwhile
      const otherWrite = () =>
        other
          .prepare(
            `INSERT INTO "Shop" ("id", "domain", "updatedAt") VALUES ('other', 'other.myshopify.com', 0)`,
          )
          .run();

      // THEN it is told the database is busy (a deferred BEGIN would have let it in, and the
      // transaction's write would then fail with SQLITE_BUSY: a 500 for the request behind it)
      expect(otherWrite).toThrow(/busy|locked/i);
      letItWrite();
      await expect(transaction).resolves.toBeUndefined();
      otherWrite();
      other.close();
      expect(await db.shop.count()).toBe(2);
    });
  },
);
