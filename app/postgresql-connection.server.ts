import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { refuseReentrantQueries } from "./db-guard.server";

export interface PostgresqlOptions {
  /** Connections this process keeps open at most (the pool's size). */
  poolSize: number;
  /** Told about an idle connection that broke (the pool drops it and opens another). */
  onConnectionError?: (error: Error) => void;
}

/**
 * The app's PostgreSQL adapter: a pool of real connections, so transactions and queries run side
 * by side (none of SQLite's serialisation, ADR 002). The re-entrant query guard stays: here a
 * `db.*` call inside `db.$transaction` would run on another connection, outside the transaction,
 * and could wait for a lock the transaction holds.
 */
export class GuardedPostgreSQL extends PrismaPg {
  #pool: pg.Pool | null = null;

  /** The connected adapter's pool, for direct transactions (null before the first query). */
  pool(): pg.Pool | null {
    return this.#pool;
  }

  constructor(url: string, options: PostgresqlOptions) {
    super(
      {
        connectionString: url,
        max: options.poolSize,
        application_name: "privacy-desk",
        connectionTimeoutMillis: 10_000,
        idleTimeoutMillis: 30_000,
      },
      { onPoolError: options.onConnectionError, onConnectionError: options.onConnectionError },
    );
  }

  override async connect() {
    const adapter = await super.connect();
    const pool = adapter.underlyingDriver();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      if (this.#pool === pool) this.#pool = null;
      await dispose();
    };
    this.#pool = pool;
    return refuseReentrantQueries(adapter);
  }
}
