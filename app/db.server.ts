import { PrismaClient } from "@prisma/client";
import type { Db } from "./db-types";
import { getEnv } from "./env.server";
import { SerializedSQLite } from "./sqlite-connection.server";

export type { Db } from "./db-types";

export function createDb(databaseUrl: string): Db {
  return new PrismaClient({ adapter: new SerializedSQLite({ url: databaseUrl, timeout: 10_000 }) });
}

declare global {
  var __privacyDeskDb: Db | undefined;
}

/**
 * One client, so one SQLite connection, per process: kept on globalThis so the Remix build, the
 * server entry and dev-server reloads all share it (see sqlite-connection.server.ts).
 */
export function getDb(): Db {
  globalThis.__privacyDeskDb ??= createDb(getEnv().DATABASE_URL);
  return globalThis.__privacyDeskDb;
}
