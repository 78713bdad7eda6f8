import { Prisma } from "@prisma/client";
import type { Tx } from "../db-types";

type Value = string | number | boolean | Date | null;

/**
 * One multi-row INSERT through Prisma's raw SQL. Prisma's createMany compiles every row through
 * its query compiler (about half a millisecond a row on the JS engine), which made webhook
 * intake CPU-bound; a raw statement costs the same for 1 row or 200. Parameters are bound, never
 * interpolated. Callers pass every column, DateTime ones included: Prisma fills @default(now())
 * and @updatedAt in the client, not in the database. The SQL is plain enough for SQLite and
 * PostgreSQL alike.
 */
export async function insertRows<Row extends Record<string, Value>>(
  tx: Tx,
  table: string,
  rows: Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const values = rows.map((row) => {
    if (Object.keys(row).length !== columns.length)
      throw new Error(`insertRows(${table}): rows must have the same columns`);
    return Prisma.sql`(${Prisma.join(columns.map((column) => row[column] ?? null))})`;
  });
  const quoted = Prisma.raw(columns.map((column) => `"${column}"`).join(", "));
  await tx.$executeRaw`INSERT INTO ${Prisma.raw(`"${table}"`)} (${quoted}) VALUES ${Prisma.join(values)}`;
}
