import { getEnv, type StorageEnv } from "./env.server";
import type { ExportStorage } from "./exports/export-store.server";
import { createKeyring, type Keyring } from "./security/keyring";

export function exportStorageFromEnv(env: StorageEnv): ExportStorage {
  return {
    dir: env.EXPORT_DIR,
    retentionDays: env.EXPORT_RETENTION_DAYS,
    bulkAboveOrders: env.EXPORT_BULK_ABOVE_ORDERS,
  };
}

export function keyringFromEnv(env: StorageEnv): Keyring {
  return createKeyring(env.ENCRYPTION_KEY, env.ENCRYPTION_KEYS_RETIRED);
}

let keyring: Keyring | undefined;

export function getKeyring(): Keyring {
  keyring ??= keyringFromEnv(getEnv());
  return keyring;
}

/** Where the web process keeps and reads encrypted exports. */
export function getExportStorage(): ExportStorage {
  return exportStorageFromEnv(getEnv());
}
