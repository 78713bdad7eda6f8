import { fileURLToPath } from "node:url";
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

/**
 * Applies the committed migrations, in order, the same SQL `prisma migrate deploy` runs, and
 * records each in `_prisma_migrations` the way Prisma does (sha256 of the file as the checksum),
 * so the database looks migrated to /readyz and to a later `migrate deploy`.
 */
export function migrateSqliteFile(file: string): void {
  const db = new Database(file);
  try {
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
    const record = db.prepare(
      `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "started_at", "applied_steps_count") VALUES (?, ?, ?, ?, ?, 1)`,
    );
    for (const dir of readdirSync(MIGRATIONS_DIR)
      .filter((entry) => /^\d{14}_/.test(entry))
      .sort()) {
      const sql = readFileSync(path.join(MIGRATIONS_DIR, dir, "migration.sql"), "utf8");
      const startedAt = new Date().toISOString().replace("Z", "+00:00");
      db.exec(sql);
      const finishedAt = new Date().toISOString().replace("Z", "+00:00");
      record.run(randomUUID(), createHash("sha256").update(sql).digest("hex"), finishedAt, dir, startedAt);
    }
  } finally {
    db.close();
  }
}
