import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setupServer } from "msw/node";
import { afterAll } from "vitest";
import { migrateSqliteFile } from "../helpers/migrate";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL, TEST_ENCRYPTION_KEY } from "../helpers/constants";

// Each test file gets its own freshly migrated SQLite database.
const dir = mkdtempSync(path.join(tmpdir(), "privacy-desk-test-"));
const databaseFile = path.join(dir, "test.sqlite");
migrateSqliteFile(databaseFile);

Object.assign(process.env, {
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  SHOPIFY_API_KEY: TEST_API_KEY,
  SHOPIFY_API_SECRET: TEST_API_SECRET,
  SHOPIFY_APP_URL: TEST_APP_URL,
  ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
  DATABASE_URL: `file:${databaseFile}`,
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
afterAll(() => mswServer.close());
