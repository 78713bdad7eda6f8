import { randomUUID } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { beforeEach, describe, expect, it } from "vitest";
import { createDb } from "../../app/db.server";
import { startWalCheckpointer } from "../../app/sqlite-checkpointer.server";
import { onPostgresql } from "../helpers/database";
import { resetDatabase } from "../helpers/reset";

beforeEach(resetDatabase);

const MB = 1024 * 1024;
const walSize = (file: string) => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);

describe.skipIf(onPostgresql)("WAL checkpoints on a thread of their own", () => {
  it("GIVEN a server's connection WHEN 40 MB are written in 400 commits THEN it never checkpoints itself, and the thread keeps the WAL small", async () => {
    const file = process.env.DATABASE_URL!.replace(/^file:/, "");
    const db = createDb(process.env.DATABASE_URL!, { backgroundCheckpoints: true });
    const [setting] = await db.$queryRaw<{ wal_autocheckpoint: bigint }[]>`PRAGMA wal_autocheckpoint`;
    expect(Number(setting!.wal_autocheckpoint)).toBe(0);

    const payload = "x".repeat(100 * 1024);
    let largestWal = 0;
    for (let i = 0; i < 400; i += 1) {
      await db.job.create({ data: { id: randomUUID(), kind: "purge_shop", payload } });
      largestWal = Math.max(largestWal, walSize(file));
      // After every 10 MB a pause of five checkpoint intervals, in which the thread catches up
      // with no writer beside it (a 20 ms pause every 10 commits was too short on a busy machine:
      // the WAL reached 20 MB in 2 of 9 runs).
      if (i % 100 === 99) await sleep(500);
    }
    // Without checkpoints the WAL would hold all 40 MB; SQLite's own default restarts it near 4 MB.
    expect(largestWal).toBeLessThan(16 * MB);
    await db.$disconnect();
  });

  it("GIVEN a database the thread cannot open WHEN it starts THEN onFailure is called with the reason (the connection then checkpoints for itself)", async () => {
    const failure = await new Promise<Error>((resolve) => {
      startWalCheckpointer("/nonexistent-directory/app.sqlite", { onFailure: resolve });
    });
    expect(failure.message).toMatch(/directory does not exist|unable to open|cannot open/i);
  });
});
