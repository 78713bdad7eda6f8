import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Db, Tx } from "../db-types";
import { deliversExport } from "../domain/shopper-requests";
import { isRequestType } from "../domain/request-lifecycle";
import { CODE_TTL_MS, MAX_CODE_ATTEMPTS, RESEND_INTERVAL_MS } from "../domain/storefront-request";
import type { StorefrontLocale } from "../domain/storefront-texts";
import type { Keyring } from "../security/keyring";
import { codeHash, codeMatches, newVerificationCode } from "../services/storefront/verification-code.server";
import { openSubject, sealFor } from "../services/subjects.server";
import { appendAuditEvent, type Actor } from "../services/audit-log.server";
import { enqueueEmail, enqueueRequesterNotice } from "../services/email/outbox.server";
import { writesToRequester } from "../domain/requester-notices";
import { exportContent, type ExportDownload, type ExportStorage } from "./export-store.server";

/**
 * How a requester takes their own export home (ADR 010 for the storefront's half):
 * - `account_ticket`: the customer account page, holding the customer's session token, asks for a
 *   ticket and opens its URL; the ticket works once, within TICKET_TTL_MS.
 * - `email_link`: sent to the requester's address when the export is ready; it opens a page on
 *   the storefront proxy that asks for a fresh one-time code before each download (or knows the
 *   signed-in customer who owns the request); an approver can revoke it.
 * - `email_ticket`: what a right code on that page buys: one download on the app's domain within
 *   TICKET_TTL_MS, counted on its emailed link too.
 * Either is a random 256-bit token of which only the SHA-256 is stored, bound to one shop,
 * request and export, and dies with the export at the latest. Every download is counted on the
 * link and audited as the requester's.
 */
export type ExportLinkKind = "account_ticket" | "email_link" | "email_ticket";

export const TICKET_TTL_MS = 5 * 60_000;

export const tokenHash = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");
const newToken = () => randomBytes(32).toString("base64url");
/** What a token looks like; anything else is not looked up at all. */
export const isLinkToken = (value: unknown): value is string =>
  typeof value === "string" && /^[A-Za-z0-9_-]{43}$/.test(value);

export type ExportAvailability =
  { state: "ready"; expiresAt: Date } | { state: "held" } | { state: "expired"; expiredAt: Date };

/** Whether the requester may have this export now: kept, not expired, and released if the shop holds them. */
export function exportAvailability(
  file: { expiresAt: Date; deletedAt: Date | null; releasedAt: Date | null },
  options: { holdForRelease: boolean; now: Date },
): ExportAvailability {
  if (file.deletedAt || file.expiresAt <= options.now)
    return { state: "expired", expiredAt: file.deletedAt ?? file.expiresAt };
  if (options.holdForRelease && !file.releasedAt) return { state: "held" };
  return { state: "ready", expiresAt: file.expiresAt };
}

export async function holdsExportsForRelease(db: Db | Tx, shopId: string): Promise<boolean> {
  const settings = await db.shopSettings.findUnique({
    where: { shopId },
    select: { holdExportsForRelease: true },
  });
  return settings?.holdExportsForRelease ?? false;
}

type Refusal = { status: 404 | 409 | 410; message: string };

/**
 * A one-time download ticket for a logged-in customer. The export must belong to one of this
 * customer's own access or portability requests in this shop; anything else is "not found",
 * whoever's it is.
 */
export async function issueAccountTicket(
  db: Db,
  input: { shopId: string; customerId: string; exportId: string; now: Date },
): Promise<{ status: 200; token: string; expiresAt: Date } | Refusal> {
  const file = await db.exportFile.findFirst({ where: { id: input.exportId, shopId: input.shopId } });
  const request = file
    ? await db.privacyRequest.findFirst({
        where: { id: file.requestId, shopId: input.shopId, customerId: input.customerId },
        select: { id: true, type: true },
      })
    : null;
  if (!file || !request || !isRequestType(request.type) || !deliversExport(request.type))
    return { status: 404, message: "No such export among your requests" };
  const availability = exportAvailability(file, {
    holdForRelease: await holdsExportsForRelease(db, input.shopId),
    now: input.now,
  });
  if (availability.state === "expired")
    return { status: 410, message: "This export has expired and was deleted; you can ask for a new one" };
  if (availability.state === "held")
    return { status: 409, message: "The store has not released this export to you yet" };
  const token = newToken();
  const expiresAt = new Date(Math.min(input.now.getTime() + TICKET_TTL_MS, file.expiresAt.getTime()));
  await db.exportLink.create({
    data: {
      id: randomUUID(),
      shopId: input.shopId,
      requestId: request.id,
      exportId: file.id,
      kind: "account_ticket" satisfies ExportLinkKind,
      tokenHash: tokenHash(token),
      customerId: input.customerId,
      expiresAt,
      createdAt: input.now,
    },
  });
  return { status: 200, token, expiresAt };
}

/**
 * Spends a download ticket (from the account page, or from the emailed link's code step) and opens its export: the ticket is marked used by a guarded update
 * (two tabs racing get one download), the customer must still be the request's, and the download
 * is counted and audited in the same transaction.
 */
export async function openAccountTicket(
  db: Db,
  keyring: Keyring,
  storage: ExportStorage,
  input: { token: string; now: Date },
): Promise<ExportDownload> {
  const notFound = { status: 404 as const, message: "This download link is not valid" };
  if (!isLinkToken(input.token)) return notFound;
  const link = await db.exportLink.findUnique({ where: { tokenHash: tokenHash(input.token) } });
  if (!link || (link.kind !== "account_ticket" && link.kind !== "email_ticket")) return notFound;
  const fromEmail = link.kind === "email_ticket";
  if (link.usedAt || link.revokedAt || link.expiresAt <= input.now)
    return {
      status: 410,
      message: fromEmail
        ? "This download link was used or has expired; open the link in your email again"
        : "This download link was used or has expired; open your account's Privacy page again",
    };
  return db.$transaction(async (tx) => {
    const file = await tx.exportFile.findFirst({ where: { id: link.exportId, shopId: link.shopId } });
    const request = await tx.privacyRequest.findFirst({
      where: {
        id: link.requestId,
        shopId: link.shopId,
        redactedAt: null,
        // An account ticket is the customer's; an email ticket was earned with the emailed code.
        ...(fromEmail ? {} : { customerId: link.customerId }),
      },
      select: { id: true },
    });
    if (!file || !request) return notFound;
    const availability = exportAvailability(file, {
      holdForRelease: await holdsExportsForRelease(tx, link.shopId),
      now: input.now,
    });
    if (availability.state !== "ready")
      return { status: 410 as const, message: "This export is no longer available" };
    const { count } = await tx.exportLink.updateMany({
      where: { id: link.id, usedAt: null, revokedAt: null, expiresAt: { gt: input.now } },
      data: { usedAt: input.now, downloads: { increment: 1 }, lastDownloadAt: input.now },
    });
    if (count !== 1)
      return {
        status: 410 as const,
        message: "This download link was used or has expired; ask for a new one",
      };
    if (link.parentLinkId)
      await tx.exportLink.updateMany({
        where: { id: link.parentLinkId, shopId: link.shopId },
        data: { downloads: { increment: 1 }, lastDownloadAt: input.now },
      });
    await appendAuditEvent(tx, keyring, {
      shopId: link.shopId,
      requestId: link.requestId,
      actor: fromEmail ? "requester:email_link" : "requester:customer_account",
      action: "export.downloaded",
      occurredAt: input.now,
      data: { exportId: file.id, linkId: link.parentLinkId ?? link.id },
    });
    return {
      status: 200 as const,
      fileName: file.fileName,
      sizeBytes: file.sizeBytes,
      body: exportContent(keyring, storage, file),
    };
  });
}

/** An approver releases a held export to its requester (ShopSettings.holdExportsForRelease). */
export async function releaseExport(
  db: Db,
  keyring: Keyring,
  input: { shopId: string; exportId: string; actor: Actor; now: Date },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const file = await tx.exportFile.findFirst({
      where: { id: input.exportId, shopId: input.shopId, deletedAt: null, releasedAt: null },
    });
    if (!file) return false;
    await tx.exportFile.updateMany({
      where: { id: file.id, releasedAt: null },
      data: { releasedAt: input.now, releasedBy: input.actor },
    });
    await appendAuditEvent(tx, keyring, {
      shopId: input.shopId,
      requestId: file.requestId,
      actor: input.actor,
      action: "export.released",
      occurredAt: input.now,
      data: { exportId: file.id },
    });
    const request = await tx.privacyRequest.findFirst({
      where: { id: file.requestId, shopId: input.shopId },
      select: { id: true, shopId: true, source: true, status: true, locale: true },
    });
    // The requester learns of it now, and not before: the link is made when the email goes out.
    if (request && request.status === "completed" && writesToRequester(request.source))
      await enqueueRequesterNotice(tx, request, "export_ready", input.now);
    return true;
  });
}

/** Revokes every live link to the request's exports (an approver's decision); returns how many. */
export async function revokeExportLinks(
  db: Db,
  keyring: Keyring,
  input: { shopId: string; requestId: string; actor: Actor; now: Date },
): Promise<number> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.exportLink.updateMany({
      where: {
        shopId: input.shopId,
        requestId: input.requestId,
        revokedAt: null,
        expiresAt: { gt: input.now },
      },
      data: { revokedAt: input.now, revokedBy: input.actor },
    });
    if (count > 0)
      await appendAuditEvent(tx, keyring, {
        shopId: input.shopId,
        requestId: input.requestId,
        actor: input.actor,
        action: "export.links_revoked",
        occurredAt: input.now,
        data: { links: count },
      });
    return count;
  });
}

/**
 * Where an emailed link opens: the download page on the store's own domain, through the app
 * proxy (shopify.app.toml [app_proxy]: prefix "apps", subpath "privacy"), so the requester sees
 * the store, not the app.
 */
export const STOREFRONT_DOWNLOAD_PATH = "/apps/privacy/download";

/**
 * A link for the export-ready email, made when the email is sent so the token exists only in the
 * message (and its hash here). It dies with the export, can be revoked, and is not spent by a
 * download: each download asks for a fresh code instead (storefront/download-page.server.ts).
 * Null when the request has no export the requester may have now.
 */
export async function issueEmailLink(
  db: Db,
  input: { shopId: string; requestId: string; shopDomain: string; now: Date },
): Promise<{ url: string; expiresAt: Date } | null> {
  const file = await db.exportFile.findFirst({
    where: { shopId: input.shopId, requestId: input.requestId, deletedAt: null },
    orderBy: { createdAt: "desc" },
  });
  if (!file) return null;
  const availability = exportAvailability(file, {
    holdForRelease: await holdsExportsForRelease(db, input.shopId),
    now: input.now,
  });
  if (availability.state !== "ready") return null;
  const token = newToken();
  await db.exportLink.create({
    data: {
      id: randomUUID(),
      shopId: input.shopId,
      requestId: input.requestId,
      exportId: file.id,
      kind: "email_link" satisfies ExportLinkKind,
      tokenHash: tokenHash(token),
      expiresAt: file.expiresAt,
      createdAt: input.now,
    },
  });
  return {
    url: `https://${input.shopDomain}${STOREFRONT_DOWNLOAD_PATH}?link=${token}`,
    expiresAt: file.expiresAt,
  };
}

type EmailLinkRow = NonNullable<Awaited<ReturnType<Db["exportLink"]["findFirst"]>>>;
type LiveEmailLink = {
  link: EmailLinkRow;
  request: { id: string; customerId: string | null; subjectId: string | null };
};

/**
 * The live emailed link behind `token` in this shop, or null: unknown, another shop's, revoked,
 * expired, or its export gone, held again or its request erased all look the same to the visitor.
 */
export async function liveEmailLink(
  db: Db,
  input: { shopId: string; token: string; now: Date },
): Promise<LiveEmailLink | null> {
  if (!isLinkToken(input.token)) return null;
  const link = await db.exportLink.findFirst({
    where: { tokenHash: tokenHash(input.token), shopId: input.shopId, kind: "email_link" },
  });
  if (!link || link.revokedAt || link.expiresAt <= input.now) return null;
  const [file, request] = await Promise.all([
    db.exportFile.findFirst({ where: { id: link.exportId, shopId: link.shopId } }),
    db.privacyRequest.findFirst({
      where: { id: link.requestId, shopId: link.shopId, redactedAt: null },
      select: { id: true, customerId: true, subjectId: true },
    }),
  ]);
  if (!file || !request) return null;
  const availability = exportAvailability(file, {
    holdForRelease: await holdsExportsForRelease(db, link.shopId),
    now: input.now,
  });
  return availability.state === "ready" ? { link, request } : null;
}

export type CodeSending = { outcome: "sent" } | { outcome: "wait" } | { outcome: "gone" };

/**
 * A fresh one-time code for an emailed link, sent to the request's address (never one the
 * visitor types): its keyed hash is kept, the code itself sealed until the email job has sent it.
 * One code a minute per link; each new code replaces the last and resets the attempts.
 */
export async function sendDownloadCode(
  db: Db,
  keyring: Keyring,
  input: { shopId: string; token: string; locale: StorefrontLocale; now: Date },
): Promise<CodeSending> {
  const live = await liveEmailLink(db, input);
  if (!live || !live.request.subjectId) return { outcome: "gone" };
  const { link, request } = live;
  if (link.codeSentAt && input.now.getTime() - link.codeSentAt.getTime() < RESEND_INTERVAL_MS)
    return { outcome: "wait" };
  const subject = await openSubject(db, keyring, request.subjectId!);
  if (!subject) return { outcome: "gone" };
  const code = newVerificationCode();
  return db.$transaction(async (tx) => {
    const { count } = await tx.exportLink.updateMany({
      where: { id: link.id, codeSentAt: link.codeSentAt },
      data: {
        codeHash: codeHash(keyring, link.id, code),
        codeCipher: sealFor(subject, "verification-code", code),
        codeExpiresAt: new Date(input.now.getTime() + CODE_TTL_MS),
        codeAttempts: 0,
        codeSentAt: input.now,
      },
    });
    // Another tab asked at the same moment: its code stands.
    if (count !== 1) return { outcome: "wait" as const };
    await enqueueEmail(tx, {
      shopId: link.shopId,
      requestId: link.requestId,
      linkId: link.id,
      template: "download_code",
      locale: input.locale,
      now: input.now,
    });
    return { outcome: "sent" as const };
  });
}

export type DownloadPass =
  | { outcome: "ticket"; url: string; expiresAt: Date }
  | { outcome: "wrong"; attemptsLeft: number }
  | { outcome: "expired" }
  | { outcome: "gone" };

/**
 * Spends the emailed link's current code (or the signed-in customer who owns the request, whom
 * Shopify's proxy signature names) for a one-time ticket to the file, opened on the app's own
 * domain. A code works once; five wrong tries spend it too.
 */
export async function passForEmailLink(
  db: Db,
  keyring: Keyring,
  input: {
    shopId: string;
    token: string;
    code: string | null;
    loggedInCustomerId: string | null;
    appUrl: string;
    now: Date;
  },
): Promise<DownloadPass> {
  const live = await liveEmailLink(db, input);
  if (!live) return { outcome: "gone" };
  const { link, request } = live;
  const signedInOwner = input.loggedInCustomerId !== null && input.loggedInCustomerId === request.customerId;
  if (!signedInOwner) {
    if (!input.code || !link.codeHash || !link.codeExpiresAt || link.codeExpiresAt <= input.now)
      return { outcome: "expired" };
    if (link.codeAttempts >= MAX_CODE_ATTEMPTS) return { outcome: "expired" };
    if (!codeMatches(keyring, link.id, input.code, link.codeHash)) {
      await db.exportLink.updateMany({
        where: { id: link.id, codeHash: link.codeHash },
        data: { codeAttempts: { increment: 1 } },
      });
      const attemptsLeft = MAX_CODE_ATTEMPTS - link.codeAttempts - 1;
      return attemptsLeft > 0 ? { outcome: "wrong", attemptsLeft } : { outcome: "expired" };
    }
    const { count } = await db.exportLink.updateMany({
      where: { id: link.id, codeHash: link.codeHash },
      data: { codeHash: null, codeCipher: null, codeExpiresAt: null },
    });
    if (count !== 1) return { outcome: "expired" };
  }
  const token = newToken();
  const expiresAt = new Date(Math.min(input.now.getTime() + TICKET_TTL_MS, link.expiresAt.getTime()));
  await db.exportLink.create({
    data: {
      id: randomUUID(),
      shopId: link.shopId,
      requestId: link.requestId,
      exportId: link.exportId,
      kind: "email_ticket" satisfies ExportLinkKind,
      tokenHash: tokenHash(token),
      parentLinkId: link.id,
      expiresAt,
      createdAt: input.now,
    },
  });
  return { outcome: "ticket", url: `${input.appUrl}/customer-account/download/${token}`, expiresAt };
}

/** What the request page says about getting the export to the requester. */
export interface ExportDeliverySummary {
  exportId: string;
  /** The shop holds exports and this one waits for an approver's release. */
  awaitingRelease: boolean;
  releasedAt: string | null;
  /** Emailed links and download tickets that still work. */
  liveLinks: number;
  /** Downloads by the requester, through their account or the emailed link. */
  downloads: number;
  lastDownloadAt: string | null;
}

export async function exportDelivery(
  db: Db,
  input: { shopId: string; requestId: string; now: Date },
): Promise<ExportDeliverySummary | null> {
  const file = await db.exportFile.findFirst({
    where: {
      shopId: input.shopId,
      requestId: input.requestId,
      deletedAt: null,
      expiresAt: { gt: input.now },
    },
    orderBy: { createdAt: "desc" },
  });
  if (!file) return null;
  const [holds, links] = await Promise.all([
    holdsExportsForRelease(db, input.shopId),
    db.exportLink.findMany({
      where: { shopId: input.shopId, requestId: input.requestId, exportId: file.id },
      select: {
        kind: true,
        downloads: true,
        lastDownloadAt: true,
        revokedAt: true,
        usedAt: true,
        expiresAt: true,
      },
    }),
  ]);
  // A ticket bought through an emailed link is counted on that link; count each download once.
  const counted = links.filter((link) => link.kind !== "email_ticket");
  const last = counted
    .map((link) => link.lastDownloadAt)
    .filter((at): at is Date => at !== null)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  return {
    exportId: file.id,
    awaitingRelease: holds && !file.releasedAt,
    releasedAt: file.releasedAt?.toISOString() ?? null,
    liveLinks: links.filter(
      (link) => !link.revokedAt && !link.usedAt && link.expiresAt > input.now && link.kind !== "email_ticket",
    ).length,
    downloads: counted.reduce((sum, link) => sum + link.downloads, 0),
    lastDownloadAt: last?.toISOString() ?? null,
  };
}
