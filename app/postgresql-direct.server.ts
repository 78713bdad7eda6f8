import { Prisma } from "@prisma/client";
import pg from "pg";
import type { DirectRunner, DirectSql } from "./direct-transaction.server";
import { uniqueViolation } from "./direct-transaction.server";
import type { GuardedPostgreSQL } from "./postgresql-connection.server";

/**
 * The direct transactions (direct-transaction.server.ts) on PostgreSQL: BEGIN … COMMIT on one
 * connection of the adapter's own pool, so the pool's size still bounds the process's connections.
 *
 * Values go in as Prisma's adapter sends them (a Date as UTC without an offset, which is how
 * Prisma stores `timestamp(3)`) and rows come out as Prisma's `$queryRaw` returns them (int8 as
 * bigint, numeric as Decimal, timestamps as Date, json parsed); a column of any other type is
 * refused rather than returned in a shape Prisma would not give. test/integration/
 * direct-transaction.test.ts compares the two. A unique violation is thrown as Prisma's P2002;
 * a deadlock or serialization failure keeps PostgreSQL's code (40P01, 40001) for callers' retries.
 *
 * Like Prisma's interactive transactions (5 s), a transaction cannot hold its locks for long:
 * each statement is limited to STATEMENT_TIMEOUT_MS.
 */
export const STATEMENT_TIMEOUT_MS = 5_000;

export function postgresqlDirectRunner(adapter: GuardedPostgreSQL): DirectRunner {
  return (work) => {
    const pool = adapter.pool();
    if (!pool) return null;
    return transactionOn(pool, work);
  };
}

async function transactionOn<T>(pool: pg.Pool, work: (sql: DirectSql) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A connection that breaks while checked out emits "error"; unheard, that would end the process.
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on("error", onError);
  const run = async (sql: Prisma.Sql) => {
    try {
      return await client.query({
        text: sql.text,
        values: sql.values.map(toPostgresql),
        rowMode: "array",
        types: PRISMA_TYPES,
      });
    } catch (error) {
      throw asPrismaError(error);
    }
  };
  const sql: DirectSql = {
    queryRaw: async (query) => rowsOf(await run(query)),
    executeRaw: async (query) => (await run(query)).rowCount ?? 0,
  };
  try {
    await client.query(`BEGIN; SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS}`);
    const result = await work(sql);
    // After a failed statement PostgreSQL answers COMMIT with ROLLBACK: work that caught the error
    // and went on must not be told its writes were kept.
    const commit = await client.query("COMMIT");
    if (commit.command !== "COMMIT")
      throw new Error("PostgreSQL rolled the transaction back: one of its statements had failed");
    return result;
  } catch (error) {
    if (!broken) await client.query("ROLLBACK").catch((rollbackFailed: Error) => (broken = rollbackFailed));
    throw error;
  } finally {
    client.removeListener("error", onError);
    // A broken connection is closed, not handed to the next transaction.
    client.release(broken ?? false);
  }
}

/** A Date as Prisma's adapter writes it: UTC, no offset (a `timestamp(3)` holds UTC). */
function toPostgresql(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace("T", " ").replace("Z", "");
  if (value === undefined) return null;
  return value;
}

function asPrismaError(error: unknown): unknown {
  if ((error as { code?: unknown }).code !== "23505") return error;
  return uniqueViolation((error as Error).message);
}

const { builtins } = pg.types;
/** Prisma's adapter reads a timestamp as UTC, and a timestamptz with its offset taken as UTC. */
const timestamp = (text: string) => new Date(`${text.replace(" ", "T")}+00:00`);
const timestamptz = (text: string) =>
  new Date(text.replace(" ", "T").replace(/[+-]\d{2}(:\d{2})?$/, "+00:00"));

/** The column types the direct path reads, each parsed to Prisma's `$queryRaw` value. */
const PARSERS = new Map<number, (text: string) => unknown>([
  [builtins.INT2, Number],
  [builtins.INT4, Number],
  [builtins.INT8, BigInt],
  [builtins.FLOAT4, Number],
  [builtins.FLOAT8, Number],
  [builtins.NUMERIC, (text) => new Prisma.Decimal(text)],
  [builtins.BOOL, (text) => text === "t"],
  [builtins.TEXT, String],
  [builtins.VARCHAR, String],
  [builtins.BPCHAR, String],
  [builtins.UUID, String],
  [builtins.TIMESTAMP, timestamp],
  [builtins.TIMESTAMPTZ, timestamptz],
  [builtins.JSON, (text) => JSON.parse(text)],
  [builtins.JSONB, (text) => JSON.parse(text)],
]);

// executeRaw reads no values, so a column of another type (pg_advisory_xact_lock's void) passes there.
const PRISMA_TYPES = {
  getTypeParser: (oid: number) => PARSERS.get(oid) ?? String,
} as unknown as pg.CustomTypesConfig;

function rowsOf(result: pg.QueryResult<unknown[]>): Record<string, unknown>[] {
  const { fields } = result;
  const unsupported = fields.find((field) => !PARSERS.has(field.dataTypeID));
  if (unsupported)
    throw new Error(
      `column "${unsupported.name}" has a type (oid ${unsupported.dataTypeID}) the direct path does not read as Prisma would: cast it or use db.$transaction`,
    );
  return result.rows.map((values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < fields.length; i += 1) row[fields[i]!.name] = values[i] ?? null;
    return row;
  });
}
