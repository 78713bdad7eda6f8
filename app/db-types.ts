import type { Prisma, PrismaClient } from "@prisma/client";

export type Db = PrismaClient;
/** Inside `db.$transaction(async (tx) => …)`. Services that must be atomic with their caller take one. */
export type Tx = Prisma.TransactionClient;

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
