import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Db, Tx } from "../db-types";
import { deliversExport } from "../domain/shopper-requests";
import { isRequestType } from "../domain/request-lifecycle";
import type { Keyring } from "../security/keyring";
import { appendAuditEvent, type Actor } from "../services/audit-log.server";
import { exportContent, type ExportDownload, type ExportStorage } from "./export-store.server";

/**
 * How a requester takes their own export home (ADR 010 for the storefront's half):
 * - `account_ticket`: the customer account page, holding the customer's session token, asks for a
 *   ticket and opens its URL; the ticket works once, within TICKET_TTL_MS.
 * - `email_link`: sent to the requester's address when the export is ready; it opens a page on
 *   the storefront proxy that asks for a fresh one-time code before each download; an approver
 *   can revoke it.
 * Either is a random 256-bit token of which only the SHA-256 is stored, bound to one shop,
 * request and export, and dies with the export at the latest. Every download is counted on the
 * link and audited as the requester's.
 */
export type ExportLinkKind = "account_ticket" | "email_link";

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
 * Spends an account ticket and opens its export: the ticket is marked used by a guarded update
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
  if (!link || link.kind !== "account_ticket") return notFound;
  if (link.usedAt || link.revokedAt || link.expiresAt <= input.now)
    return {
      status: 410,
      message: "This download link was used or has expired; open your account's Privacy page again",
    };
  return db.$transaction(async (tx) => {
    const file = await tx.exportFile.findFirst({ where: { id: link.exportId, shopId: link.shopId } });
    const request = await tx.privacyRequest.findFirst({
      where: { id: link.requestId, shopId: link.shopId, customerId: link.customerId, redactedAt: null },
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
        message: "This download link was used or has expired; open your account's Privacy page again",
      };
    await appendAuditEvent(tx, keyring, {
      shopId: link.shopId,
      requestId: link.requestId,
      actor: "requester:customer_account",
      action: "export.downloaded",
      occurredAt: input.now,
      data: { exportId: file.id, linkId: link.id },
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
