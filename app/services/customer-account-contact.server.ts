import { customerGid } from "../shopify-admin/customer-record.server";
import type { ExecutionContext } from "./execution/execution-context";
import { emailHashFor, openSubject, sealFor } from "./subjects.server";

/**
 * A request filed from the customer account page knows its customer only by the id in Shopify's
 * session token. This job reads where and how to write to them (the account's default address
 * and its language) from the Admin API and seals the address with the person's key, so the
 * request has it like any other. Nothing happens for a request that is gone, whose person was
 * erased meanwhile, or that already has its address (a retried job).
 */
export async function recordAccountContact(
  ctx: ExecutionContext,
  payload: { shopId: string; requestId: string },
): Promise<{ recorded: boolean; locale: string | null }> {
  const request = await ctx.db.privacyRequest.findFirst({
    where: { id: payload.requestId, shopId: payload.shopId },
    include: { shop: { select: { domain: true } } },
  });
  if (!request?.customerId || !request.subjectId || request.redactedAt || request.emailCipher)
    return { recorded: false, locale: null };
  const { data } = await ctx
    .admin(request.shop.domain)
    .request("CustomerContact", { customerId: customerGid(request.customerId) });
  const email = data.customer?.defaultEmailAddress?.emailAddress ?? null;
  const locale = data.customer?.locale ?? null;
  if (!email) return { recorded: false, locale };
  const recorded = await ctx.db.$transaction(async (tx) => {
    const subject = await openSubject(tx, ctx.keyring, request.subjectId!);
    if (!subject) return false;
    const emailHash = emailHashFor(ctx.keyring, email);
    const { count } = await tx.privacyRequest.updateMany({
      where: { id: request.id, shopId: request.shopId, emailCipher: null, redactedAt: null },
      data: { emailCipher: sealFor(subject, "email", email), emailHash },
    });
    // An erasure by email address must find this person's subject too.
    await tx.dataSubject.updateMany({ where: { id: subject.id, emailHash: null }, data: { emailHash } });
    return count === 1;
  });
  return { recorded, locale };
}
