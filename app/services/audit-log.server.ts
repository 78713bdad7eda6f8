import { lockShops } from "../db-locks.server";
import type { Db, Tx } from "../db-types";
import { EMPTY_CHAIN_HEAD, formatAnchor, type ChainHead } from "../domain/audit-anchor";
import {
  canonicalJson,
  chainHash,
  createChainVerifier,
  type ChainVerdict,
  type StoredChainedEvent,
} from "../domain/audit-chain";
import type { Keyring } from "../security/keyring";
import { insertRows } from "./bulk-insert.server";
import { sealFor, type OpenSubject } from "./subjects.server";
import { newRowId } from "../security/row-id";

/**
 * Who did it: `shopify` (a webhook), `shopper` (the data subject, on the storefront), `system:worker`,
 * `staff:<Shopify user id>`, `operator:cli`, `requester:<channel>` (the person the request is
 * about, e.g. `requester:customer_account`; the event's request says who, so the actor names no
 * customer). Actors never carry personal data.
 */
export type Actor =
  | `shopify`
  | `shopper`
  | `system:${string}`
  | `staff:${string}`
  | `operator:${string}`
  | `requester:${string}`;

export interface AuditEntry {
  shopId: string;
  requestId?: string | null;
  actor: Actor;
  action: string;
  occurredAt: Date;
  /** Facts without personal data: ids, statuses, counts, reasons the merchant wrote. */
  data?: Record<string, unknown>;
  /** Personal data, sealed with the subject's key so an erasure can shred it. */
  pii?: { subject: OpenSubject; values: Record<string, unknown> };
}

export type { ChainHead };

/** The shop's newest event as stored (not verified), or the empty chain's head. */
export async function shopChainHead(db: Db | Tx, shopId: string): Promise<ChainHead> {
  // Raw SQL: intake reads the head for every batch (ADR 005), and the unique (shopId, seq)
  // index answers it without a sort.
  const [last] = await db.$queryRaw<ChainHead[]>`
    SELECT "seq", "hash" FROM "AuditEvent" WHERE "shopId" = ${shopId} ORDER BY "seq" DESC LIMIT 1`;
  return last ? { seq: Number(last.seq), hash: last.hash } : EMPTY_CHAIN_HEAD;
}

/** Links entries of one shop after `head`, in order: the rows to insert, each hashed over the one before. */
function chainEntries(keyring: Keyring, head: ChainHead, entries: AuditEntry[]) {
  let { seq, hash: prevHash } = head;
  return entries.map((entry) => {
    seq += 1;
    const fields = {
      shopId: entry.shopId,
      seq,
      requestId: entry.requestId ?? null,
      actor: entry.actor,
      action: entry.action,
      occurredAt: entry.occurredAt,
      data: canonicalJson(entry.data ?? {}),
      subjectId: entry.pii?.subject.id ?? null,
      piiCipher: entry.pii ? sealFor(entry.pii.subject, "audit-pii", canonicalJson(entry.pii.values)) : null,
      chainKeyId: keyring.current.id,
      prevHash,
    };
    const hash = chainHash(keyring.derive("audit-chain", fields.chainKeyId), fields);
    prevHash = hash;
    return { ...fields, hash };
  });
}

/**
 * The only writer of audit events (with appendAuditEvents). Must run inside the transaction that
 * makes the change it records, so a change is never stored without its event (or the reverse).
 * Appends to one shop are serialised by a lock on its row (PostgreSQL, several processes); should
 * two ever race anyway, they collide on the unique (shopId, seq) and one transaction fails rather
 * than forking the chain.
 */
export async function appendAuditEvent(tx: Tx, keyring: Keyring, entry: AuditEntry): Promise<ChainHead> {
  const heads = await appendAuditEvents(tx, keyring, [entry]);
  return heads.get(entry.shopId)!;
}

/**
 * Appends many events, possibly of several shops, with one head read per shop and one insert.
 * Returns each shop's new head (visible to others once the transaction commits).
 */
export async function appendAuditEvents(
  tx: Tx,
  keyring: Keyring,
  entries: AuditEntry[],
): Promise<Map<string, ChainHead>> {
  const byShop = new Map<string, AuditEntry[]>();
  for (const entry of entries) byShop.set(entry.shopId, [...(byShop.get(entry.shopId) ?? []), entry]);
  // Appenders in other transactions (other requests, other instances) wait here, so each reads
  // the head the one before it wrote (held until commit; a no-op on SQLite's single writer).
  await lockShops(tx, [...byShop.keys()]);
  const rows = [];
  const heads = new Map<string, ChainHead>();
  for (const [shopId, shopEntries] of byShop) {
    const chained = chainEntries(keyring, await shopChainHead(tx, shopId), shopEntries);
    const last = chained.at(-1)!;
    heads.set(shopId, { seq: last.seq, hash: last.hash });
    rows.push(...chained);
  }
  await insertRows(
    tx,
    "AuditEvent",
    rows.map((row) => ({ id: newRowId(), ...row })),
  );
  return heads;
}

const PAGE = 1000;

/**
 * A shop's events in chain order (optionally only those matching `filter`), read in pages so a
 * long history never sits in memory at once.
 */
export async function* shopEventsInOrder(
  db: Db,
  shopId: string,
  filter: AuditLogFilter & { upToSeq?: number } = {},
): AsyncGenerator<StoredChainedEvent> {
  let afterSeq = 0;
  for (;;) {
    const page = await db.auditEvent.findMany({
      where: {
        ...auditEventWhere(shopId, filter),
        seq: { gt: afterSeq, ...(filter.upToSeq !== undefined ? { lte: filter.upToSeq } : {}) },
      },
      orderBy: { seq: "asc" },
      take: PAGE,
    });
    for (const event of page) yield event;
    if (page.length < PAGE) return;
    afterSeq = page[page.length - 1]!.seq;
  }
}

/**
 * Verifies the shop's whole chain from its first event and, given an anchor published earlier,
 * that the chain still holds that event (so nothing up to it was removed, edited or truncated).
 */
export async function verifyShopChain(
  db: Db,
  keyring: Keyring,
  shopId: string,
  anchor: ChainHead | null = null,
): Promise<ChainVerdict> {
  const verifier = createChainVerifier((keyId) => keyring.derive("audit-chain", keyId), { anchor });
  for await (const event of shopEventsInOrder(db, shopId)) if (!verifier.check(event)) break;
  return verifier.verdict();
}

/** What shop/redact left of a shop: when, and how many audit events it deleted (all of them). */
export interface ShopPurge {
  purgedAt: Date;
  removedAuditEvents: number;
}

export async function shopPurge(db: Db, shopDomain: string): Promise<ShopPurge | null> {
  const receipt = await db.shopRedactionReceipt.findUnique({ where: { shopDomain } });
  if (!receipt) return null;
  const counts = JSON.parse(receipt.removedCounts) as { auditEvents?: number };
  return { purgedAt: receipt.purgedAt, removedAuditEvents: counts.auditEvents ?? 0 };
}

export type ShopChainCheck =
  /** `purge`: the shop was purged before and installed again, so its chain restarted at 1. */
  | { status: "checked"; verdict: ChainVerdict; purge: ShopPurge | null }
  /** shop/redact deleted the shop and its chain, as Shopify requires: nothing left to verify. */
  | { status: "purged"; purge: ShopPurge }
  | { status: "unknown_shop" };

/** The operator's check of a shop by domain, telling a purged shop from a missing or broken chain. */
export async function checkShopChain(
  db: Db,
  keyring: Keyring,
  shopDomain: string,
  anchor: ChainHead | null = null,
): Promise<ShopChainCheck> {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  const purge = await shopPurge(db, shopDomain);
  if (!shop) return purge ? { status: "purged", purge } : { status: "unknown_shop" };
  return { status: "checked", verdict: await verifyShopChain(db, keyring, shop.id, anchor), purge };
}

/**
 * The first line of every NDJSON export of the audit log: the chain head at the time of the
 * export, which whoever keeps the file can later hand to `audit verify --since`. Event lines
 * follow, none newer than that head.
 */
export function auditExportHeader(input: {
  shopDomain: string;
  head: ChainHead;
  exportedAt: Date;
  filter?: AuditLogFilter;
}): string {
  return JSON.stringify({
    chainHead: { seq: input.head.seq, hash: input.head.hash, anchor: formatAnchor(input.head) },
    shop: input.shopDomain,
    exportedAt: input.exportedAt.toISOString(),
    filter: {
      requestId: input.filter?.requestId,
      actor: input.filter?.actor,
      occurredAtOrAfter: input.filter?.from?.toISOString(),
      occurredBefore: input.filter?.to?.toISOString(),
    },
  });
}

/** One event as a line of the NDJSON export (CLI and admin download alike); the sealed PII stays sealed. */
export function auditEventLine(
  event: StoredChainedEvent & { occurredAt: Date; data: string },
  shopDomain: string,
): string {
  return JSON.stringify({
    ...event,
    shop: shopDomain,
    occurredAt: event.occurredAt.toISOString(),
    data: JSON.parse(event.data),
  });
}

export interface AuditLogFilter {
  requestId?: string;
  actor?: string;
  from?: Date;
  to?: Date;
}

/** The one translation of the audit log's filters into a query, for the page and the NDJSON export. */
function auditEventWhere(shopId: string, filter: AuditLogFilter) {
  return {
    shopId,
    ...(filter.requestId ? { requestId: filter.requestId } : {}),
    ...(filter.actor ? { actor: filter.actor } : {}),
    ...(filter.from || filter.to
      ? {
          occurredAt: {
            ...(filter.from ? { gte: filter.from } : {}),
            ...(filter.to ? { lt: filter.to } : {}),
          },
        }
      : {}),
  };
}

export type AuditLogPage = Awaited<ReturnType<typeof auditLogPage>>;

/** The audit log page: newest first, 50 at a time, filtered by request, actor and date. */
export async function auditLogPage(db: Db, shopId: string, filter: AuditLogFilter & { beforeSeq?: number }) {
  const rows = await db.auditEvent.findMany({
    where: {
      ...auditEventWhere(shopId, filter),
      ...(filter.beforeSeq ? { seq: { lt: filter.beforeSeq } } : {}),
    },
    orderBy: { seq: "desc" },
    take: 51,
    select: {
      id: true,
      seq: true,
      requestId: true,
      actor: true,
      action: true,
      occurredAt: true,
      data: true,
      piiCipher: true,
    },
  });
  const page = rows.slice(0, 50);
  return {
    events: page.map((row) => ({
      ...row,
      occurredAt: row.occurredAt.toISOString(),
      data: JSON.parse(row.data) as Record<string, unknown>,
      hasPii: row.piiCipher !== null,
      piiCipher: undefined,
    })),
    nextBeforeSeq: rows.length > 50 ? page.at(-1)!.seq : null,
  };
}
