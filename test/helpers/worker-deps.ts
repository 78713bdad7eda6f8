import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ExportStorage } from "../../app/exports/export-store.server";
import type { AdminClient } from "../../app/shopify-admin/admin-client.server";

let storage: ExportStorage | undefined;

/** A temporary export directory for this test file, 7-day retention. */
export function testExportStorage(): ExportStorage {
  storage ??= { dir: mkdtempSync(path.join(tmpdir(), "privacy-desk-exports-")), retentionDays: 7 };
  return storage;
}

/** For workers in tests that must not reach Shopify: any Admin API call fails the job loudly. */
export const noAdminApi = (shop: string): AdminClient => {
  throw new Error(`This test did not expect an Admin API call for ${shop}`);
};
