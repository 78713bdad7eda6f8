import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ExportStorage } from "../../app/exports/export-store.server";

let storage: ExportStorage | undefined;

/** A temporary export directory for this test file, 7-day retention. */
export function testExportStorage(): ExportStorage {
  storage ??= { dir: mkdtempSync(path.join(tmpdir(), "privacy-desk-exports-")), retentionDays: 7 };
  return storage;
}
