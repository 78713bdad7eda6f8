import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SCHEMAS, writePostgresqlSchema } from "../prisma/schemas";

/**
 * Both Prisma clients (docs/decisions/011): SQLite's at the default place (@prisma/client), and
 * PostgreSQL's in node_modules/@privacy-desk/prisma-postgresql, from the schema derived from
 * prisma/schema.prisma. Neither is committed. `npm ci` (postinstall) generates both; `npm run
 * typecheck` regenerates whichever is older than its schema (`--if-stale`).
 *
 * PostgreSQL's client is made to load @prisma/client's runtime instead of the copy Prisma puts
 * next to it: raw SQL fragments (Prisma.sql, Prisma.join) are instances of the runtime's classes,
 * and a client only recognises its own runtime's, so with two copies every fragment built with
 * `Prisma` from @prisma/client became a bound parameter on PostgreSQL.
 */
const PG_CLIENT_DIR = "node_modules/@privacy-desk/prisma-postgresql";
const CLIENTS = [
  { schema: SCHEMAS.sqlite.schema, dir: "node_modules/.prisma/client" },
  { schema: SCHEMAS.postgresql.schema, dir: PG_CLIENT_DIR },
];

const ifStale = process.argv.includes("--if-stale");
writePostgresqlSchema();

for (const client of CLIENTS) {
  // Prisma reformats the schema it copies, so the stamp is a hash of the source it was made from.
  const stamp = path.join(client.dir, ".privacy-desk-source");
  const source = createHash("sha256").update(readFileSync(client.schema)).digest("hex");
  const upToDate = existsSync(stamp) && readFileSync(stamp, "utf8") === source;
  if (ifStale && upToDate) continue;
  const result = spawnSync(
    process.execPath,
    ["node_modules/prisma/build/index.js", "generate", "--schema", client.schema],
    { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, CHECKPOINT_DISABLE: "1" } },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
  if (client.dir === PG_CLIENT_DIR) loadSharedRuntime();
  writeFileSync(stamp, source);
}

function loadSharedRuntime() {
  for (const file of ["index.js", "index.d.ts"]) {
    const target = path.join(PG_CLIENT_DIR, file);
    const source = readFileSync(target, "utf8");
    const shared = source.replaceAll("'./runtime/client.js'", "'@prisma/client/runtime/client.js'");
    if (shared === source)
      throw new Error(`${target} no longer loads ./runtime/client.js: check generate-prisma.ts`);
    writeFileSync(target, shared);
  }
}
