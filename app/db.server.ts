import { PrismaClient } from "@prisma/client";
import { markTransactions } from "./db-guard.server";
import type { Db } from "./db-types";
import { getEnv } from "./env.server";
import { SerializedSQLite } from "./sqlite-connection.server";

export type { Db } from "./db-types";

let clientsCreated = 0;

/** A Prisma client whose transactions refuse queries that bypass them (db-guard.server.ts). */
export function createDb(databaseUrl: string): Db {
  clientsCreated += 1;
  return markTransactions(
    new PrismaClient({ adapter: new SerializedSQLite({ url: databaseUrl, timeout: 10_000 }) }),
  );
}

/** How many clients this process has made: one, whatever the entry point (tests check the worker). */
export const prismaClientsCreated = () => clientsCreated;

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
