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

/** One transaction's callback, and what is to happen once (if) the transaction commits. */
export interface TransactionScope {
  afterCommit: Set<() => void>;
}

// From the global registry: the server (server/) and the Remix build are separate module graphs in
// one process, and a transaction opened by one runs code from the other.
const SCOPES = Symbol.for("privacy-desk.transaction-scopes");
const insideTransaction = ((globalThis as Record<symbol, unknown>)[SCOPES] ??=
  new AsyncLocalStorage<TransactionScope>()) as AsyncLocalStorage<TransactionScope>;

export const newTransactionScope = (): TransactionScope => ({ afterCommit: new Set() });

/** Runs `work` as a transaction's callback: the adapter's own entry points refuse to run inside it. */
export function asTransactionCallback<T>(scope: TransactionScope, work: () => T): T {
  return insideTransaction.run(scope, work);
}

/** `transaction`, which then runs what its callback left for after its commit (nothing if it fails). */
export async function runningAfterCommit<T>(scope: TransactionScope, transaction: Promise<T>): Promise<T> {
  const result = await transaction;
  for (const effect of scope.afterCommit) {
    // The transaction has committed whatever an effect does: its caller must hear that it did.
    try {
      effect();
    } catch (error) {
      process.emitWarning(`An after-commit effect failed: ${String(error)}`);
    }
  }
  scope.afterCommit.clear();
  return result;
}

/**
 * Runs `effect` once the transaction this is called in has committed, or at once outside a
 * transaction. A transaction that rolls back never runs it. The same function registered twice in
 * one transaction runs once.
 */
export function afterCommit(effect: () => void): void {
  const scope = insideTransaction.getStore();
  if (scope) scope.afterCommit.add(effect);
  else effect();
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
      return (arg: unknown, options?: unknown) => {
        if (typeof arg !== "function") return $transaction(arg, options);
        const scope = newTransactionScope();
        return runningAfterCommit(
          scope,
          $transaction(
            // Awaited inside the marked context: a lazy PrismaPromise the callback returns unawaited
            // (`() => db.shop.count()`) starts only when awaited, and must start there to be refused.
            (tx: unknown) =>
              insideTransaction.run(scope, async () => await (arg as (tx: unknown) => unknown)(tx)),
            options,
          ),
        );
      };
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
