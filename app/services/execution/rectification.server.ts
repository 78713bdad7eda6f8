import { rectificationDiff } from "../../domain/rectification";
import { customerGid } from "../../shopify-admin/customer-record.server";
import { readRequestedChanges } from "../requests.server";
import { openSubject } from "../subjects.server";
import type { ExecutionContext } from "./execution-context";
import { recordStillAsReviewed } from "./review-guard.server";
import {
  failRequest,
  payloadOf,
  recordOutcome,
  shopDomainOf,
  startIfApproved,
  type RequestRow,
} from "./request-steps.server";

/**
 * Rectification: check (valid corrections for a Shopify customer, the record as reviewed) → act
 * (customerUpdate) → record (the before/after, sealed with the person's key, in the completion
 * event). Shopify's userErrors fail the request with Shopify's words for the merchant.
 */
export async function executeRectification(ctx: ExecutionContext, approved: RequestRow): Promise<void> {
  const subject = approved.subjectId ? await openSubject(ctx.db, ctx.keyring, approved.subjectId) : null;
  const changes = await readRequestedChanges(ctx.db, ctx.keyring, approved);
  if (!subject || !changes || !approved.customerId) {
    return failRequest(ctx, approved, "The request holds no valid corrections for a Shopify customer");
  }
  const request = await startIfApproved(ctx, approved);
  const shopDomain = await shopDomainOf(ctx, request);
  const check = await recordStillAsReviewed(ctx, request, shopDomain);
  if (!check.ok) return;
  if (!check.record) return failRequest(ctx, request, "The customer no longer exists in Shopify");

  const { data } = await ctx.admin(shopDomain).request("CustomerUpdate", {
    input: { id: customerGid(approved.customerId), ...changes },
  });
  const { userErrors } = payloadOf(data.customerUpdate, "customerUpdate");
  if (userErrors.length) {
    return failRequest(
      ctx,
      request,
      `Shopify refused the correction: ${userErrors.map((e) => e.message).join("; ")}`,
      {
        shopifyUserErrors: userErrors,
      },
    );
  }
  const diff = rectificationDiff(check.record, changes);
  await recordOutcome(ctx, request, "complete", {
    data: { fieldsChanged: diff.map((change) => change.field) },
    pii: { subject, values: { changes: diff } },
  });
}
