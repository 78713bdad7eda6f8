import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { databaseProvider } from "../app/db-provider";

/**
 * Two providers, one source (docs/decisions/011). prisma/schema.prisma is the schema: SQLite's
 * datasource and every model. PostgreSQL's schema is derived from it by swapping the datasource
 * and the client's output, never edited by hand and not committed; postinstall, `npm run
 * typecheck`, `npm start` and the migration scripts write it before they use it.
 */
export const SCHEMAS = {
  sqlite: { schema: "prisma/schema.prisma", migrations: "prisma/migrations" },
  postgresql: { schema: "prisma/postgresql/schema.prisma", migrations: "prisma/postgresql/migrations" },
} as const;

export type Provider = keyof typeof SCHEMAS;

/** The provider a DATABASE_URL names: SQLite for file:, PostgreSQL for postgres:// or postgresql://. */
export function providerOf(databaseUrl: string): Provider {
  const provider = databaseProvider(databaseUrl);
  if (!provider) throw new Error("DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)");
  return provider;
}

const DATASOURCE = /datasource db \{[^}]*\}/;
const GENERATOR = /generator client \{[^}]*\}/;

/** PostgreSQL's schema: the same models under PostgreSQL's datasource and its own generated client. */
export function derivePostgresqlSchema(source: string): string {
  if (!DATASOURCE.test(source) || !GENERATOR.test(source))
    throw new Error(`${SCHEMAS.sqlite.schema} must keep its 'generator client' and 'datasource db' blocks`);
  const providerSpecific =
    /@db\.|\bJson\b|\b(String|Int|BigInt|Float|Decimal|Boolean|DateTime|Bytes)\[\]/.exec(
      source.replace(/\/\/.*$/gm, ""),
    );
  if (providerSpecific)
    throw new Error(
      `${SCHEMAS.sqlite.schema} uses '${providerSpecific[0]}', which only one provider has: models must stay provider-neutral (ADR 011)`,
    );
  return [
    "// GENERATED from prisma/schema.prisma by prisma/schemas.ts: edit that file, never this one.",
    "",
    source
      .replace(
        GENERATOR,
        [
          "generator client {",
          '  provider   = "prisma-client-js"',
          '  engineType = "client"',
          '  output     = "../../node_modules/@privacy-desk/prisma-postgresql"',
          "}",
        ].join("\n"),
      )
      .replace(
        DATASOURCE,
        [
          "datasource db {",
          '  provider = "postgresql"',
          '  url      = "postgresql://localhost/unused"',
          "}",
        ].join("\n"),
      ),
  ].join("\n");
}

/** Writes PostgreSQL's schema if it is missing or out of date; returns its path. */
export function writePostgresqlSchema(root = "."): string {
  const target = `${root}/${SCHEMAS.postgresql.schema}`;
  const derived = derivePostgresqlSchema(readFileSync(`${root}/${SCHEMAS.sqlite.schema}`, "utf8"));
  if (!existsSync(target) || readFileSync(target, "utf8") !== derived) writeFileSync(target, derived);
  return target;
}
