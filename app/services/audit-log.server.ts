import { randomUUID } from "node:crypto";
import type { Db, Tx } from "../db-types";
import {
  canonicalJson,
  chainHash,
  createChainVerifier,
  GENESIS_HASH,
  type ChainVerdict,
  type StoredChainedEvent,
} from "../domain/audit-chain";
import type { Keyring } from "../security/keyring";
import { insertRows } from "./bulk-insert.server";
import { sealFor, type OpenSubject } from "./subjects.server";

/**
 * Who did it: `shopify` (a webhook), `system:worker`, `staff:<Shopify user id>`, `operator:cli`.
 * Actors never carry personal data.
 */
export type Actor = `shopify` | `system:${string}` | `staff:${string}` | `operator:${string}`;

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

export interface ChainHead {
  seq: number;
  hash: string;
}

async function readChainHead(tx: Tx, shopId: string): Promise<ChainHead> {
  const last = await tx.auditEvent.findFirst({
    where: { shopId },
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true },
  });
  return last ?? { seq: 0, hash: GENESIS_HASH };
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
 * Two concurrent appends for one shop collide on the unique (shopId, seq) and one transaction
 * fails rather than forking the chain.
 */
export async function appendAuditEvent(tx: Tx, keyring: Keyring, entry: AuditEntry): Promise<void> {
  await appendAuditEvents(tx, keyring, [entry]);
}

/** Appends many events, possibly of several shops, with one head read per shop and one insert. */
export async function appendAuditEvents(tx: Tx, keyring: Keyring, entries: AuditEntry[]): Promise<void> {
  const byShop = new Map<string, AuditEntry[]>();
  for (const entry of entries) byShop.set(entry.shopId, [...(byShop.get(entry.shopId) ?? []), entry]);
  const rows = [];
  for (const [shopId, shopEntries] of byShop)
    rows.push(...chainEntries(keyring, await readChainHead(tx, shopId), shopEntries));
  await insertRows(
    tx,
    "AuditEvent",
    rows.map((row) => ({ id: randomUUID(), ...row })),
  );
}

const PAGE = 1000;

/**
 * A shop's events in chain order (optionally only those matching `filter`), read in pages so a
 * long history never sits in memory at once.
 */
export async function* shopEventsInOrder(
  db: Db,
  shopId: string,
  filter: AuditLogFilter = {},
): AsyncGenerator<StoredChainedEvent> {
  let afterSeq = 0;
  for (;;) {
    const page = await db.auditEvent.findMany({
      where: { ...auditEventWhere(shopId, filter), seq: { gt: afterSeq } },
      orderBy: { seq: "asc" },
      take: PAGE,
    });
    for (const event of page) yield event;
    if (page.length < PAGE) return;
    afterSeq = page[page.length - 1]!.seq;
  }
}

export async function verifyShopChain(db: Db, keyring: Keyring, shopId: string): Promise<ChainVerdict> {
  const verifier = createChainVerifier((keyId) => keyring.derive("audit-chain", keyId));
  for await (const event of shopEventsInOrder(db, shopId)) if (!verifier.check(event)) break;
  return verifier.verdict();
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
