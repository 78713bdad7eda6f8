import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

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
