import { PrismaClient } from "@prisma/client";
import { PrismaClient as PostgresqlPrismaClient } from "@privacy-desk/prisma-postgresql";
import { markTransactions } from "./db-guard.server";
import { databaseProvider, redactDatabaseUrl } from "./db-provider";
import { registerDirectTransactions } from "./direct-transaction.server";
import type { Db } from "./db-types";
import { getEnv } from "./env.server";
import { logger } from "./logger.server";
import { GuardedPostgreSQL } from "./postgresql-connection.server";
import { postgresqlDirectRunner } from "./postgresql-direct.server";
import { SerializedSQLite } from "./sqlite-connection.server";
import { sqliteDirectRunner } from "./sqlite-direct.server";

export type { Db } from "./db-types";

let clientsCreated = 0;

/**
 * A Prisma client for DATABASE_URL (docs/decisions/011): SQLite's generated client over one
 * serialised connection for `file:`, PostgreSQL's over a pool for `postgresql://`. Both clients
 * are generated from the same models, so the app uses either through one type. Its transactions
 * refuse queries that bypass them (db-guard.server.ts).
 */
export function createDb(
  databaseUrl: string,
  options: { poolSize?: number; backgroundCheckpoints?: boolean } = {},
): Db {
  clientsCreated += 1;
  const provider = databaseProvider(databaseUrl);
  if (provider === "postgresql") {
    const adapter = new GuardedPostgreSQL(databaseUrl, {
      poolSize: options.poolSize ?? 10,
      onConnectionError: (error) =>
        logger.warn("a PostgreSQL connection failed", {
          error: error.message,
          url: redactDatabaseUrl(databaseUrl),
        }),
    });
    // Same models, same runtime (scripts/generate-prisma.ts): only the provider differs.
    const db = markTransactions(new PostgresqlPrismaClient({ adapter }) as unknown as PrismaClient);
    registerDirectTransactions(db, "postgresql", postgresqlDirectRunner(adapter));
    return db;
  }
  if (provider !== "sqlite") throw new Error("DATABASE_URL must start with file: or postgresql://");
  const adapter = new SerializedSQLite(
    { url: databaseUrl, timeout: 10_000 },
    { backgroundCheckpoints: options.backgroundCheckpoints },
  );
  const db = markTransactions(new PrismaClient({ adapter }));
  registerDirectTransactions(db, "sqlite", sqliteDirectRunner(adapter));
  return db;
}

/** How many clients this process has made: one, whatever the entry point (tests check the worker). */
export const prismaClientsCreated = () => clientsCreated;

declare global {
  var __privacyDeskDb: Db | undefined;
}

/**
 * One client per process: kept on globalThis so the Remix build, the server entry and dev-server
 * reloads all share it. On SQLite that is one connection (see sqlite-connection.server.ts); on
 * PostgreSQL one pool of DATABASE_POOL_SIZE connections.
 */
export function getDb(): Db {
  const env = getEnv();
  globalThis.__privacyDeskDb ??= createDb(env.DATABASE_URL, {
    poolSize: env.DATABASE_POOL_SIZE,
    backgroundCheckpoints: true,
  });
  return globalThis.__privacyDeskDb;
}
