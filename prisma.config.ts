import { defineConfig } from "prisma/config";
import { PrismaCliPg, PrismaCliSQLite } from "./prisma/cli-adapter";
import { providerOf, SCHEMAS, writePostgresqlSchema } from "./prisma/schemas";

// The Prisma CDN is unreachable here, so the CLI runs on the JavaScript engine through a driver
// adapter (docs/decisions/002). DATABASE_URL chooses the provider, its schema and its migrations
// (docs/decisions/011): file: is SQLite (the default), postgresql:// is PostgreSQL.
const url = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite";
const provider = providerOf(url);
if (provider === "postgresql") writePostgresqlSchema();

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: SCHEMAS[provider].schema,
  async adapter() {
    return provider === "postgresql" ? new PrismaCliPg(url) : new PrismaCliSQLite({ url });
  },
});
