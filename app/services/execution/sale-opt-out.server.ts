import { createSubjectReader } from "../subjects.server";
import type { ExecutionContext } from "./execution-context";
import {
  failRequest,
  payloadOf,
  recordOutcome,
  shopDomainOf,
  startIfApproved,
  type RequestRow,
} from "./request-steps.server";

/**
 * CCPA "do not sell or share": check (an email to opt out) → act (Shopify's dataSaleOptOut, which
 * treats a repeat as a no-op, so a run after a crash is safe) → record. A refusal (userErrors)
 * fails the request with Shopify's message for the merchant.
 */
export async function executeSaleOptOut(ctx: ExecutionContext, approved: RequestRow): Promise<void> {
  const email = await createSubjectReader(ctx.db, ctx.keyring)(
    approved.subjectId,
    "email",
    approved.emailCipher,
  );
  if (!email) return failRequest(ctx, approved, "The request has no email address to opt out");
  const request = await startIfApproved(ctx, approved);
  const { data } = await ctx.admin(await shopDomainOf(ctx, request)).request("DataSaleOptOut", { email });
  const { customerId, userErrors } = payloadOf(data.dataSaleOptOut, "dataSaleOptOut");
  if (userErrors.length) {
    return failRequest(
      ctx,
      request,
      `Shopify refused the opt-out: ${userErrors.map((e) => e.message).join("; ")}`,
      {
        shopifyUserErrors: userErrors,
      },
    );
  }
  await recordOutcome(ctx, request, "complete", { data: { shopify: { dataSaleOptOut: true, customerId } } });
}
