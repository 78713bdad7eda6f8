import type { Db } from "../db-types";
import { OPEN_STATUSES, isRequestStatus, type RequestType } from "../domain/request-lifecycle";
import {
  deliversExport,
  regimeForCountry,
  shopperHistory,
  shopperPhase,
  type ShopperHistoryEntry,
  type ShopperPhase,
  type ShopperRequestInput,
} from "../domain/shopper-requests";
import { exportAvailability, holdsExportsForRelease } from "../exports/export-links.server";
import { DEFAULT_LOCALE, isStorefrontLocale } from "../domain/storefront-texts";
import type { Keyring } from "../security/keyring";
import { appendAuditEvent } from "./audit-log.server";
import { newRequestRecord } from "./requests.server";
import {
  recordVerification,
  resendStorefrontCode,
  verifyStorefrontCode,
} from "./storefront/storefront-requests.server";
import { findOrCreateSubject } from "./subjects.server";

/**
 * The customer account page's backend (README "Customer accounts"). The caller is always the
 * customer Shopify's session token names, in the shop it names: every query here is scoped to
 * both, so another customer's request, or another shop's, is simply not there.
 */
export interface AccountCaller {
  shopId: string;
  shopDomain: string;
  customerId: string;
}

/** The shop a token names, if the app is installed there (not uninstalled, not purged). */
export async function installedShop(db: Db, domain: string): Promise<{ id: string; domain: string } | null> {
  return db.shop.findFirst({ where: { domain, uninstalledAt: null }, select: { id: true, domain: true } });
}

export interface ShopperExportView {
  id: string;
  state: "ready" | "held" | "expired";
  /** ready: until when it can be downloaded; expired: since when it is gone. */
  until: string | null;
  sizeBytes: number;
}

export interface ShopperRequestView {
  id: string;
  type: RequestType;
  phase: ShopperPhase;
  receivedAt: string;
  /** The legal deadline while the request is open; null once it is closed. */
  dueAt: string | null;
  extended: boolean;
  history: ShopperHistoryEntry[];
  /** Access and portability: the newest export, once one was made. */
  export: ShopperExportView | null;
}

const MAX_LISTED = 50;

export async function listAccountRequests(db: Db, caller: AccountCaller, now: Date) {
  const rows = await db.privacyRequest.findMany({
    where: { shopId: caller.shopId, customerId: caller.customerId },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: MAX_LISTED,
  });
  const ids = rows.map((row) => row.id);
  const [events, files, hold] = await Promise.all([
    db.auditEvent.findMany({
      where: { shopId: caller.shopId, requestId: { in: ids } },
      orderBy: { seq: "asc" },
      select: { requestId: true, action: true, actor: true, occurredAt: true, data: true },
    }),
    db.exportFile.findMany({
      where: { shopId: caller.shopId, requestId: { in: ids } },
      orderBy: { createdAt: "desc" },
    }),
    holdsExportsForRelease(db, caller.shopId),
  ]);
  const requests: ShopperRequestView[] = [];
  for (const row of rows) {
    if (!isRequestStatus(row.status)) continue;
    const type = row.type as RequestType;
    const file = deliversExport(type) ? files.find((candidate) => candidate.requestId === row.id) : undefined;
    const availability = file ? exportAvailability(file, { holdForRelease: hold, now }) : null;
    requests.push({
      id: row.id,
      type,
      phase: shopperPhase(row.status),
      receivedAt: row.receivedAt.toISOString(),
      dueAt: OPEN_STATUSES.includes(row.status) ? row.dueAt.toISOString() : null,
      extended: row.extendedAt !== null,
      history: shopperHistory(
        events
          .filter((event) => event.requestId === row.id)
          .map((event) => ({ ...event, data: JSON.parse(event.data) as Record<string, unknown> })),
      ),
      export:
        file && availability
          ? {
              id: file.id,
              state: availability.state,
              until:
                availability.state === "ready"
                  ? availability.expiresAt.toISOString()
                  : availability.state === "expired"
                    ? availability.expiredAt.toISOString()
                    : null,
              sizeBytes: file.sizeBytes,
            }
          : null,
    });
  }
  return { requests };
}

export type FileOutcome =
  { status: 201; request: ShopperRequestView } | { status: 409; message: string; requestId: string };

/**
 * A logged-in customer files a request. Shopify signed the customer in, so the request counts as
 * verified (method `account`), except an erasure, which first waits for a one-time code sent to
 * the account's address (CCPA 11 CCR §7061: re-authenticate before deletion; the storefront's
 * verification ladder, ADR 010). The account's address is not in the token: the storefront's
 * lookup job reads it from Shopify, then sends the code or the receipt, in the request's
 * language (the page's, which is the customer's in their account). A second open request of the
 * same type is refused, naming the first.
 */
export async function fileAccountRequest(
  db: Db,
  keyring: Keyring,
  caller: AccountCaller,
  input: ShopperRequestInput,
  now: Date,
): Promise<FileOutcome> {
  const outcome = await db.$transaction(async (tx): Promise<{ id: string } | FileOutcome> => {
    const open = await tx.privacyRequest.findFirst({
      where: {
        shopId: caller.shopId,
        customerId: caller.customerId,
        type: input.type,
        status: { in: [...OPEN_STATUSES] },
      },
      select: { id: true },
    });
    if (open)
      return {
        status: 409,
        message: "You already have an open request of this kind; it is listed on this page",
        requestId: open.id,
      };
    const locale = isStorefrontLocale(input.locale) ? input.locale : DEFAULT_LOCALE;
    const byCode = input.type === "erasure";
    const subject = await findOrCreateSubject(tx, keyring, caller.shopId, {
      customerId: caller.customerId,
      email: null,
    });
    const { row, audit } = newRequestRecord(keyring, subject, {
      shopId: caller.shopId,
      type: input.type,
      source: "customer_account",
      regime: regimeForCountry(input.country),
      verified: !byCode,
      receivedAt: now,
      customerId: caller.customerId,
      email: null,
      phone: null,
      requestedChanges: input.corrections,
      locale,
      message: input.message || null,
      receivedData: { verification: byCode ? "email_code" : "account", loggedIn: true, locale },
    });
    await tx.privacyRequest.create({ data: row });
    await appendAuditEvent(tx, keyring, audit("requester:customer_account"));
    await recordVerification(tx, keyring, subject, {
      requestId: row.id,
      shopId: caller.shopId,
      method: byCode ? "email_code" : "account",
      customerId: caller.customerId,
      now,
    });
    return { id: row.id };
  });
  if ("status" in outcome) return outcome;
  return { status: 201, request: await accountRequestView(db, caller, outcome.id, now) };
}

async function accountRequestView(db: Db, caller: AccountCaller, requestId: string, now: Date) {
  const { requests } = await listAccountRequests(db, caller, now);
  const found = requests.find((request) => request.id === requestId);
  if (!found) throw new Error(`Request ${requestId} is not among the customer's requests`);
  return found;
}

export type ConfirmOutcome =
  | { status: 200; request: ShopperRequestView }
  | { status: 400; code: "code_wrong"; attemptsLeft: number }
  | { status: 400; code: "invalid" }
  | { status: 404; code: "not_found" }
  | { status: 410; code: "code_expired" }
  | { status: 429; code: "code_locked" };

/**
 * The customer enters the code from their email to confirm an erasure: the storefront's check
 * (each try counted before it is compared, five per code, 15 minutes), bound to this customer.
 */
export async function confirmAccountRequest(
  db: Db,
  keyring: Keyring,
  caller: AccountCaller,
  input: { requestId: string; code: string | null; autoApproveCustomerAccess: boolean },
  now: Date,
): Promise<ConfirmOutcome> {
  if (!input.code) return { status: 400, code: "invalid" };
  const result = await verifyStorefrontCode(db, keyring, {
    shopId: caller.shopId,
    requestId: input.requestId,
    customerId: caller.customerId,
    code: input.code,
    autoApproveCustomerAccess: input.autoApproveCustomerAccess,
    now,
  });
  switch (result.kind) {
    case "verified":
      return { status: 200, request: await accountRequestView(db, caller, input.requestId, now) };
    case "wrong":
      return { status: 400, code: "code_wrong", attemptsLeft: result.attemptsLeft };
    case "locked":
      return { status: 429, code: "code_locked" };
    case "expired":
      return { status: 410, code: "code_expired" };
    case "unknown":
      return { status: 404, code: "not_found" };
  }
}

/** A new code for the customer's erasure (three at most, a minute apart; the storefront's rules). */
export async function resendAccountCode(
  db: Db,
  keyring: Keyring,
  caller: AccountCaller,
  requestId: string,
  now: Date,
): Promise<{ status: 200 } | { status: 404 | 429; code: "not_found" | "resend_too_soon" }> {
  const result = await resendStorefrontCode(db, keyring, {
    shopId: caller.shopId,
    requestId,
    customerId: caller.customerId,
    now,
    // The address is the account's, and each request allows three codes a minute apart.
    rateHits: () => [],
  });
  if (result.kind === "sent") return { status: 200 };
  if (result.kind === "unknown") return { status: 404, code: "not_found" };
  return { status: 429, code: "resend_too_soon" };
}
