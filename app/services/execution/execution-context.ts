import type { Db } from "../../db-types";
import type { ExportStorage } from "../../exports/export-store.server";
import type { Keyring } from "../../security/keyring";
import type { AdminClient } from "../../shopify-admin/admin-client.server";

/** What an executor needs, injected so tests run it against a real database and the simulator. */
export interface ExecutionContext {
  db: Db;
  keyring: Keyring;
  exports: ExportStorage;
  /** An Admin API client for a shop, with its offline session. */
  admin: (shopDomain: string) => AdminClient;
  now: () => Date;
}
