import type { Db } from "../db-types";
import { rectificationDiff, snapshotHash, type CustomerRecord } from "../domain/rectification";
import type { Keyring } from "../security/keyring";
import type { AdminClient } from "../shopify-admin/admin-client.server";
import { fetchCustomerRecord } from "../shopify-admin/customer-record.server";
import { readRequestedChanges } from "./requests.server";

export interface ReviewEvidence {
  /** The customer as Shopify holds them now; what an erasure or correction would act on. */
  record: CustomerRecord | null;
  /** Posted back with the approval; the worker refuses to act if the record changed since. */
  snapshotHash: string | null;
  diff: { field: string; before: unknown; after: unknown }[] | null;
  problem: string | null;
}

export async function reviewEvidence(
  db: Db,
  keyring: Keyring,
  admin: () => AdminClient,
  request: {
    type: string;
    customerId: string | null;
    subjectId: string | null;
    changesCipher: string | null;
  },
): Promise<ReviewEvidence> {
  const changes = await readRequestedChanges(db, keyring, request);
  if (!request.customerId)
    return { record: null, snapshotHash: null, diff: null, problem: "The request names no Shopify customer" };
  let record: CustomerRecord | null;
  try {
    record = await fetchCustomerRecord(admin(), request.customerId);
  } catch (error) {
    return {
      record: null,
      snapshotHash: null,
      diff: null,
      problem: `Shopify could not be asked for the customer: ${(error as Error).message}`,
    };
  }
  return {
    record,
    snapshotHash: snapshotHash(record),
    diff: record && changes ? rectificationDiff(record, changes) : null,
    problem: record ? null : `Shopify has no customer ${request.customerId} (already deleted?)`,
  };
}
