import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setupServer } from "msw/node";
import pg from "pg";
import { afterAll, afterEach, beforeEach, inject } from "vitest";
import { migrateSqliteFile } from "../helpers/migrate";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL, TEST_ENCRYPTION_KEY } from "../helpers/constants";

// Each test file gets its own freshly migrated database: a SQLite file, or on the PostgreSQL run
// (TEST_DATABASE=postgresql, see test/setup/postgresql-global.ts) a copy of the migrated template.
const dir = mkdtempSync(path.join(tmpdir(), "privacy-desk-test-"));

async function freshDatabaseUrl(): Promise<string> {
  if (process.env.TEST_DATABASE !== "postgresql") {
    const databaseFile = path.join(dir, "test.sqlite");
    migrateSqliteFile(databaseFile);
    return `file:${databaseFile}`;
  }
  const adminUrl = inject("postgresAdminUrl");
  const name = `test_${randomUUID().replace(/-/g, "")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${inject("postgresTemplate")}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

Object.assign(process.env, {
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  SHOPIFY_API_KEY: TEST_API_KEY,
  SHOPIFY_API_SECRET: TEST_API_SECRET,
  SHOPIFY_APP_URL: TEST_APP_URL,
  ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
  DATABASE_URL: await freshDatabaseUrl(),
  EXPORT_DIR: path.join(dir, "exports"),
  CHECKPOINT_DISABLE: "1",
});

// Listening at import time, before any test imports @shopify/shopify-api (which captures fetch).
// No handler by default: a request to anywhere but this machine (the servers the e2e tests
// start) fails the test.
export const mswServer = setupServer();
mswServer.listen({
  onUnhandledRequest(request, print) {
    const { hostname } = new URL(request.url);
    if (hostname !== "127.0.0.1" && hostname !== "localhost") print.error();
  },
});
// Handlers a test adds (server.use) end with it, for every test file, in one place.
afterEach(() => mswServer.resetHandlers());
afterAll(() => mswServer.close());

/**
 * An unexpected console.error fails the test that caused it (React warnings, msw's unhandled
 * request, a library complaining): a test that expects one says so with allowConsoleErrors().
 */
const consoleErrors: unknown[][] = [];
let consoleErrorsAllowed = false;
const originalConsoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  consoleErrors.push(args);
  originalConsoleError(...args);
};
beforeEach(() => {
  consoleErrors.length = 0;
  consoleErrorsAllowed = false;
});
afterEach(() => {
  if (consoleErrorsAllowed || consoleErrors.length === 0) return;
  const first = consoleErrors[0]!.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(" ");
  throw new Error(
    `console.error was called ${consoleErrors.length} time(s) during this test; the first: ${first.slice(0, 500)}`,
  );
});

/** For a test that provokes console.error on purpose. */
export function allowConsoleErrors(): void {
  consoleErrorsAllowed = true;
}
