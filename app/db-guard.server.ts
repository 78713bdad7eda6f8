import { AsyncLocalStorage } from "node:async_hooks";
import type { PrismaClient } from "@prisma/client";

/**
 * Inside `db.$transaction(async (tx) => …)` every query must go through `tx`. A query on `db`
 * there is a bug: on SQLite it waits for the connection that the transaction itself holds (the
 * process stalls for the lock timeout, then fails), on PostgreSQL it runs outside the
 * transaction. Both are caught here, at once, with an error that names the mistake.
 */
export class ReentrantQueryError extends Error {
  constructor() {
    super(
      "A query was sent through the database client (db) inside db.$transaction(...): use the transaction's client (tx) there, or move the query out of the transaction",
    );
    this.name = "ReentrantQueryError";
  }
}

const insideTransaction = new AsyncLocalStorage<true>();

/** Runs `work` as a transaction's callback: the adapter's own entry points refuse to run inside it. */
export function asTransactionCallback<T>(work: () => T): T {
  return insideTransaction.run(true, work);
}

/** Marks the async context of every interactive transaction's callback. */
export function markTransactions<C extends PrismaClient>(client: C): C {
  const $transaction = client.$transaction.bind(client) as (
    arg: unknown,
    options?: unknown,
  ) => Promise<unknown>;
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== "$transaction") return Reflect.get(target, property, receiver);
      return (arg: unknown, options?: unknown) =>
        typeof arg === "function"
          ? $transaction(
              (tx: unknown) => insideTransaction.run(true, () => (arg as (tx: unknown) => unknown)(tx)),
              options,
            )
          : $transaction(arg, options);
    },
  });
}

/** The entry points of a Prisma driver adapter (SQLite's or PostgreSQL's) that send queries. */
interface GuardedAdapter {
  queryRaw: (...args: never[]) => Promise<unknown>;
  executeRaw: (...args: never[]) => Promise<unknown>;
  executeScript: (...args: never[]) => Promise<unknown>;
  startTransaction: (...args: never[]) => Promise<unknown>;
}

/**
 * The adapter's own entry points (not a transaction's) refuse to run inside a marked callback.
 * Queries through `tx` use the transaction object the adapter handed out, so they pass.
 */
export function refuseReentrantQueries<A extends GuardedAdapter>(adapter: A): A {
  const guard =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      insideTransaction.getStore() ? Promise.reject(new ReentrantQueryError()) : run(...args);
  adapter.queryRaw = guard(adapter.queryRaw.bind(adapter));
  adapter.executeRaw = guard(adapter.executeRaw.bind(adapter));
  adapter.executeScript = guard(adapter.executeScript.bind(adapter));
  adapter.startTransaction = guard(adapter.startTransaction.bind(adapter));
  return adapter;
}
