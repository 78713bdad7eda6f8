import pg from "pg";
import type { TestProject } from "vitest/node";
import { startCluster, THROWAWAY_SETTINGS, type PgCluster } from "../../scripts/lib/pg-cluster";
import { applyMigrations } from "../../server/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    postgresTemplate: string;
  }
}

export const TEMPLATE = "privacy_desk_template";

/**
 * The PostgreSQL run of the integration suite (TEST_DATABASE=postgresql): a private throwaway
 * cluster (or TEST_POSTGRES_URL's server, e.g. the one `npm run db:pg` starts), a template
 * database migrated by `prisma migrate deploy` exactly as `npm start` does, and every test file
 * gets its own copy of it (test/setup/test-env.ts).
 */
export default async function setup(project: TestProject) {
  let cluster: PgCluster | null = null;
  let adminUrl = process.env.TEST_POSTGRES_URL;
  if (!adminUrl) {
    cluster = await startCluster({ settings: THROWAWAY_SETTINGS });
    adminUrl = cluster.url("postgres");
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${TEMPLATE}"`);
  } finally {
    await admin.end();
  }
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE}`;
  await applyMigrations(templateUrl.toString());

  project.provide("postgresAdminUrl", adminUrl);
  project.provide("postgresTemplate", TEMPLATE);
  return () => {
    cluster?.stop();
  };
}
