import { snapshotHash, type CustomerRecord } from "../../domain/rectification";
import { fetchCustomerRecord } from "../../shopify-admin/customer-record.server";
import type { ExecutionContext } from "./execution-context";
import { recordOutcome, type RequestRow } from "./request-steps.server";

export const RECORD_CHANGED_SINCE_REVIEW =
  "The customer's record in Shopify changed after it was reviewed; review it again before approving";

/**
 * Erasure and rectification change the customer in Shopify, so they act only on the record the
 * merchant approved: re-read it, and if it is not that record, send the request back to review
 * (with the snapshot cleared, so the merchant must look again) and change nothing.
 */
export async function recordStillAsReviewed(
  ctx: ExecutionContext,
  request: RequestRow,
  shopDomain: string,
): Promise<{ ok: true; record: CustomerRecord | null } | { ok: false }> {
  const record = await fetchCustomerRecord(ctx.admin(shopDomain), request.customerId!);
  if (snapshotHash(record) === request.reviewedSnapshotHash) return { ok: true, record };
  await recordOutcome(
    ctx,
    request,
    "return_to_review",
    { reason: RECORD_CHANGED_SINCE_REVIEW },
    async (tx) => {
      await tx.privacyRequest.updateMany({
        where: { id: request.id, shopId: request.shopId },
        data: { reviewedSnapshotHash: null },
      });
    },
  );
  return { ok: false };
}
