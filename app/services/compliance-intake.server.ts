import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { afterCommit } from "../db-guard.server";
import type { Db, Tx } from "../db-types";
import { lockShopDomains } from "../db-locks.server";
import { isTransientConflict, isUniqueViolation } from "../db-types";
import { directTransaction } from "../direct-transaction.server";
import type { CompliancePayload } from "../domain/compliance-payloads";
import { newJobRow } from "../queue/job-queue.server";
import { announceQueuedJobs } from "../queue/job-signal.server";
import type { Keyring } from "../security/keyring";
import { appendAuditEvents, type AuditEntry } from "./audit-log.server";
import { insertRows } from "./bulk-insert.server";
import { newRequestRecord, type NewRequest } from "./requests.server";
import { resolveSubjects, sealFor } from "./subjects.server";
import { newRowId } from "../security/row-id";

export interface DeliveryMeta {
  webhookId: string;
  shop: string;
  apiVersion: string;
  eventId?: string | null;
  triggeredAt?: string | null;
}

export interface IntakeItem {
  meta: DeliveryMeta;
  compliance: CompliancePayload;
  now: Date;
}

export type IntakeOutcome =
  | { status: "recorded"; requestId: string | null; jobId: string | null }
  | { status: "duplicate"; reason: "webhook_id" | "data_request_id"; requestId: string | null }
  /** Acknowledged and not stored: the shop was purged by shop/redact and not installed since. */
  | { status: "ignored"; reason: "shop_redacted"; requestId: null };

export async function ingestComplianceWebhook(
  db: Db,
  keyring: Keyring,
  meta: DeliveryMeta,
  compliance: CompliancePayload,
  now: Date,
): Promise<IntakeOutcome> {
  const [outcome] = await ingestComplianceBatch(db, keyring, [{ meta, compliance, now }]);
  return outcome!;
}

/**
 * Records compliance deliveries: for each, the delivery row, the privacy request and its job are
 * written in one transaction, and callers answer 2xx only after it commits, so an acknowledged
 * webhook is never lost. Several deliveries can share the transaction (group commit, see
 * intake-batcher.server.ts); the work is set-based, so a batch costs about what one delivery does.
 * A redelivery (same webhook id), or the same data request under a new webhook id, changes
 * nothing. If a concurrent writer wins a unique-key race, each delivery is retried on its own and
 * the retry finds the winner's rows.
 *
 * shop/redact is final: once a shop's purge receipt exists and the shop has not been installed
 * again since, no delivery for it stores anything (no shop, request, subject or delivery row);
 * it is acknowledged so Shopify stops retrying, and only its webhook id is added to the receipt.
 */
export async function ingestComplianceBatch(
  db: Db,
  keyring: Keyring,
  source: IntakeItem[] | (() => IntakeItem[]),
): Promise<IntakeOutcome[]> {
  // A function source is called once the transaction holds the connection, so everything that
  // queued while it waited joins this batch.
  let items = Array.isArray(source) ? source : undefined;
  const take = () => (items ??= (source as () => IntakeItem[])());
  for (let attempt = 1; ; attempt += 1) {
    try {
      const write = (tx: Tx) => recordBatch(tx, keyring, take());
      return await (directTransaction(db, write) ?? db.$transaction(write));
    } catch (error) {
      // Another instance committed a deadlock victim's rows first, or won a unique-key race: on
      // PostgreSQL both end the whole transaction, which is then run again (or item by item).
      if (isTransientConflict(error) && attempt < 3) continue;
      if (!isUniqueViolation(error)) throw error;
      const taken = take();
      if (taken.length > 1) {
        const outcomes: IntakeOutcome[] = [];
        for (const item of taken) outcomes.push(...(await ingestComplianceBatch(db, keyring, [item])));
        return outcomes;
      }
      if (attempt >= 3) throw error;
    }
  }
}

/** The legal clock starts when Shopify saw the request, if that is known and plausible. */
function receivedAtOf(meta: DeliveryMeta, now: Date): Date {
  const triggered = meta.triggeredAt ? new Date(meta.triggeredAt) : null;
  return triggered && !Number.isNaN(triggered.getTime()) && triggered <= now ? triggered : now;
}

const unique = <T>(values: T[]) => [...new Set(values)];

type DeliveryRow = ReturnType<typeof deliveryRow>;

/** Every column of a WebhookDelivery row; callers override the outcome and what it points at. */
function deliveryRow({ meta, compliance, now }: IntakeItem, shopId: string) {
  return {
    id: newRowId(),
    webhookId: meta.webhookId,
    shopId,
    topic: compliance.topic as string,
    apiVersion: meta.apiVersion,
    eventId: meta.eventId ?? null,
    triggeredAt:
      meta.triggeredAt && !Number.isNaN(Date.parse(meta.triggeredAt)) ? new Date(meta.triggeredAt) : null,
    receivedAt: now,
    outcome: "",
    requestId: null as string | null,
    subjectId: null as string | null,
    payload: null as string | null,
  };
}

async function recordBatch(tx: Tx, keyring: Keyring, items: IntakeItem[]): Promise<IntakeOutcome[]> {
  const outcomes: IntakeOutcome[] = new Array(items.length);

  // 0. The batch's shops, locked until commit (PostgreSQL; SQLite runs one writer at a time):
  // intake in another instance, and a shop/redact purge starting, wait for this batch or it for
  // them, so what is read below (deliveries, receipts, subjects, data requests) stays true until
  // this batch has written.
  await lockShopDomains(tx, unique(items.map((item) => item.meta.shop)));

  // 1. Redeliveries (already stored, or repeated within this batch), and shops purged by
  // shop/redact and not installed since.
  const stored = await tx.$queryRaw<{ webhookId: string; requestId: string | null }[]>`
    SELECT "webhookId", "requestId" FROM "WebhookDelivery"
    WHERE "webhookId" IN (${Prisma.join(unique(items.map((item) => item.meta.webhookId)))})`;
  const storedRequestId = new Map(stored.map((delivery) => [delivery.webhookId, delivery.requestId]));
  const { knownShops, redacted } = await shopsAndReceipts(tx, unique(items.map((item) => item.meta.shop)));
  const firstInBatch = new Map<string, number>();
  const repeatsInBatch: [index: number, first: number][] = [];
  const fresh: number[] = [];
  items.forEach(({ meta }, index) => {
    const receipt = redacted.get(meta.shop);
    if (storedRequestId.has(meta.webhookId)) {
      outcomes[index] = {
        status: "duplicate",
        reason: "webhook_id",
        requestId: storedRequestId.get(meta.webhookId) ?? null,
      };
    } else if (receipt?.webhookIds.has(meta.webhookId)) {
      outcomes[index] = { status: "duplicate", reason: "webhook_id", requestId: null };
    } else if (receipt) {
      receipt.webhookIds.add(meta.webhookId);
      receipt.traced = true;
      outcomes[index] = { status: "ignored", reason: "shop_redacted", requestId: null };
    } else if (firstInBatch.has(meta.webhookId)) {
      repeatsInBatch.push([index, firstInBatch.get(meta.webhookId)!]);
    } else {
      firstInBatch.set(meta.webhookId, index);
      fresh.push(index);
    }
  });
  for (const receipt of redacted.values()) {
    if (!receipt.traced) continue;
    const webhookIds = JSON.stringify([...receipt.webhookIds].slice(-MAX_RECEIPT_WEBHOOK_IDS));
    await tx.$executeRaw`
      UPDATE "ShopRedactionReceipt" SET "webhookIds" = ${webhookIds} WHERE "id" = ${receipt.receiptId}`;
  }

  // 2. Shops: a compliance webhook can arrive for a shop we never saw install.
  const shopIds = await ensureShops(
    tx,
    fresh.map((i) => items[i]!),
    knownShops,
  );

  // 3. Data requests already recorded under another webhook id.
  const requestByDataRequest = await existingDataRequests(
    tx,
    fresh.map((i) => items[i]!),
    shopIds,
  );

  // 4. Build the rows.
  const deliveries: DeliveryRow[] = [];
  const jobs: ReturnType<typeof newJobRow>[] = [];
  const toCreate: { index: number; input: NewRequest }[] = [];
  const sameDataRequestInBatch: [index: number, first: number][] = [];
  const firstForDataRequest = new Map<string, number>();
  for (const index of fresh) {
    const { meta, compliance, now } = items[index]!;
    const shopId = shopIds.get(meta.shop)!;
    const delivery = deliveryRow(items[index]!, shopId);
    if (compliance.topic === "shop/redact") {
      const job = newJobRow({
        shopId,
        kind: "purge_shop",
        payload: {
          shopDomain: meta.shop,
          shopifyShopId: compliance.payload.shop_id,
          webhookId: meta.webhookId,
        },
        runAt: now,
      });
      jobs.push(job);
      deliveries.push({
        ...delivery,
        outcome: "purge_scheduled",
        payload: JSON.stringify(compliance.payload),
      });
      outcomes[index] = { status: "recorded", requestId: null, jobId: job.id };
      continue;
    }
    if (compliance.topic === "customers/data_request") {
      const key = `${shopId}:${compliance.payload.data_request.id}`;
      const existing = requestByDataRequest.get(key);
      if (existing) {
        deliveries.push({
          ...delivery,
          outcome: "duplicate_data_request",
          requestId: existing.id,
          subjectId: existing.subjectId,
        });
        outcomes[index] = { status: "duplicate", reason: "data_request_id", requestId: existing.id };
        continue;
      }
      if (firstForDataRequest.has(key)) {
        sameDataRequestInBatch.push([index, firstForDataRequest.get(key)!]);
        continue;
      }
      firstForDataRequest.set(key, index);
    }
    const { customer } = compliance.payload;
    const isAccess = compliance.topic === "customers/data_request";
    toCreate.push({
      index,
      input: {
        shopId,
        type: isAccess ? "access" : "erasure",
        source: "shopify_webhook",
        regime: "gdpr",
        verified: true,
        receivedAt: receivedAtOf(meta, now),
        customerId: customer.id,
        email: customer.email,
        phone: customer.phone,
        shopifyDataRequestId: isAccess ? compliance.payload.data_request.id : null,
        ordersRequested: isAccess ? compliance.payload.orders_requested : compliance.payload.orders_to_redact,
      },
    });
  }

  const subjects = await resolveSubjects(
    tx,
    keyring,
    toCreate.map(({ input }) => ({ shopId: input.shopId, customerId: input.customerId, email: input.email })),
  );
  const requests: ReturnType<typeof newRequestRecord>["row"][] = [];
  const auditEntries: AuditEntry[] = [];
  toCreate.forEach(({ index, input }, n) => {
    const { compliance, now } = items[index]!;
    const subject = subjects[n]!;
    const { row, audit } = newRequestRecord(keyring, subject, input);
    requests.push(row);
    auditEntries.push(audit("shopify"));
    const job =
      row.status === "approved"
        ? newJobRow({
            shopId: input.shopId,
            kind: "execute_request",
            payload: { shopId: input.shopId, requestId: row.id },
            runAt: now,
          })
        : null;
    if (job) jobs.push(job);
    deliveries.push({
      ...deliveryRow(items[index]!, input.shopId),
      outcome: "request_created",
      requestId: row.id,
      subjectId: subject.id,
      payload: sealFor(subject, "delivery-payload", JSON.stringify(compliance.payload)),
    });
    outcomes[index] = { status: "recorded", requestId: row.id, jobId: job?.id ?? null };
  });

  // Later deliveries of a data request first seen in this batch point at the request it created.
  for (const [index, first] of sameDataRequestInBatch) {
    const requestId = (outcomes[first] as { requestId: string }).requestId;
    const subjectId = requests.find((row) => row.id === requestId)?.subjectId ?? null;
    deliveries.push({
      ...deliveryRow(items[index]!, shopIds.get(items[index]!.meta.shop)!),
      outcome: "duplicate_data_request",
      requestId,
      subjectId,
    });
    outcomes[index] = { status: "duplicate", reason: "data_request_id", requestId };
  }

  // 5. Write, parents first.
  const writtenAt = new Date();
  await insertRows(
    tx,
    "PrivacyRequest",
    requests.map((row) => ({ ...row, createdAt: writtenAt, updatedAt: writtenAt })),
  );
  await appendAuditEvents(tx, keyring, auditEntries);
  await insertRows(tx, "Job", jobs);
  if (jobs.length > 0) afterCommit(announceQueuedJobs);
  await insertRows(tx, "WebhookDelivery", deliveries);

  for (const [index, first] of repeatsInBatch) {
    outcomes[index] = {
      status: "duplicate",
      reason: "webhook_id",
      requestId: outcomes[first]?.requestId ?? null,
    };
  }
  return outcomes;
}

/** The receipt keeps the ids of the deliveries it answered, up to this many (the newest). */
const MAX_RECEIPT_WEBHOOK_IDS = 1000;

interface KnownShop {
  id: string;
  domain: string;
  shopifyShopId: string | null;
}

interface RedactedShop {
  receiptId: string;
  webhookIds: Set<string>;
  traced: boolean;
}

/**
 * The batch's shops, and those among them whose purge receipt is newer than their last install
 * (recordInstall sets installedAt; the purge deletes the shop row, so a receipt without a shop
 * row means no install since). One query: raw SQL costs a fraction of an ORM query on Prisma's
 * JavaScript engine (ADR 002), and this runs for every batch.
 */
async function shopsAndReceipts(tx: Tx, domains: string[]) {
  const rows = await tx.$queryRaw<
    {
      domain: string;
      shopId: string | null;
      shopifyShopId: string | null;
      installedAt: Date | null;
      receiptId: string | null;
      purgedAt: Date | null;
      webhookIds: string | null;
    }[]
  >`
    WITH "wanted" ("domain") AS (VALUES ${Prisma.join(domains.map((domain) => Prisma.sql`(${domain})`))})
    SELECT "wanted"."domain", "Shop"."id" AS "shopId", "Shop"."shopifyShopId", "Shop"."installedAt",
           "ShopRedactionReceipt"."id" AS "receiptId", "ShopRedactionReceipt"."purgedAt",
           "ShopRedactionReceipt"."webhookIds"
    FROM "wanted"
    LEFT JOIN "Shop" ON "Shop"."domain" = "wanted"."domain"
    LEFT JOIN "ShopRedactionReceipt" ON "ShopRedactionReceipt"."shopDomain" = "wanted"."domain"`;
  const knownShops: KnownShop[] = [];
  const redacted = new Map<string, RedactedShop>();
  for (const row of rows) {
    if (row.shopId) knownShops.push({ id: row.shopId, domain: row.domain, shopifyShopId: row.shopifyShopId });
    const purgedSinceInstall =
      row.receiptId !== null && (row.installedAt === null || row.installedAt <= row.purgedAt!);
    if (purgedSinceInstall)
      redacted.set(row.domain, {
        receiptId: row.receiptId!,
        webhookIds: new Set(JSON.parse(row.webhookIds!) as string[]),
        traced: false,
      });
  }
  return { knownShops, redacted };
}

async function ensureShops(tx: Tx, items: IntakeItem[], existing: KnownShop[]): Promise<Map<string, string>> {
  const shopifyIdByDomain = new Map(items.map((item) => [item.meta.shop, item.compliance.payload.shop_id]));
  if (shopifyIdByDomain.size === 0) return new Map();
  const ids = new Map(existing.map((shop) => [shop.domain, shop.id]));
  const missing = [...shopifyIdByDomain].filter(([domain]) => !ids.has(domain));
  // Raw SQL throughout: intake may run in a direct transaction (no ORM there). Every
  // column Prisma would fill is given, as insertRows requires.
  const now = new Date();
  if (missing.length) {
    const rows = missing.map(([domain, shopifyShopId]) => ({
      id: randomUUID(),
      domain,
      shopifyShopId,
      installedAt: now,
      createdAt: now,
      updatedAt: now,
    }));
    await insertRows(tx, "Shop", rows);
    for (const row of rows) ids.set(row.domain, row.id);
  }
  for (const shop of existing) {
    const shopifyShopId = shopifyIdByDomain.get(shop.domain);
    if (!shop.shopifyShopId && shopifyShopId)
      await tx.$executeRaw`
        UPDATE "Shop" SET "shopifyShopId" = ${shopifyShopId}, "updatedAt" = ${now} WHERE "id" = ${shop.id}`;
  }
  return ids;
}

async function existingDataRequests(tx: Tx, items: IntakeItem[], shopIds: Map<string, string>) {
  const idsByShop = new Map<string, string[]>();
  for (const { meta, compliance } of items) {
    if (compliance.topic !== "customers/data_request") continue;
    const shopId = shopIds.get(meta.shop)!;
    idsByShop.set(shopId, [...(idsByShop.get(shopId) ?? []), compliance.payload.data_request.id]);
  }
  if (idsByShop.size === 0) return new Map<string, { id: string; subjectId: string | null }>();
  const bySomeShop = [...idsByShop].map(
    ([shopId, ids]) =>
      Prisma.sql`("shopId" = ${shopId} AND "shopifyDataRequestId" IN (${Prisma.join(unique(ids))}))`,
  );
  const rows = await tx.$queryRaw<
    { id: string; shopId: string; subjectId: string | null; shopifyDataRequestId: string }[]
  >`
    SELECT "id", "shopId", "subjectId", "shopifyDataRequestId" FROM "PrivacyRequest"
    WHERE ${Prisma.join(bySomeShop, " OR ")}`;
  return new Map(
    rows.map((row) => [
      `${row.shopId}:${row.shopifyDataRequestId}`,
      { id: row.id, subjectId: row.subjectId },
    ]),
  );
}
