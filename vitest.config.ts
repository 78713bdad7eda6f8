import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    setupFiles: ["test/setup/test-env.ts"],
    reporters: ["default", "./test/setup/plain-summary-reporter.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
