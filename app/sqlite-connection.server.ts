import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { refuseReentrantQueries } from "./db-guard.server";

/**
 * Every connection gets the same settings before its first query. WAL lets readers in other
 * processes (the CLI, a separate worker) run while this one writes; synchronous=NORMAL is
 * durable across application crashes in WAL mode and skips an fsync per commit. A 64 MiB page
 * cache instead of SQLite's 2 MiB default: the app has one connection, and deleting a big shop
 * (shop/redact) walks indexes whose pages the small cache kept evicting (a third slower).
 */
const CONNECTION_PRAGMAS =
  "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;";

/** A FIFO lock: `run` waits for every earlier holder to finish. */
function createLock() {
  let tail: Promise<void> = Promise.resolve();
  const acquire = (): Promise<() => void> => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ready = tail.then(() => release);
    tail = tail.then(() => held);
    return ready;
  };
  return {
    acquire,
    async run<T>(work: () => Promise<T>): Promise<T> {
      const release = await acquire();
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}

/**
 * Transactions begin IMMEDIATE instead of the adapter's plain (deferred) BEGIN. A deferred
 * transaction that reads and then writes while another process (a separate worker, the CLI)
 * holds the write lock fails at once with SQLITE_BUSY, without waiting for the busy timeout, since
 * its snapshot is already stale; Prisma reports that as a SocketTimeout and the request gets a 500.
 * BEGIN IMMEDIATE takes the write lock first, waiting up to the busy timeout for it.
 */
function takeWriteLockAtBegin(adapter: object) {
  const client = (adapter as { client?: { prepare: (sql: string) => unknown } }).client;
  if (!client || typeof client.prepare !== "function")
    throw new Error("The SQLite adapter no longer exposes its better-sqlite3 connection as `client`");
  const prepare = client.prepare.bind(client);
  client.prepare = (sql: string) => prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql);
}

/**
 * The app's SQLite adapter. better-sqlite3 gives a process one connection, and the stock adapter
 * only serialises transactions with each other: a plain query issued while another request's
 * interactive transaction is open runs inside that transaction, so it reads writes that may yet
 * be rolled back. Here every statement waits for any open transaction, so each query and
 * transaction has the connection to itself.
 */
export class SerializedSQLite extends PrismaBetterSQLite3 {
  override async connect() {
    const adapter = await super.connect();
    await adapter.executeScript(CONNECTION_PRAGMAS);
    const lock = createLock();
    const queryRaw = adapter.queryRaw.bind(adapter);
    const executeRaw = adapter.executeRaw.bind(adapter);
    const executeScript = adapter.executeScript.bind(adapter);
    const startTransaction = adapter.startTransaction.bind(adapter);
    takeWriteLockAtBegin(adapter);
    adapter.queryRaw = (query) => lock.run(() => queryRaw(query));
    adapter.executeRaw = (query) => lock.run(() => executeRaw(query));
    adapter.executeScript = (script) => lock.run(() => executeScript(script));
    adapter.startTransaction = async (isolationLevel) => {
      const release = await lock.acquire();
      try {
        const transaction = await startTransaction(isolationLevel);
        const commit = transaction.commit.bind(transaction);
        const rollback = transaction.rollback.bind(transaction);
        transaction.commit = () => commit().finally(release);
        transaction.rollback = () => rollback().finally(release);
        return transaction;
      } catch (error) {
        release();
        throw error;
      }
    };
    return refuseReentrantQueries(adapter);
  }
}
