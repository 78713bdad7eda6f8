import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@prisma/client";
import type { Db } from "./db-types";
import { getEnv } from "./env.server";

export type { Db } from "./db-types";

export function createDb(databaseUrl: string): Db {
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl, timeout: 10_000 }) });
}

/**
 * WAL lets readers (the admin, the CLI) run while the worker or a webhook writes, and
 * synchronous=NORMAL is durable across application crashes in WAL mode.
 */
export async function prepareDb(db: Db): Promise<void> {
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
  await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
}

declare global {
  var __privacyDeskDb: Db | undefined;
}

/** One client per process (kept across dev-server reloads, which re-import modules). */
export function getDb(): Db {
  globalThis.__privacyDeskDb ??= createDb(getEnv().DATABASE_URL);
  return globalThis.__privacyDeskDb;
}
