import { Prisma } from "@prisma/client";
import type { DatabaseProvider } from "./db-provider";
import type { Db, Tx } from "./db-types";
import { asTransactionCallback, newTransactionScope, runningAfterCommit } from "./db-guard.server";

/**
 * Transactions of raw SQL that skip Prisma's client: its request pipeline, the WebAssembly query
 * compiler it runs even for raw queries, the adapter's row mapping and its interactive-transaction
 * machinery. For the hot path only: webhook intake runs a handful of raw statements per batch, and
 * Prisma's part of each cost more than the database's (docs/decisions/005). Each database has its
 * own runner (sqlite-direct.server.ts, postgresql-direct.server.ts); both keep Prisma's shapes for
 * values and rows, and its P2002 for a unique violation, so the same code runs on either or on
 * `db.$transaction`.
 */
export interface DirectSql {
  queryRaw(sql: Prisma.Sql): Promise<Record<string, unknown>[]>;
  executeRaw(sql: Prisma.Sql): Promise<number>;
}

/** Runs `work` in a transaction of its own, or returns null when it cannot (not connected yet). */
export type DirectRunner = <T>(work: (sql: DirectSql) => Promise<T>) => Promise<T> | null;

// A symbol from the global registry: the server (server/) and the Remix build are separate module
// graphs in one process, and either may have created the process's client.
const RUNNER = Symbol.for("privacy-desk.direct-transactions");

interface Registered {
  provider: DatabaseProvider;
  run: DirectRunner;
}

export function registerDirectTransactions(db: Db, provider: DatabaseProvider, run: DirectRunner): void {
  Object.defineProperty(db, RUNNER, { value: { provider, run } satisfies Registered });
}

type Template = [strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]];

const sqlOf = ([first, ...values]: Template) =>
  Array.isArray(first)
    ? Prisma.sql(first as TemplateStringsArray, ...(values as Prisma.Sql[]))
    : (first as Prisma.Sql);

/**
 * Runs `work` in a transaction of its own on the database's connection, without Prisma's
 * transaction machinery: its `tx` has `$queryRaw` and `$executeRaw` only, and any other property
 * (an ORM call) throws at once; `db.*` inside is refused as in `db.$transaction`. Returns null
 * where there is no runner, or before the client's first query (there is no connection yet): the
 * caller uses `db.$transaction` then.
 */
export function directTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> | null {
  const registered = (db as unknown as { [RUNNER]?: Registered })[RUNNER];
  if (!registered) return null;
  const { provider, run } = registered;
  const database = provider === "sqlite" ? "SQLite" : "PostgreSQL";
  const scope = newTransactionScope();
  const committed = run((sql) => {
    // This transaction's own: a tx kept past its work is refused, even while another is open.
    let open = true;
    const whileOpen =
      <R>(send: (query: Prisma.Sql) => Promise<R>) =>
      (...template: Template): Promise<R> =>
        open
          ? send(sqlOf(template))
          : Promise.reject(
              new Error("A direct transaction's tx runs inside its direct transaction only: none is open"),
            );
    const tx = new Proxy({} as Tx, {
      get(_target, property) {
        if (property === "$queryRaw") return whileOpen(sql.queryRaw);
        if (property === "$executeRaw") return whileOpen(sql.executeRaw);
        if (property === "_activeProvider") return provider;
        if (property === "then") return undefined;
        throw new Error(
          `${String(property)} is not available in a direct ${database} transaction: write it as raw SQL`,
        );
      },
    });
    // Awaited inside the marked context: a lazy PrismaPromise returned by `work` starts only when
    // awaited, and must start there to be refused.
    return asTransactionCallback(scope, async () => {
      try {
        return await work(tx);
      } finally {
        open = false;
      }
    });
  });
  return committed && runningAfterCommit(scope, committed);
}

/** Prisma's error for a unique violation (P2002), which callers already handle. */
export function uniqueViolation(message: string): Prisma.PrismaClientKnownRequestError {
  return new Prisma.PrismaClientKnownRequestError(message, {
    code: "P2002",
    clientVersion: Prisma.prismaVersion.client,
    meta: { driverAdapterError: { cause: { kind: "UniqueConstraintViolation", message } } },
  });
}
