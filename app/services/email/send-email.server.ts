import type { Db } from "../../db-types";
import { codeState } from "../../domain/storefront-request";
import { DEFAULT_LOCALE, isStorefrontLocale, type TextKey } from "../../domain/storefront-texts";
import { teamEmailLanguageOf } from "../../domain/team-email-texts";
import { PermanentJobError } from "../../queue/job-kinds";
import type { Keyring } from "../../security/keyring";
import { shopTexts } from "../storefront/storefront-texts.server";
import { createSubjectReader } from "../subjects.server";
import type { Mailer } from "./mail-transport.server";
import { renderEmail, type EmailData, type RenderedEmail } from "./render-email.server";
import { requesterNotice } from "./requester-notice.server";
import { renderStaffNotice, STAFF_NOTICES, type StaffNotice } from "./staff-notice-email";
import { isEmailTemplate } from "./templates";

export interface EmailContext {
  db: Db;
  keyring: Keyring;
  mail: Mailer | null;
  now: () => Date;
}

type Outcome = { status: "sent"; messageId: string } | { status: "skipped"; reason: string };

/**
 * Sends one queued email (the `send_email` job). The recipient and the content are rendered now,
 * from sealed data: the request's email address, and for a code the code sealed beside its hash,
 * which is wiped once the mail server has accepted it. An email with nothing left to say (the code
 * was replaced, has expired or was used; the person was erased; the request was closed) is
 * skipped, not sent. A mail server that refuses or cannot be reached throws, and the queue retries
 * with backoff; the request itself was committed long before and is never lost.
 */
export async function sendQueuedEmail(
  ctx: EmailContext,
  ids: { shopId: string; emailId: string },
): Promise<void> {
  const email = await ctx.db.outboundEmail.findFirst({ where: { id: ids.emailId, shopId: ids.shopId } });
  if (!email || email.status !== "queued") return;
  const outcome = await deliver(ctx, email);
  await ctx.db.outboundEmail.updateMany({
    where: { id: email.id, status: "queued" },
    data:
      outcome.status === "sent"
        ? { status: "sent", messageId: outcome.messageId.slice(0, 255), sentAt: ctx.now(), reason: null }
        : { status: "skipped", reason: outcome.reason },
  });
}

/** The queue gave up on the email (retries spent): it is marked failed with the reason. */
export async function markEmailFailed(
  ctx: EmailContext,
  ids: { shopId: string; emailId: string },
  reason: string,
): Promise<void> {
  await ctx.db.outboundEmail.updateMany({
    where: { id: ids.emailId, shopId: ids.shopId, status: "queued" },
    data: { status: "failed", reason: reason.slice(0, 500) },
  });
}

async function deliver(
  ctx: EmailContext,
  email: {
    shopId: string;
    requestId: string | null;
    linkId: string | null;
    template: string;
    locale: string;
  },
): Promise<Outcome> {
  if (!ctx.mail) return { status: "skipped", reason: "SMTP_URL is not set: the app cannot send email" };
  if (!isEmailTemplate(email.template))
    throw new PermanentJobError(`Unknown email template ${email.template}`);
  if (!email.requestId) return { status: "skipped", reason: "The email names no request" };
  const request = await ctx.db.privacyRequest.findFirst({
    where: { id: email.requestId, shopId: email.shopId },
    include: { shop: { select: { domain: true, name: true } } },
  });
  if (!request) return { status: "skipped", reason: "The request no longer exists" };
  if (isStaffNotice(email.template)) return deliverStaffNotice(ctx, email.template, request);
  const read = createSubjectReader(ctx.db, ctx.keyring);
  const to = await read(request.subjectId, "email", request.emailCipher);
  if (!to)
    return { status: "skipped", reason: "The request has no email address (erased, or not known yet)" };
  const locale = isStorefrontLocale(email.locale) ? email.locale : DEFAULT_LOCALE;
  const texts = await shopTexts(ctx.db, email.shopId, locale);
  const common = { locale, texts, store: request.shop.name ?? request.shop.domain, reference: request.id };

  let rendered: RenderedEmail;
  let sentCode: string | null = null;
  let sentLinkCode: { linkId: string; codeCipher: string } | null = null;
  if (email.template === "verification_code") {
    const verification = await ctx.db.storefrontVerification.findFirst({
      where: { requestId: request.id, shopId: request.shopId },
    });
    if (!verification || request.status !== "awaiting_verification")
      return { status: "skipped", reason: "The request no longer waits for a code" };
    const code = await read(request.subjectId, "verification-code", verification.codeCipher);
    if (!code)
      return { status: "skipped", reason: "No code is waiting to be sent (sent already or replaced)" };
    if (codeState({ ...verification, now: ctx.now() }) !== "usable")
      return { status: "skipped", reason: "The code expired or was locked before it could be sent" };
    rendered = await renderEmail("verification_code", {
      ...common,
      code,
    } satisfies EmailData["verification_code"]);
    sentCode = verification.codeCipher;
  } else if (email.template === "download_code") {
    const link = email.linkId
      ? await ctx.db.exportLink.findFirst({
          where: { id: email.linkId, shopId: email.shopId, requestId: request.id, kind: "email_link" },
        })
      : null;
    if (!link || link.revokedAt || link.expiresAt <= ctx.now())
      return { status: "skipped", reason: "The download link was revoked or has expired" };
    const code = await read(request.subjectId, "verification-code", link.codeCipher);
    if (!code)
      return { status: "skipped", reason: "No code is waiting to be sent (sent already or replaced)" };
    if (!link.codeExpiresAt || link.codeExpiresAt <= ctx.now())
      return { status: "skipped", reason: "The code expired before it could be sent" };
    rendered = await renderEmail("download_code", { ...common, code });
    sentLinkCode = { linkId: link.id, codeCipher: link.codeCipher! };
  } else if (email.template !== "request_received") {
    const notice = await requesterNotice(ctx, email.template, request, { locale, texts, common });
    if ("skip" in notice) return { status: "skipped", reason: notice.skip };
    rendered = await renderEmail(email.template, notice);
  } else {
    const optOut = request.type === "sale_opt_out";
    rendered = await renderEmail("request_received", {
      ...common,
      typeLabel: texts[`type.${request.type}` as TextKey] ?? request.type,
      optOut,
      dueDate: optOut
        ? null
        : new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(request.dueAt),
    } satisfies EmailData["request_received"]);
  }

  const sender = await ctx.db.shopSettings.findUnique({
    where: { shopId: email.shopId },
    select: { emailSenderName: true, emailReplyTo: true },
  });
  const { messageId } = await ctx.mail.send({
    to,
    ...rendered,
    fromName: sender?.emailSenderName ?? common.store,
    replyTo: sender?.emailReplyTo ?? null,
  });
  if (sentCode) {
    // Only the code that went out is wiped: a new code issued meanwhile keeps its own.
    await ctx.db.storefrontVerification.updateMany({
      where: { requestId: request.id, codeCipher: sentCode },
      data: { codeCipher: null },
    });
  }
  if (sentLinkCode)
    await ctx.db.exportLink.updateMany({
      where: { id: sentLinkCode.linkId, codeCipher: sentLinkCode.codeCipher },
      data: { codeCipher: null },
    });
  return { status: "sent", messageId };
}

const isStaffNotice = (template: string): template is StaffNotice =>
  (STAFF_NOTICES as readonly string[]).includes(template);

/**
 * To the notification addresses as they stand now, in the shop's team email language; a notice
 * overtaken by events is skipped.
 */
async function deliverStaffNotice(
  ctx: EmailContext,
  notice: StaffNotice,
  request: {
    id: string;
    shopId: string;
    type: string;
    source: string;
    status: string;
    dueAt: Date;
    statusReason: string | null;
    shop: { domain: string; name: string | null };
  },
): Promise<Outcome> {
  if (!ctx.mail) return { status: "skipped", reason: "SMTP_URL is not set: the app cannot send email" };
  if (notice === "staff_review_needed" && request.status !== "pending_review")
    return { status: "skipped", reason: "The request no longer waits for review" };
  if (notice === "staff_request_failed" && request.status !== "failed")
    return { status: "skipped", reason: "The request is no longer failed" };
  const settings = await ctx.db.shopSettings.findUnique({
    where: { shopId: request.shopId },
    select: { notificationEmails: true, teamEmailLanguage: true },
  });
  const to = settings ? (JSON.parse(settings.notificationEmails) as string[]) : [];
  if (to.length === 0) return { status: "skipped", reason: "The shop has no notification addresses" };
  const rendered = await renderStaffNotice({
    notice,
    language: teamEmailLanguageOf(settings?.teamEmailLanguage),
    store: request.shop.name ?? request.shop.domain,
    reference: request.id,
    type: request.type,
    source: request.source,
    dueAt: request.dueAt,
    reason: notice === "staff_request_failed" ? request.statusReason : null,
  });
  const { messageId } = await ctx.mail.send({ to: to.join(", "), ...rendered });
  return { status: "sent", messageId };
}
