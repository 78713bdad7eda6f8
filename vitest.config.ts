import { defineConfig } from "vitest/config";

// TEST_DATABASE=postgresql runs the same tests on PostgreSQL (npm run test:postgresql): a private
// cluster started by the global setup, a fresh database per test file (docs/decisions/011).
const postgresql = process.env.TEST_DATABASE === "postgresql";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    globalSetup: postgresql ? ["test/setup/postgresql-global.ts"] : [],
    setupFiles: ["test/setup/test-env.ts"],
    reporters: ["default", "./test/setup/plain-summary-reporter.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
