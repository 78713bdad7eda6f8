import type { Db, Tx } from "../db-types";
import { removeShopExportDirectory, type ExportStorage } from "../exports/export-store.server";
import { eraseSubjects } from "./subjects.server";

export interface CustomerRedactionCounts {
  subjects: number;
  requests: number;
  deliveries: number;
  exports: number;
}

export interface CustomerRedaction {
  counts: CustomerRedactionCounts;
  /** The person's requests in this shop (each now without their personal data). */
  requestIds: string[];
  /** Export files to remove from disk once the transaction has committed. */
  exportPaths: string[];
}

/** Who to erase: any of a Shopify customer id, an email blind index, or known subject ids. */
export interface RedactionTarget {
  customerId: string | null;
  emailHash: string | null;
  subjectIds?: string[];
}

/**
 * Erases what the app holds on one customer of one shop: clears the sealed columns of their
 * requests and deliveries and destroys their subject keys, which also makes their personal data
 * in audit events unreadable. Running it twice changes nothing more.
 */
export async function redactCustomerData(
  tx: Tx,
  input: RedactionTarget & { shopId: string; now: Date },
): Promise<CustomerRedaction> {
  const identity = [
    ...(input.customerId ? [{ customerId: input.customerId }] : []),
    ...(input.emailHash ? [{ emailHash: input.emailHash }] : []),
    ...(input.subjectIds?.length ? [{ id: { in: input.subjectIds } }] : []),
  ];
  if (identity.length === 0)
    return {
      counts: { subjects: 0, requests: 0, deliveries: 0, exports: 0 },
      requestIds: [],
      exportPaths: [],
    };

  const subjects = await tx.dataSubject.findMany({
    where: { shopId: input.shopId, OR: identity },
    select: { id: true },
  });
  const subjectIds = subjects.map((subject) => subject.id);
  const requestMatch = [
    ...(input.customerId ? [{ customerId: input.customerId }] : []),
    ...(input.emailHash ? [{ emailHash: input.emailHash }] : []),
    { subjectId: { in: subjectIds } },
  ];

  const matchedRequests = await tx.privacyRequest.findMany({
    where: { shopId: input.shopId, OR: requestMatch },
    select: { id: true },
  });
  const requestIds = matchedRequests.map((request) => request.id);
  const requests = await tx.privacyRequest.updateMany({
    where: { id: { in: requestIds } },
    data: {
      emailCipher: null,
      phoneCipher: null,
      nameCipher: null,
      messageCipher: null,
      emailHash: null,
      redactedAt: input.now,
    },
  });
  await tx.storefrontVerification.updateMany({
    where: { requestId: { in: requestIds } },
    data: { codeCipher: null, codeHash: null },
  });
  // Exports hold the person's data in full: they go too, whatever their retention said.
  const exports = await tx.exportFile.findMany({
    where: { shopId: input.shopId, requestId: { in: requestIds }, deletedAt: null },
    select: { path: true },
  });
  await tx.exportFile.updateMany({
    where: { shopId: input.shopId, requestId: { in: requestIds }, deletedAt: null },
    data: { deletedAt: input.now },
  });
  const deliveries = await tx.webhookDelivery.updateMany({
    where: { shopId: input.shopId, subjectId: { in: subjectIds } },
    data: { payload: null, redactedAt: input.now },
  });
  const erased = await eraseSubjects(tx, subjectIds, input.now);
  return {
    counts: {
      subjects: erased,
      requests: requests.count,
      deliveries: deliveries.count,
      exports: exports.length,
    },
    requestIds,
    exportPaths: exports.map((row) => row.path),
  };
}

export interface ShopPurgeCounts {
  exportFiles: number;
  exportLinks: number;
  digestRuns: number;
  staffRoles: number;
  settings: number;
  storefront: number;
  sessions: number;
  requests: number;
  subjects: number;
  deliveries: number;
  jobs: number;
  auditEvents: number;
  shops: number;
}

const ZERO_COUNTS: ShopPurgeCounts = {
  exportFiles: 0,
  exportLinks: 0,
  digestRuns: 0,
  staffRoles: 0,
  settings: 0,
  storefront: 0,
  sessions: 0,
  requests: 0,
  subjects: 0,
  deliveries: 0,
  jobs: 0,
  auditEvents: 0,
  shops: 0,
};

/**
 * shop/redact: removes everything the app holds for the shop (its own job included) and leaves a
 * single receipt with the domain, the time and how much was removed. Repeats add to the receipt.
 */
export async function purgeShop(
  db: Db,
  input: { shopDomain: string; shopifyShopId: string | null; webhookId: string; now: Date },
): Promise<{ counts: ShopPurgeCounts; shopId: string | null }> {
  return db.$transaction(async (tx) => {
    const counts = { ...ZERO_COUNTS };
    counts.sessions = (await tx.session.deleteMany({ where: { shop: input.shopDomain } })).count;
    const shop = await tx.shop.findUnique({ where: { domain: input.shopDomain }, select: { id: true } });
    if (shop) {
      const where = { shopId: shop.id };
      counts.exportLinks = (await tx.exportLink.deleteMany({ where })).count;
      counts.digestRuns = (await tx.digestRun.deleteMany({ where })).count;
      counts.exportFiles = (await tx.exportFile.deleteMany({ where })).count;
      // The storefront's rows (ADR 010): codes, emails, texts, counters and spent tokens.
      counts.storefront =
        (await tx.storefrontVerification.deleteMany({ where })).count +
        (await tx.outboundEmail.deleteMany({ where })).count +
        (await tx.storefrontText.deleteMany({ where })).count +
        (await tx.rateLimitCounter.deleteMany({ where })).count +
        (await tx.formTokenUse.deleteMany({ where })).count;
      counts.auditEvents = (await tx.auditEvent.deleteMany({ where })).count;
      counts.deliveries = (await tx.webhookDelivery.deleteMany({ where })).count;
      counts.jobs = (await tx.job.deleteMany({ where })).count;
      counts.requests = (await tx.privacyRequest.deleteMany({ where })).count;
      counts.subjects = (await tx.dataSubject.deleteMany({ where })).count;
      counts.staffRoles = (await tx.staffRole.deleteMany({ where })).count;
      counts.settings = (await tx.shopSettings.deleteMany({ where })).count;
      counts.shops = (await tx.shop.deleteMany({ where: { id: shop.id } })).count;
    }

    const previous = await tx.shopRedactionReceipt.findUnique({ where: { shopDomain: input.shopDomain } });
    const webhookIds = previous ? (JSON.parse(previous.webhookIds) as string[]) : [];
    if (!webhookIds.includes(input.webhookId)) webhookIds.push(input.webhookId);
    const total = { ...counts };
    if (previous) {
      const before = JSON.parse(previous.removedCounts) as Partial<ShopPurgeCounts>;
      for (const key of Object.keys(total) as (keyof ShopPurgeCounts)[]) total[key] += before[key] ?? 0;
    }
    await tx.shopRedactionReceipt.upsert({
      where: { shopDomain: input.shopDomain },
      create: {
        shopDomain: input.shopDomain,
        shopifyShopId: input.shopifyShopId,
        webhookIds: JSON.stringify(webhookIds),
        purgedAt: input.now,
        removedCounts: JSON.stringify(total),
      },
      update: {
        webhookIds: JSON.stringify(webhookIds),
        purgedAt: input.now,
        removedCounts: JSON.stringify(total),
      },
    });
    return { counts, shopId: shop?.id ?? null };
  });
}

/** shop/redact end to end: the database purge, then the shop's export files on disk. */
export async function purgeShopEverywhere(
  db: Db,
  storage: ExportStorage,
  input: { shopDomain: string; shopifyShopId: string | null; webhookId: string; now: Date },
): Promise<ShopPurgeCounts> {
  const { counts, shopId } = await purgeShop(db, input);
  if (shopId) await removeShopExportDirectory(storage, shopId);
  return counts;
}
