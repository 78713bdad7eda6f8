import { loadDotEnv } from "../app/env.server";
import { applyMigrations } from "./migrate";

// `npm run db:deploy`: applies pending migrations to DATABASE_URL (SQLite or PostgreSQL) and
// exits. `npm start` does the same before serving; with several instances, run this once per
// release and start them with `npm run serve` (README "Running at scale").
loadDotEnv();
try {
  await applyMigrations(process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite", {
    echo: (text) => process.stdout.write(text),
  });
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
