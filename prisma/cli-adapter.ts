import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { randomUUID } from "node:crypto";
import pg, { type PoolConfig } from "pg";

/**
 * The adapter the Prisma CLI uses. `migrate diff --from-migrations` replays each migration into
 * an in-memory shadow database through `executeRaw`, which better-sqlite3 limits to a single
 * statement, so every multi-statement migration failed with P3006. Whole scripts go through
 * `executeScript` (SQLite's exec) instead. The app itself never uses this class.
 */
export class PrismaCliSQLite extends PrismaBetterSQLite3 {
  override async connectToShadowDb() {
    const adapter = await super.connectToShadowDb();
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (query) => {
      if (query.args.length > 0) return executeRaw(query);
      await adapter.executeScript(query.sql);
      return 0;
    };
    return adapter;
  }
}

/** A DATABASE_URL as separate settings: pg lets a connectionString override any of them. */
export function pgConfigFromUrl(url: string): PoolConfig {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "postgres",
    ...(parsed.searchParams.get("sslmode") && parsed.searchParams.get("sslmode") !== "disable"
      ? { ssl: { rejectUnauthorized: parsed.searchParams.get("sslmode") === "verify-full" } }
      : {}),
  };
}

/** PostgreSQL catalog types the adapter cannot describe, read as the text pg already made of them. */
const CATALOG_TYPES_AS_TEXT: Record<number, number> = {
  18: 25, // "char"
  19: 25, // name
  22: 25, // int2vector
  24: 25, // regproc
  30: 25, // oidvector
  194: 25, // pg_node_tree
  1003: 1009, // name[]
  2205: 25, // regclass
  2206: 25, // regtype
};

type PgAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;
interface PgInternals {
  performIO: (query: unknown) => Promise<{ fields: { dataTypeID: number }[] }>;
  onError: (error: unknown) => never;
}

/**
 * Works around two bugs of @prisma/adapter-pg 6.19 in the CLI (ADR 011):
 * - prisma/orm#27403: the schema engine reads pg_catalog columns of type `name` (and a few other
 *   catalog types) that the adapter refuses to describe; they are read as text here.
 * - executeScript splits a script on every `;`, even inside a string or a function body, and
 *   executeRaw sends a whole migration as one prepared statement, which PostgreSQL refuses for
 *   more than one statement; here a script without parameters goes to PostgreSQL as one simple
 *   query, which runs it statement by statement.
 */
function patchPgAdapter(adapter: PgAdapter): PgAdapter {
  const internals = adapter as unknown as PgInternals;
  const performIO = internals.performIO.bind(adapter);
  internals.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields)
      field.dataTypeID = CATALOG_TYPES_AS_TEXT[field.dataTypeID] ?? field.dataTypeID;
    return result;
  };
  // The shadow replay sends each migration whole through executeRaw; with no parameters it is a
  // script, and only the simple query protocol runs several statements.
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    if (query.args.length > 0) return executeRaw(query);
    try {
      const results = await adapter.underlyingDriver().query(query.sql);
      return [results].flat().reduce((sum, result) => sum + (result.rowCount ?? 0), 0);
    } catch (error) {
      return internals.onError(error);
    }
  };
  adapter.executeScript = async (script: string) => {
    try {
      await adapter.underlyingDriver().query(script);
    } catch (error) {
      internals.onError(error);
    }
  };
  return adapter;
}

/**
 * The adapter the Prisma CLI uses on PostgreSQL. The stock connectToShadowDb has two more bugs:
 * it connects to the shadow database by overriding `database`, which a connectionString silently
 * wins over (the shadow replay then runs in the main database), and it drops the shadow database
 * before closing its own connections to it, which PostgreSQL refuses. Here the shadow database
 * gets a pool of its own built from separate settings, closed before the drop.
 */
export class PrismaCliPg extends PrismaPg {
  readonly #config: PoolConfig;

  constructor(url: string) {
    // The CLI does not always dispose of its adapters: idle connections must not keep it running.
    const config = { ...pgConfigFromUrl(url), allowExitOnIdle: true };
    super(config);
    this.#config = config;
  }

  override async connect() {
    return patchPgAdapter(await super.connect());
  }

  override async connectToShadowDb() {
    const shadow = `prisma_shadow_${randomUUID().replace(/-/g, "")}`;
    const admin = new pg.Client(this.#config);
    await admin.connect();
    await admin.query(`CREATE DATABASE "${shadow}"`);
    const adapter = await new PrismaPg(new pg.Pool({ ...this.#config, database: shadow }), {
      disposeExternalPool: true,
    }).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      try {
        await dispose();
        await admin.query(`DROP DATABASE IF EXISTS "${shadow}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    };
    return patchPgAdapter(adapter);
  }
}
