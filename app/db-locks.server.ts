import { createHash } from "node:crypto";
import { Prisma } from "@prisma/client";
import { sqlDialect, type Tx } from "./db-types";

/**
 * Serialises the transactions that take the same named lock, across every process on the
 * database, until each one ends (PostgreSQL's transaction-scoped advisory locks). On SQLite every
 * write transaction already runs alone, so there is nothing to take.
 */
export async function lockForTransaction(tx: Tx, name: string): Promise<void> {
  if (sqlDialect(tx) !== "postgresql") return;
  // pg_advisory_xact_lock returns void, which the adapter cannot read back: executeRaw reads nothing.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${advisoryKey(name)})`;
}

/** A stable signed 64-bit key for a lock name. */
export function advisoryKey(name: string): bigint {
  return createHash("sha256").update(name).digest().readBigInt64BE(0);
}

/**
 * Locks the shops' rows (in id order, so two transactions never wait on each other crosswise)
 * until the transaction ends: whoever appends to a shop's audit chain holds it, so two appends
 * never read the same head. FOR NO KEY UPDATE leaves inserts of the shop's other rows alone
 * (their foreign-key checks take FOR KEY SHARE). Returns how many of the shops exist.
 */
export async function lockShops(tx: Tx, shopIds: string[]): Promise<number> {
  if (shopIds.length === 0 || sqlDialect(tx) !== "postgresql") return shopIds.length;
  const ids = [...new Set(shopIds)].sort();
  return tx.$executeRaw`SELECT "id" FROM "Shop" WHERE "id" IN (${Prisma.join(ids)}) ORDER BY "id" FOR NO KEY UPDATE`;
}

/**
 * Serialises work on the shops with these domains, existing or not: intake batches in every
 * instance, and the start of a shop/redact purge (whose shop row is then renamed, so a row lock
 * could not cover it). One statement however many domains; keys are taken in one order.
 */
export async function lockShopDomains(tx: Tx, domains: string[]): Promise<void> {
  if (domains.length === 0 || sqlDialect(tx) !== "postgresql") return;
  const keys = [...new Set(domains)]
    .map((domain) => advisoryKey(`shop:${domain}`))
    .sort((a, b) => (a < b ? -1 : 1));
  await tx.$executeRaw`SELECT pg_advisory_xact_lock("k") FROM (SELECT unnest(ARRAY[${Prisma.join(keys)}]::bigint[]) AS "k" ORDER BY 1) AS "ordered"`;
}
