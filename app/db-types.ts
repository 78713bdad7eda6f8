import type { Prisma, PrismaClient } from "@prisma/client";
import type { DatabaseProvider } from "./db-provider";

export type Db = PrismaClient;
/** Inside `db.$transaction(async (tx) => …)`. Services that must be atomic with their caller take one. */
export type Tx = Prisma.TransactionClient;

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/**
 * The database behind a client or a transaction, for the few statements that differ (row locks,
 * SKIP LOCKED). Prisma keeps it on every client and transaction as `_activeProvider`.
 */
export function sqlDialect(client: Db | Tx): DatabaseProvider {
  const provider = (client as unknown as { _activeProvider?: string })._activeProvider;
  if (provider === "sqlite" || provider === "postgresql") return provider;
  throw new Error(`Unknown database provider: ${String(provider)}`);
}

/**
 * Errors a transaction on PostgreSQL can end with when it collides with another and that a retry
 * of the whole transaction resolves: a deadlock (40P01, PostgreSQL aborts one side), a
 * serialization failure (40001), or Prisma's name for either (P2034). Depending on where it
 * happened Prisma throws its own error (code, meta) or the adapter's (cause).
 */
export function isTransientConflict(error: unknown): boolean {
  type Shape = { code?: unknown; meta?: Shape & { driverAdapterError?: Shape }; cause?: Shape };
  const shape = (error ?? {}) as Shape;
  const codes = [
    shape.code,
    shape.cause?.code,
    shape.meta?.code,
    shape.meta?.driverAdapterError?.cause?.code,
  ];
  return codes.some((code) => code === "40P01" || code === "40001" || code === "P2034");
}
