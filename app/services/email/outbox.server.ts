import { randomUUID } from "node:crypto";
import type { Tx } from "../../db-types";
import type { RequesterNotice } from "../../domain/requester-notices";
import { DEFAULT_LOCALE, isStorefrontLocale, type StorefrontLocale } from "../../domain/storefront-texts";
import { teamEmailLanguageOf } from "../../domain/team-email-texts";
import { enqueueJob } from "../../queue/job-queue.server";
import type { StaffNotice } from "./staff-notice-email";
import type { EmailTemplate } from "./templates";

/**
 * Attempts per template. A code is worth sending for its 15 minutes only (2 s doubling: the sixth
 * try is about a minute after the first); a receipt is kept trying for about two hours.
 */
const MAX_ATTEMPTS: Record<EmailTemplate, number> = {
  verification_code: 6,
  download_code: 6,
  request_received: 20,
  request_extended: 20,
  request_denied: 20,
  request_completed: 20,
  export_ready: 20,
  staff_review_needed: 20,
  staff_request_failed: 20,
};

/**
 * Queues an email in the caller's transaction: a row saying what to send, and the job that sends
 * it. Neither holds the address, the code or any other personal data (job payloads are ids).
 */
export async function enqueueEmail(
  tx: Tx,
  input: {
    shopId: string;
    requestId: string;
    /** The emailed export link a download code belongs to. */
    linkId?: string;
    template: EmailTemplate;
    locale: StorefrontLocale;
    now: Date;
  },
): Promise<{ emailId: string }> {
  const emailId = randomUUID();
  await tx.outboundEmail.create({
    data: {
      id: emailId,
      shopId: input.shopId,
      requestId: input.requestId,
      linkId: input.linkId ?? null,
      template: input.template,
      locale: input.locale,
      status: "queued",
      createdAt: input.now,
    },
  });
  await enqueueJob(tx, {
    shopId: input.shopId,
    kind: "send_email",
    payload: { shopId: input.shopId, emailId },
    runAt: input.now,
    maxAttempts: MAX_ATTEMPTS[input.template],
  });
  return { emailId };
}

/** Queues a progress email to the requester, in the language they used (English if unknown). */
export function enqueueRequesterNotice(
  tx: Tx,
  request: { id: string; shopId: string; locale: string | null },
  template: RequesterNotice,
  now: Date,
): Promise<{ emailId: string }> {
  return enqueueEmail(tx, {
    shopId: request.shopId,
    requestId: request.id,
    template,
    locale: isStorefrontLocale(request.locale) ? request.locale : DEFAULT_LOCALE,
    now,
  });
}

/**
 * Tells the shop's notification addresses (Settings) about a request, in the caller's
 * transaction, in the shop's team email language; nothing is queued for a shop without addresses.
 */
export async function enqueueStaffNotice(
  tx: Tx,
  request: { id: string; shopId: string },
  template: StaffNotice,
  now: Date,
): Promise<void> {
  const settings = await tx.shopSettings.findUnique({
    where: { shopId: request.shopId },
    select: { notificationEmails: true, teamEmailLanguage: true },
  });
  if (!settings || settings.notificationEmails === "[]") return;
  await enqueueEmail(tx, {
    shopId: request.shopId,
    requestId: request.id,
    template,
    // A record of the language it was queued in; the send reads the setting again, as it does the addresses.
    locale: teamEmailLanguageOf(settings.teamEmailLanguage),
    now,
  });
}
