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
import { enqueueJob } from "../queue/job-queue.server";
import type { Keyring } from "../security/keyring";
import { createRequest } from "./requests.server";

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
 * A logged-in customer files a request. Shopify signed in the customer, so the request counts as
 * verified, except an erasure, which first waits for the one-time code sent to the account's
 * address (CCPA 11 CCR §7061: re-authenticate before deletion). The account's address and
 * language are not in the token: the customer_account_contact job reads them from Shopify, in the
 * same transaction's queue. A second open request of the same type is refused, naming the first.
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
    const { request } = await createRequest(
      tx,
      keyring,
      {
        shopId: caller.shopId,
        type: input.type,
        source: "customer_account",
        regime: regimeForCountry(input.country),
        verified: input.type !== "erasure",
        receivedAt: now,
        customerId: caller.customerId,
        email: null,
        phone: null,
        requestedChanges: input.corrections,
      },
      "requester:customer_account",
    );
    await enqueueJob(tx, {
      shopId: caller.shopId,
      kind: "customer_account_contact",
      payload: { shopId: caller.shopId, requestId: request.id },
      runAt: now,
    });
    return { id: request.id };
  });
  if ("status" in outcome) return outcome;
  const { requests } = await listAccountRequests(db, caller, now);
  const created = requests.find((request) => request.id === outcome.id);
  if (!created) throw new Error(`Request ${outcome.id} vanished after it was filed`);
  return { status: 201, request: created };
}
