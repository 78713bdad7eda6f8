import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { refuseReentrantQueries } from "./db-guard.server";
import { logger } from "./logger.server";
import { startWalCheckpointer } from "./sqlite-checkpointer.server";

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

export interface Statement {
  readonly reader: boolean;
  columns(): { name: string; type: string | null }[];
  run(...params: unknown[]): unknown;
  raw(toggle?: boolean): { all(...params: unknown[]): unknown[] };
}

/** What the adapter does with a prepared statement: bind once, then run it or read it raw. */
function reusable(statement: Statement) {
  return {
    statement,
    get reader() {
      return statement.reader;
    },
    run: () => statement.run(),
    bind: (params: unknown[]) => ({
      reader: statement.reader,
      columns: () => statement.columns(),
      run: () => statement.run(params),
      raw: () => ({ all: () => statement.raw(true).all(params) }),
    }),
  };
}

/** Prepared statements kept per connection: the intake's few shapes recur at every batch size. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The adapter prepares every statement again at each call, and preparing a multi-row INSERT
 * costs more than running it (a quarter of a millisecond for a batch of intake rows). Here each
 * SQL text is prepared once and reused (bound per call instead of with better-sqlite3's one-time
 * bind()), least recently used first out.
 *
 * Transactions also begin IMMEDIATE instead of the adapter's plain (deferred) BEGIN. A deferred
 * transaction that reads and then writes while another process (a separate worker, the CLI)
 * holds the write lock fails at once with SQLITE_BUSY, without waiting for the busy timeout, since
 * its snapshot is already stale; Prisma reports that as a SocketTimeout and the request gets a 500.
 * BEGIN IMMEDIATE takes the write lock first, waiting up to the busy timeout for it.
 */
function reuseStatements(adapter: object): (sql: string) => Statement {
  const client = (adapter as { client?: { prepare: (sql: string) => Statement } }).client;
  if (!client || typeof client.prepare !== "function")
    throw new Error("The SQLite adapter no longer exposes its better-sqlite3 connection as `client`");
  const prepare = client.prepare.bind(client);
  const cache = new Map<string, ReturnType<typeof reusable>>();
  (client as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (statement) cache.delete(sql);
    else statement = reusable(prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql));
    cache.set(sql, statement);
    if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return statement;
  };
  return (sql) => (client.prepare(sql) as unknown as ReturnType<typeof reusable>).statement;
}

/**
 * The connection for sqlite-direct.server.ts: `transaction` holds the lock from BEGIN to COMMIT,
 * so nothing else runs on the connection meanwhile and statements prepared here run inside it.
 */
export interface DirectConnection {
  prepare(sql: string): Statement;
  /** A transaction of raw statements only, without Prisma's transaction machinery. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
}

type Adapter = Awaited<ReturnType<PrismaBetterSQLite3["connect"]>>;

async function checkpointInBackground(adapter: Adapter) {
  const client = (adapter as unknown as { client: { name: string; memory: boolean } }).client;
  if (client.memory) return;
  await adapter.executeScript("PRAGMA wal_autocheckpoint = 0");
  const checkpointer = startWalCheckpointer(client.name, {
    onFailure: (error) => {
      logger.warn("the WAL checkpoint thread stopped; the connection checkpoints for itself again", {
        error: error.message,
      });
      adapter.executeScript("PRAGMA wal_autocheckpoint = 1000").catch(() => undefined);
    },
  });
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await checkpointer.stop();
    await dispose();
  };
}

/**
 * The app's SQLite adapter. better-sqlite3 gives a process one connection, and the stock adapter
 * only serialises transactions with each other: a plain query issued while another request's
 * interactive transaction is open runs inside that transaction, so it reads writes that may yet
 * be rolled back. Here every statement waits for any open transaction, so each query and
 * transaction has the connection to itself.
 */
export class SerializedSQLite extends PrismaBetterSQLite3 {
  readonly #backgroundCheckpoints: boolean;
  #direct: DirectConnection | null = null;

  /** The connected connection, for direct transactions (null before the first query). */
  directConnection(): DirectConnection | null {
    return this.#direct;
  }

  /**
   * `backgroundCheckpoints`: a long-running process (the server, the worker) moves the WAL
   * checkpoints off its connection onto a thread (sqlite-checkpointer.server.ts).
   */
  constructor(config: { url: string; timeout?: number }, options: { backgroundCheckpoints?: boolean } = {}) {
    super(config);
    this.#backgroundCheckpoints = options.backgroundCheckpoints ?? false;
  }

  override async connect() {
    const adapter = await super.connect();
    await adapter.executeScript(CONNECTION_PRAGMAS);
    if (this.#backgroundCheckpoints) await checkpointInBackground(adapter);
    const lock = createLock();
    const queryRaw = adapter.queryRaw.bind(adapter);
    const executeRaw = adapter.executeRaw.bind(adapter);
    const executeScript = adapter.executeScript.bind(adapter);
    const startTransaction = adapter.startTransaction.bind(adapter);
    const prepare = reuseStatements(adapter);
    const client = (adapter as unknown as { client: { inTransaction: boolean } }).client;
    const direct = {
      prepare,
      async transaction<T>(work: () => Promise<T>): Promise<T> {
        const release = await lock.acquire();
        try {
          prepare("BEGIN IMMEDIATE").run();
          try {
            const result = await work();
            prepare("COMMIT").run();
            return result;
          } catch (error) {
            // SQLite may have ended the transaction itself (it does on some errors, such as a full
            // disk); a ROLLBACK then would fail and hide the error that matters.
            if (client.inTransaction) prepare("ROLLBACK").run();
            throw error;
          }
        } finally {
          release();
        }
      },
    };
    this.#direct = direct;
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
