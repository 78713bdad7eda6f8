import type { Db } from "../db-types";
import type { ExportStorage } from "../exports/export-store.server";
import type { Keyring } from "../security/keyring";
import type { AdminClient } from "../shopify-admin/admin-client.server";
import type { JobKind, JobPayload } from "./job-kinds";

export interface JobContext {
  db: Db;
  keyring: Keyring;
  exports: ExportStorage;
  /** An Admin API client for a shop (its offline session); injected so tests use the simulator. */
  admin: (shopDomain: string) => AdminClient;
  now: () => Date;
  /** This run is the job's last attempt: a failure now is final. */
  lastAttempt: boolean;
}

/** A failure that retrying cannot fix: the job is marked failed at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}

export type JobHandler<K extends JobKind> = (ctx: JobContext, payload: JobPayload<K>) => Promise<void>;
export type JobHandlers = { [K in JobKind]: JobHandler<K> };
