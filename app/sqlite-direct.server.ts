import type { DirectRunner, DirectSql } from "./direct-transaction.server";
import { uniqueViolation } from "./direct-transaction.server";
import type { DirectConnection, SerializedSQLite, Statement } from "./sqlite-connection.server";

/**
 * The direct transactions (direct-transaction.server.ts) on SQLite: BEGIN IMMEDIATE … COMMIT on
 * better-sqlite3's connection under the adapter's lock, statements prepared once and reused.
 *
 * Values go in as Prisma writes them (a Date as ISO 8601 with +00:00, a boolean as 0/1) and rows
 * come out as Prisma's `$queryRaw` returns them (DATETIME as Date, INTEGER as number, BIGINT or an
 * untyped integer as bigint, BOOLEAN as boolean); test/integration/direct-transaction.test.ts
 * compares the two. A unique violation is thrown as Prisma's P2002.
 */
export function sqliteDirectRunner(adapter: SerializedSQLite): DirectRunner {
  return (work) => {
    // Before the client's first query (Prisma connects, and sets itself up, then) there is no
    // connection yet: the caller's db.$transaction makes it.
    const connection = adapter.directConnection();
    if (!connection) return null;
    const sql = rawSqlOn(connection);
    return connection.transaction(() => work(sql));
  };
}

function rawSqlOn(connection: DirectConnection): DirectSql {
  return {
    queryRaw: (sql) => settle(() => readRows(connection.prepare(sql.sql), sql.values.map(toSqlite))),
    executeRaw: (sql) =>
      settle(() => {
        const statement = connection.prepare(sql.sql);
        const params = sql.values.map(toSqlite);
        return statement.reader
          ? statement.raw(true).all(params).length
          : Number((statement.run(params) as { changes: number }).changes);
      }),
  };
}

/** A promise like Prisma's, so `await` and `.catch` behave the same, with its error codes. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(asPrismaError(error));
  }
}

function asPrismaError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (code !== "SQLITE_CONSTRAINT_UNIQUE" && code !== "SQLITE_CONSTRAINT_PRIMARYKEY") return error;
  return uniqueViolation((error as Error).message);
}

function toSqlite(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value === undefined) return null;
  return value;
}

type Decode = (value: unknown) => unknown;

const asInteger: Decode = (value) =>
  typeof value === "bigint" ? Number(value) : Math.trunc(value as number);
const asDate: Decode = (value) => new Date(typeof value === "string" ? value : Number(value));
const asBoolean: Decode = (value) => Number(value) !== 0;
const asNumber: Decode = (value) => Number(value);
const asIs: Decode = (value) => value;

/** How Prisma's SQLite adapter reads a column of this declared type (its mapDeclType). */
function decoderFor(declaredType: string | null): Decode {
  switch (declaredType?.replace(/\(.*$/, "").trim().toUpperCase()) {
    case "TINYINT":
    case "SMALLINT":
    case "MEDIUMINT":
    case "INT":
    case "INTEGER":
    case "SERIAL":
    case "INT2":
      return asInteger;
    case "DECIMAL":
    case "FLOAT":
    case "DOUBLE":
    case "DOUBLE PRECISION":
    case "NUMERIC":
    case "REAL":
      return asNumber;
    case "DATETIME":
    case "TIMESTAMP":
      return asDate;
    case "BOOLEAN":
      return asBoolean;
    default:
      // TEXT, BLOB, BIGINT (stays a bigint) and untyped expressions such as count(*).
      return asIs;
  }
}

const decoders = new WeakMap<Statement, { names: string[]; decode: Decode[] }>();

function readRows(statement: Statement, params: unknown[]): Record<string, unknown>[] {
  if (!statement.reader) {
    statement.run(params);
    return [];
  }
  let shape = decoders.get(statement);
  if (!shape) {
    const columns = statement.columns();
    shape = { names: columns.map((c) => c.name), decode: columns.map((c) => decoderFor(c.type)) };
    decoders.set(statement, shape);
  }
  const { names, decode } = shape;
  return (statement.raw(true).all(params) as unknown[][]).map((values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i += 1) {
      const value = values[i];
      row[names[i]!] = value === null || value === undefined ? null : decode[i]!(value);
    }
    return row;
  });
}
