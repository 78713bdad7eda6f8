import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import type { DatabaseProvider } from "./db-provider";

/** Where each provider's committed migrations live (docs/decisions/011). */
export const MIGRATIONS_DIRS: Record<DatabaseProvider, string> = {
  sqlite: "prisma/migrations",
  postgresql: "prisma/postgresql/migrations",
};

/** The migrations this build ships for a provider, oldest first. */
export function shippedMigrations(provider: DatabaseProvider, root = process.cwd()): string[] {
  const dir = path.join(root, MIGRATIONS_DIRS[provider]);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((entry) => /^\d{14}_/.test(entry))
    .sort();
}

/** Shipped migrations that the database has not finished applying (Prisma's _prisma_migrations). */
export function pendingMigrations(shipped: string[], appliedNames: string[]): string[] {
  const applied = new Set(appliedNames);
  return shipped.filter((name) => !applied.has(name));
}

/** Prisma's record of applied migrations: finished, and not rolled back. */
export const APPLIED_MIGRATIONS_SQL = `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
