import "./production-default";
import { loadDotEnv } from "../app/env.server";
import { applyMigrations } from "./migrate";

// `npm start`: apply pending migrations, then serve. A failed migration stops the start.
loadDotEnv();
try {
  await applyMigrations(process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite", {
    echo: (text) => process.stdout.write(text),
  });
} catch (error) {
  process.stderr.write(`${(error as Error).message}\nDatabase migration failed; not starting.\n`);
  process.exit(1);
}
await import("./main");
