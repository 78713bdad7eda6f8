import { spawn } from "node:child_process";
import pg from "pg";
import { databaseProvider } from "../app/db-provider";
import { APPLIED_MIGRATIONS_SQL, pendingMigrations, shippedMigrations } from "../app/migrations.server";
import { writePostgresqlSchema } from "../prisma/schemas";

const PRISMA = "node_modules/prisma/build/index.js";
const DONE = /All migrations have been successfully applied|No pending migrations to apply/;

/**
 * `prisma migrate deploy` for DATABASE_URL's provider (prisma.config.ts picks the schema, the
 * migrations and the adapter). Resolves once every shipped migration is applied; rejects with the
 * CLI's output otherwise.
 *
 * On PostgreSQL the Prisma 6.19 CLI (JavaScript schema engine) leaves a 10-second timer running
 * after it has finished, so the process only exits 10 s after its work is done (ADR 011). Once the
 * CLI has printed that it is done AND the database's _prisma_migrations shows every shipped
 * migration finished, the CLI is stopped instead of waited for. Nothing is trusted from the output
 * alone.
 */
export async function applyMigrations(
  databaseUrl: string,
  options: { env?: NodeJS.ProcessEnv; echo?: (text: string) => void } = {},
): Promise<void> {
  const env = options.env ?? process.env;
  const provider = databaseProvider(databaseUrl);
  if (!provider) throw new Error("DATABASE_URL must start with file: or postgresql://");
  if (provider === "postgresql") writePostgresqlSchema();
  const child = spawn(process.execPath, [PRISMA, "migrate", "deploy"], {
    env: { ...env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    options.echo?.(chunk.toString());
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  if (provider === "postgresql") {
    const stopped = await stopWhenApplied(databaseUrl, () => DONE.test(output), exited);
    if (stopped) {
      child.kill("SIGTERM");
      await exited;
      return;
    }
  }
  const code = await exited;
  if (code !== 0) throw new Error(`prisma migrate deploy failed (exit ${code}):\n${output}`);
}

/** True once the CLI says it is done and the database agrees; false if the CLI exited first. */
async function stopWhenApplied(
  databaseUrl: string,
  cliSaysDone: () => boolean,
  exited: Promise<number | null>,
): Promise<boolean> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const shipped = shippedMigrations("postgresql");
  while (!hasExited) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (!cliSaysDone()) continue;
    const client = new pg.Client({ connectionString: databaseUrl });
    try {
      await client.connect();
      const { rows } = await client.query<{ migration_name: string }>(APPLIED_MIGRATIONS_SQL);
      if (
        pendingMigrations(
          shipped,
          rows.map((row) => row.migration_name),
        ).length === 0
      )
        return true;
    } finally {
      await client.end();
    }
  }
  return false;
}
