import path from "node:path";
import pg from "pg";
import { applyMigrations } from "../server/migrate";
import { startCluster, stopCluster } from "./lib/pg-cluster";

/**
 * `npm run db:pg`: a PostgreSQL for development on this machine, from Debian's package
 * (apt-get install -y postgresql): a private cluster in data/postgres (git-ignored) on 127.0.0.1,
 * the database `privacy_desk` with every migration applied, and the DATABASE_URL to use.
 *   npm run db:pg            start (or reuse) it and print DATABASE_URL
 *   npm run db:pg -- stop    stop it (the data stays in data/postgres)
 */
const DIR = path.resolve("data/postgres");
const DATABASE = "privacy_desk";

if (process.argv.includes("stop")) {
  process.stdout.write(
    stopCluster(DIR)
      ? `Stopped the PostgreSQL cluster in ${DIR}.\n`
      : `No PostgreSQL is running in ${DIR}.\n`,
  );
  process.exit(0);
}
const cluster = await startCluster({ dir: DIR, log: (line) => process.stderr.write(`${line}\n`) });

const admin = new pg.Client({ connectionString: cluster.url("postgres") });
await admin.connect();
const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE]);
if (!rowCount) await admin.query(`CREATE DATABASE "${DATABASE}"`);
await admin.end();

await applyMigrations(cluster.url(DATABASE));
process.stdout.write(
  [
    `PostgreSQL ${DIR} is listening on 127.0.0.1:${cluster.port}, migrated. Use it with:`,
    "",
    `  DATABASE_URL='${cluster.url(DATABASE)}'`,
    "",
    "(put that line in .env, or export it); `npm run db:pg -- stop` stops the cluster.",
    "",
  ].join("\n"),
);
