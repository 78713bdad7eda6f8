import { OPEN_STATUSES, type RequestStatus } from "../../domain/request-lifecycle";
import { isStorefrontLocale } from "../../domain/storefront-texts";
import { PermanentJobError } from "../../queue/job-kinds";
import { customerGid } from "../../shopify-admin/customer-record.server";
import { appendAuditEvent } from "../audit-log.server";
import { enqueueEmail } from "../email/outbox.server";
import type { ExecutionContext } from "../execution/execution-context";
import { permanentReason } from "../execution/request-execution.server";
import { approveRequest, transitionRequest } from "../requests.server";
import { createSubjectReader, emailHashFor, openSubject, sealFor } from "../subjects.server";
import { STOREFRONT } from "./storefront-requests.server";

const numericCustomerId = (gid: string) => /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(gid)?.[1] ?? null;

/**
 * The `storefront_lookup` job: what Shopify knows about the person behind a storefront request,
 * asked after the shopper's page was answered (ADR 010).
 * - A typed address: is it a customer's? Their id goes on the request, or the trail records that
 *   the store has no such customer, and the merchant reviews the request as that.
 * - A logged-in customer (form or privacy signal): the account's own address, where the code and
 *   the receipt go.
 * Then the next step: the code email for a logged-in customer, a receipt, or carrying out a
 * sale/share opt-out, which needs no review.
 */
export async function lookUpStorefrontRequest(
  ctx: ExecutionContext,
  ids: { shopId: string; requestId: string },
): Promise<void> {
  const request = await ctx.db.privacyRequest.findFirst({
    where: { id: ids.requestId, shopId: ids.shopId },
    include: { shop: { select: { domain: true, name: true } } },
  });
  if (!request || !OPEN_STATUSES.includes(request.status as RequestStatus)) return;
  const subject = request.subjectId ? await openSubject(ctx.db, ctx.keyring, request.subjectId) : null;
  if (!subject) return; // erased meanwhile: nothing left to look up or to send

  try {
    const admin = ctx.admin(request.shop.domain);
    const shopName = request.shop.name ?? (await admin.request("ShopName", {})).data.shop.name;

    let email: string | null = null;
    let customerId = request.customerId;
    let found: boolean;
    if (customerId) {
      const { data } = await admin.request("CustomerContactEmail", { customerId: customerGid(customerId) });
      found = data.customer !== null;
      email = data.customer?.defaultEmailAddress?.emailAddress ?? null;
    } else {
      const sealed = await createSubjectReader(ctx.db, ctx.keyring)(
        request.subjectId,
        "email",
        request.emailCipher,
      );
      if (!sealed) return;
      const { data } = await admin.request("CustomerByEmail", { email: sealed });
      customerId = data.customerByIdentifier ? numericCustomerId(data.customerByIdentifier.id) : null;
      found = customerId !== null;
    }

    await ctx.db.$transaction(async (tx) => {
      const now = ctx.now();
      const current = await tx.privacyRequest.findFirst({
        where: { id: request.id, shopId: request.shopId },
        select: { status: true },
      });
      if (!current || !OPEN_STATUSES.includes(current.status as RequestStatus)) return;
      if (!request.shop.name)
        await tx.shop.update({ where: { id: request.shopId }, data: { name: shopName } });
      if (customerId !== request.customerId || email)
        await tx.privacyRequest.update({
          where: { id: request.id },
          data: {
            customerId,
            ...(email
              ? { emailCipher: sealFor(subject, "email", email), emailHash: emailHashFor(ctx.keyring, email) }
              : {}),
          },
        });
      if (customerId)
        await tx.dataSubject.updateMany({
          where: { id: subject.id, customerId: null },
          data: { customerId },
        });
      await appendAuditEvent(tx, ctx.keyring, {
        shopId: request.shopId,
        requestId: request.id,
        actor: STOREFRONT,
        action: "request.customer_lookup",
        occurredAt: now,
        data: {
          by: request.customerId ? "logged_in_customer" : "email",
          customerFound: found,
          ...(customerId ? { customerId } : {}),
          ...(request.customerId ? { accountHasEmail: email !== null } : {}),
        },
      });

      const locale = isStorefrontLocale(request.locale) ? request.locale : "en";
      const loggedIn = request.customerId !== null;
      const verification = await tx.storefrontVerification.findFirst({
        where: { requestId: request.id, shopId: request.shopId },
        select: { method: true },
      });
      const method = verification?.method;
      const mail = (template: "verification_code" | "request_received") =>
        enqueueEmail(tx, { shopId: request.shopId, requestId: request.id, template, locale, now });

      if (request.type === "sale_opt_out") {
        if (loggedIn && email && request.source === "storefront") await mail("request_received");
        if (current.status !== "pending_review") return;
        const move = (
          event: "approve" | "start" | "complete" | "fail",
          extra: { reason?: string; data?: Record<string, unknown> } = {},
        ) =>
          transitionRequest(tx, ctx.keyring, {
            shopId: request.shopId,
            requestId: request.id,
            event,
            actor: STOREFRONT,
            now,
            ...extra,
          });
        if (customerId && (email || !loggedIn)) {
          // No review: CCPA opt-outs are honoured as asked. Approval queues the execution.
          await approveRequest(tx, ctx.keyring, {
            shopId: request.shopId,
            requestId: request.id,
            actor: STOREFRONT,
            now,
          });
        } else if (!loggedIn) {
          // Nobody in Shopify has the address: nothing to opt out there. The request stays as the
          // record of the shopper's choice, and says why it did not go to Shopify.
          await move("approve");
          await move("start");
          await move("complete", {
            data: {
              shopify: { dataSaleOptOut: false, reason: "no customer in Shopify has this email address" },
            },
          });
        } else {
          // A logged-in customer without an address (or gone): Shopify's opt-out works by address only.
          await move("approve");
          await move("fail", {
            reason: found
              ? "The customer's account has no email address, and Shopify's opt-out (dataSaleOptOut) works by address: record the opt-out in Shopify by hand"
              : `Shopify has no customer ${request.customerId} any more`,
          });
        }
        return;
      }

      if (!loggedIn) return; // the code (or the receipt) to a typed address went with the request
      if (method === "email_code") {
        if (email) await mail("verification_code");
        else
          await appendAuditEvent(tx, ctx.keyring, {
            shopId: request.shopId,
            requestId: request.id,
            actor: STOREFRONT,
            action: "request.verification_needs_staff",
            occurredAt: now,
            data: { reason: "The customer's account has no email address to send a code to: verify by hand" },
          });
      } else if ((method === "staff" || method === "account") && email) await mail("request_received");
    });
  } catch (error) {
    const permanent = permanentReason(error);
    throw permanent ? new PermanentJobError(permanent) : error;
  }
}

/**
 * The lookup could not be done (retries spent, or a refusal only the merchant can lift): the trail
 * says so on the request, and an opt-out is carried out anyway, by the address the shopper gave.
 */
export async function lookupGaveUp(
  ctx: ExecutionContext,
  ids: { shopId: string; requestId: string },
  reason: string,
): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    const request = await tx.privacyRequest.findFirst({ where: { id: ids.requestId, shopId: ids.shopId } });
    if (!request || !OPEN_STATUSES.includes(request.status as RequestStatus)) return;
    await appendAuditEvent(tx, ctx.keyring, {
      shopId: ids.shopId,
      requestId: ids.requestId,
      actor: STOREFRONT,
      action: "request.customer_lookup_failed",
      occurredAt: ctx.now(),
      data: { reason },
    });
    if (request.type === "sale_opt_out" && request.status === "pending_review")
      await approveRequest(tx, ctx.keyring, {
        shopId: ids.shopId,
        requestId: ids.requestId,
        actor: STOREFRONT,
        now: ctx.now(),
      });
  });
}
