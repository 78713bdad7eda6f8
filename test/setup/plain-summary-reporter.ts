import type { Reporter, TestModule } from "vitest/node";

/**
 * Ends the run with one plain `N passed, N failed, N skipped on <database>` line that any CI log
 * reader can parse (the suite runs on SQLite, and its integration tests again on PostgreSQL).
 */
export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed += 1;
        else if (state === "failed") failed += 1;
        else skipped += 1;
      }
    }
    const database = process.env.TEST_DATABASE === "postgresql" ? "postgresql" : "sqlite";
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped on ${database}\n`);
  }
}
