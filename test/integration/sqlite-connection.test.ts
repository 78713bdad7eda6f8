import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { resetDatabase } from "../helpers/reset";

beforeEach(resetDatabase);

describe("the SQLite connection", () => {
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
