import { customerGid } from "../../shopify-admin/customer-record.server";
import { redactAppData } from "./app-redaction.server";
import type { ExecutionContext } from "./execution-context";
import { recordStillAsReviewed } from "./review-guard.server";
import {
  failRequest,
  payloadOf,
  shopDomainOf,
  startIfApproved,
  type RequestRow,
} from "./request-steps.server";

/**
 * A merchant-approved erasure: check (a customer id, the record as reviewed) → act (Shopify's own
 * erasure flow, customerRequestDataErasure) → record (what the app holds goes too, as for
 * customers/redact). DOES_NOT_EXIST completes with that recorded; any other refusal is thrown, so
 * the worker retries it and, once retries are spent, fails the request with Shopify's message.
 */
export async function executeShopifyErasure(ctx: ExecutionContext, approved: RequestRow): Promise<void> {
  if (!approved.customerId) return failRequest(ctx, approved, "No Shopify customer id to erase");
  const request = await startIfApproved(ctx, approved);
  const shopDomain = await shopDomainOf(ctx, request);
  if (!(await recordStillAsReviewed(ctx, request, shopDomain)).ok) return;

  const { data } = await ctx.admin(shopDomain).request("CustomerRequestDataErasure", {
    customerId: customerGid(request.customerId!),
  });
  const errors = payloadOf(data.customerRequestDataErasure, "customerRequestDataErasure").userErrors;
  const refused = errors.find((error) => error.code !== "DOES_NOT_EXIST");
  if (refused) throw new Error(`Shopify could not start the erasure: ${refused.message}`);
  await redactAppData(ctx, request, { erasure: errors.length ? "customer_does_not_exist" : "requested" });
}
