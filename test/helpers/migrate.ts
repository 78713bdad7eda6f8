import { fileURLToPath } from "node:url";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

/** Applies the committed migrations, in order, the same SQL `prisma migrate deploy` runs. */
export function migrateSqliteFile(file: string): void {
  const db = new Database(file);
  try {
    for (const dir of readdirSync(MIGRATIONS_DIR)
      .filter((entry) => /^\d{14}_/.test(entry))
      .sort()) {
      db.exec(readFileSync(path.join(MIGRATIONS_DIR, dir, "migration.sql"), "utf8"));
    }
  } finally {
    db.close();
  }
}
