import { Prisma } from "@prisma/client";
import type { Db, Tx } from "./db-types";
import { asTransactionCallback } from "./db-guard.server";
import type { DirectConnection, SerializedSQLite, Statement } from "./sqlite-connection.server";

/**
 * Raw SQL sent straight to SQLite's connection, skipping Prisma's client (its request pipeline,
 * the WebAssembly query compiler, the adapter's row mapping and its interactive-transaction
 * machinery). For the hot path only: webhook intake runs a handful of raw statements per batch,
 * and Prisma's part of each cost more than SQLite's (docs/decisions/005).
 *
 * Values go in as Prisma writes them (a Date as ISO 8601 with +00:00, a boolean as 0/1) and rows
 * come out as Prisma's `$queryRaw` returns them (DATETIME as Date, INTEGER as number, BIGINT or an
 * untyped integer as bigint, BOOLEAN as boolean); test/integration/sqlite-direct.test.ts compares
 * the two. A unique violation is thrown as Prisma's P2002, which callers already handle.
 */
// A symbol from the global registry: the server (server/) and the Remix build are separate
// module graphs in one process, and either may have created the process's client.
const ADAPTER = Symbol.for("privacy-desk.sqlite-adapter");

export function registerDirectSql(db: Db, adapter: SerializedSQLite): void {
  Object.defineProperty(db, ADAPTER, { value: adapter });
}

type Template = [strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]];

/**
 * Runs `work` in a transaction of its own on SQLite's connection (BEGIN IMMEDIATE … COMMIT under
 * the adapter's lock), without Prisma's transaction machinery: its `tx` has `$queryRaw` and
 * `$executeRaw` only, and any other property (an ORM call, which would wait for the lock this
 * transaction holds) throws at once. Returns null on PostgreSQL, or before the client's first
 * query, where the caller uses `db.$transaction`.
 */
export function directTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> | null {
  // Before the client's first query (Prisma connects, and sets itself up, then) there is no
  // connection yet: the caller's db.$transaction makes it.
  const connection = adapterOf(db)?.directConnection();
  if (!connection) return null;
  const raw = rawSqlOn(connection);
  const tx = new Proxy({} as Tx, {
    get(_target, property) {
      if (property === "$queryRaw") return raw.queryRaw;
      if (property === "$executeRaw") return raw.executeRaw;
      if (property === "_activeProvider") return "sqlite";
      if (property === "then") return undefined;
      throw new Error(
        `${String(property)} is not available in a direct SQLite transaction: write it as raw SQL`,
      );
    },
  });
  // Awaited inside the marked context: a lazy PrismaPromise returned by `work` starts only when
  // awaited, and must start there to be refused.
  return connection.transaction(() => asTransactionCallback(async () => await work(tx)));
}

const adapterOf = (db: Db) => (db as unknown as { [ADAPTER]?: SerializedSQLite })[ADAPTER] ?? null;

function rawSqlOn(connection: DirectConnection) {
  const sqlOf = ([first, ...values]: Template) =>
    Array.isArray(first)
      ? Prisma.sql(first as TemplateStringsArray, ...(values as Prisma.Sql[]))
      : (first as Prisma.Sql);
  const statementFor = (sql: Prisma.Sql) => {
    if (!connection.transactionOpen)
      throw new Error("A direct transaction's tx runs inside its direct transaction only: none is open");
    return connection.prepare(sql.sql);
  };
  return {
    queryRaw: (...template: Template) => {
      const sql = sqlOf(template);
      return settle(() => readRows(statementFor(sql), sql.values.map(toSqlite)));
    },
    executeRaw: (...template: Template) => {
      const sql = sqlOf(template);
      return settle(() => {
        const statement = statementFor(sql);
        const params = sql.values.map(toSqlite);
        return statement.reader
          ? statement.raw(true).all(params).length
          : Number((statement.run(params) as { changes: number }).changes);
      });
    },
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
  const message = (error as Error).message;
  return new Prisma.PrismaClientKnownRequestError(message, {
    code: "P2002",
    clientVersion: Prisma.prismaVersion.client,
    meta: { driverAdapterError: { cause: { kind: "UniqueConstraintViolation", message } } },
  });
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
