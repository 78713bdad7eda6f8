import { PrismaPg } from "@prisma/adapter-pg";
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
    return refuseReentrantQueries(await super.connect());
  }
}
