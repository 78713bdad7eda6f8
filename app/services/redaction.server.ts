import { Prisma } from "@prisma/client";
import { lockForTransaction, lockShopDomains, lockShops } from "../db-locks.server";
import { sqlDialect, type Db, type Tx } from "../db-types";
import { enqueueJob } from "../queue/job-queue.server";
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

/** A shop being purged keeps its row, renamed so that its domain is free for a new install. */
const PURGING_PREFIX = "purging/";
const purgingDomain = (domain: string, shopId: string) => `${PURGING_PREFIX}${domain}/${shopId}`;

/**
 * The shop's tables, children before parents, the ones holding personal data in clear or with
 * its keys first: once settings (staff addresses), requests and subjects are gone, what is left
 * (deliveries, audit events) is sealed with keys that no longer exist. Jobs go last and the
 * purge's own job only in the final step, so a purge stopped before then is always retried.
 */
const PURGE_ORDER = [
  // The requester's download links and tickets, before the exports they open.
  ["ExportLink", "exportLinks"],
  ["DigestRun", "digestRuns"],
  ["ExportFile", "exportFiles"],
  ["ShopSettings", "settings"],
  ["StaffRole", "staffRoles"],
  // The storefront's rows (ADR 010): codes, emails, texts, counters and spent form tokens.
  ["StorefrontVerification", "storefront"],
  ["OutboundEmail", "storefront"],
  ["StorefrontText", "storefront"],
  ["RateLimitCounter", "storefront"],
  ["FormTokenUse", "storefront"],
  ["PrivacyRequest", "requests"],
  ["DataSubject", "subjects"],
  ["WebhookDelivery", "deliveries"],
  ["AuditEvent", "auditEvents"],
  ["Job", "jobs"],
] as const satisfies readonly (readonly [string, keyof ShopPurgeCounts])[];

/** Every table shop/redact empties row by row (the Shop row itself goes last, sessions by domain). */
export const SHOP_PURGED_TABLES: readonly string[] = PURGE_ORDER.map(([table]) => table);

/** How long the purge rests after each chunk, per millisecond the chunk took (see step 2). */
export const PURGE_REST_PER_MS_HELD = { sqlite: 1, postgresql: 0.5 } as const;

export interface PurgeInput {
  shopDomain: string;
  shopifyShopId: string | null;
  webhookId: string;
  now: Date;
}

export interface PurgeTuning {
  /** Rows deleted by the first statement of each table; then sized to take about targetChunkMs. */
  chunkRows?: number;
  targetChunkMs?: number;
  /** Runs after the chunks, before the final transaction (which deletes the purge's own job). */
  beforeFinalStep?: (shopIds: string[]) => Promise<void>;
  /** Told about each committed chunk (benchmarks measure them; tests pause or stop a purge here). */
  onChunk?: (chunk: { table: string; rows: number; ms: number }) => Promise<void> | void;
}

/**
 * shop/redact: removes everything the app holds for the shop (its own job included) and leaves a
 * single receipt with the domain, the time and how much was removed. Repeats add to the receipt.
 *
 * A shop can hold a million audit events, so this is not one transaction (it would hold SQLite's
 * only writer, or bloat PostgreSQL, for as long as it runs). It goes in three steps:
 *  1. one short transaction detaches the shop: its row is renamed (`purging/<domain>/<id>`), its
 *     sessions and queued jobs deleted, and the receipt written, so from its commit on no
 *     delivery for the domain stores anything (intake reads the receipt, ADR 005) and a new
 *     install starts a new shop;
 *  2. the detached shop's rows are deleted table by table in chunks of about targetChunkMs each,
 *     every chunk with its count added to the receipt, so other shops' queries run in between;
 *  3. one transaction deletes whatever in-flight work still wrote, and the shop row itself.
 * A purge stopped anywhere (a crash, kill -9) is resumed by the job's retry, which finds the
 * detached shop by its renamed domain. Two purges of one domain take turns chunk by chunk.
 */
export async function purgeShop(
  db: Db,
  input: PurgeInput,
  tuning: PurgeTuning = {},
): Promise<{ counts: ShopPurgeCounts; shopIds: string[] }> {
  const counts = { ...ZERO_COUNTS };
  const lockName = `shop-purge:${input.shopDomain}`;
  const addToReceipt = async (tx: Tx, removed: Partial<ShopPurgeCounts>) => {
    for (const [key, value] of Object.entries(removed) as [keyof ShopPurgeCounts, number][])
      counts[key] += value;
    await recordRemoved(tx, input, removed);
  };

  // 1. Detach.
  const shopIds = await db.$transaction(async (tx) => {
    // Intake for this domain waits, or this waits for it: its next batch sees the receipt.
    await lockShopDomains(tx, [input.shopDomain]);
    await lockForTransaction(tx, lockName);
    // A retry of a purge that already detached the shop must not purge a new install since.
    const started = await tx.shopRedactionReceipt.findUnique({ where: { shopDomain: input.shopDomain } });
    const resumed =
      started !== null && (JSON.parse(started.webhookIds) as string[]).includes(input.webhookId);
    const live = await tx.shop.findUnique({
      where: { domain: input.shopDomain },
      select: { id: true, installedAt: true },
    });
    const installedSince = resumed && live !== null && live.installedAt > started.purgedAt;
    if (!installedSince) {
      const sessions = (await tx.session.deleteMany({ where: { shop: input.shopDomain } })).count;
      await addToReceipt(tx, { sessions });
    }
    if (live && !installedSince) {
      await tx.shop.update({
        where: { id: live.id },
        data: { domain: purgingDomain(input.shopDomain, live.id) },
      });
      const jobs = await tx.job.deleteMany({
        where: { shopId: live.id, status: "queued", kind: { not: "purge_shop" } },
      });
      await addToReceipt(tx, { jobs: jobs.count });
    }
    const detached = await tx.shop.findMany({
      where: { domain: { startsWith: `${PURGING_PREFIX}${input.shopDomain}/` } },
      select: { id: true },
    });
    return detached.map((shop) => shop.id);
  });

  // 2. Chunks, one table after another on one connection. Every chunk competes with other shops'
  // webhooks: on SQLite for the only writer, on PostgreSQL for the database's cores and WAL. So
  // the purge is one stream, and after each chunk it rests: on SQLite as long as the chunk held
  // the only writer (another shop's webhook reaches the writer over a few event-loop turns;
  // without the rest the purge's next chunk was always queued first), on PostgreSQL half as long,
  // so the purge keeps at most two thirds of a database core. bench:purge at 200 other-shop
  // webhooks/s on two cores: PostgreSQL in two streams took 6.7-8.9 s and other shops' p99 was
  // 171-432 ms; in one stream with no rest 5.6-9.5 s and 56-133 ms (over 100 ms in 10 runs of
  // 19), with this rest 7.7-12.3 s and 47-179 ms (over 100 ms in 2 of 16); with the rest, no
  // per-row foreign-key checks and deleteChunk's start 6.4-11.0 s and 50-182 ms (14 runs; in 4
  // pairs alternated with the version before, 1.9 s shorter on average). SQLite: p99 177 ms with
  // no rest, 84-94 ms with it (the purge 37-49 s).
  const dialect = sqlDialect(db);
  const target = tuning.targetChunkMs ?? (dialect === "sqlite" ? 20 : 50);
  const restPerMsHeld = PURGE_REST_PER_MS_HELD[dialect];
  const purgeTable = async (shopId: string, table: string, key: keyof ShopPurgeCounts) => {
    let rows = tuning.chunkRows ?? 2_000;
    let from = FIRST_ROW;
    for (;;) {
      let held = 0;
      const removed = await db.$transaction(async (tx) => {
        const began = performance.now();
        const chunk = await deleteChunk(tx, table, shopId, rows, from);
        // Only the receipt's update takes turns (with a purge of the domain from another delivery).
        await lockForTransaction(tx, lockName);
        await addToReceipt(tx, { [key]: chunk.removed });
        held = performance.now() - began;
        from = chunk.from;
        return chunk.removed;
      });
      // The chunk's own time, not the wait for the connection (or the receipt's lock) before it.
      const took = Math.max(1, held);
      await tuning.onChunk?.({ table, rows: removed, ms: took });
      // On SQLite some pause is needed in any case: better-sqlite3 answers synchronously, so
      // without one the whole purge would run in one turn of the event loop.
      await new Promise((resolve) => setTimeout(resolve, took * restPerMsHeld));
      if (removed < rows) return;
      rows = Math.round(Math.min(50_000, Math.max(200, rows * Math.min(4, target / took))));
    }
  };
  for (const shopId of shopIds) for (const [table, key] of PURGE_ORDER) await purgeTable(shopId, table, key);

  // 3. What in-flight work wrote meanwhile, then the shop itself (the purge's own job with it).
  await tuning.beforeFinalStep?.(shopIds);
  await db.$transaction(async (tx) => {
    await lockForTransaction(tx, lockName);
    for (const shopId of shopIds) {
      await lockShops(tx, [shopId]);
      const removed: Partial<ShopPurgeCounts> = {};
      for (const [table, key] of PURGE_ORDER) removed[key] = await deleteAll(tx, table, shopId);
      removed.shops = (await tx.shop.deleteMany({ where: { id: shopId } })).count;
      await addToReceipt(tx, removed);
    }
  });
  return { counts, shopIds };
}

/** The physical address before any row: where a table's first chunk starts looking. */
const FIRST_ROW = "(0,0)";

/**
 * Deletes up to `limit` rows of the shop from `table`; returns how many, and where the next chunk
 * starts looking (the first address this one deleted). Rows are deleted by their physical address
 * (ctid on PostgreSQL, rowid on SQLite), not looked up again by primary key.
 *
 * PostgreSQL reads a shop that is most of the table with a sequential scan, and a sequential scan
 * of a big table starts where the last one stopped (synchronized scans). So without `from`, the
 * chunk that reached the table's end went on from its start, rereading every page deleted so far:
 * in bench:purge that one statement took 290-470 ms, the others 40. Starting at the previous
 * chunk's first row instead, each chunk rereads only the pages the one before emptied. Where the
 * shop's rows are read through an index, their order is not the table's, and a chunk may pass over
 * a few rows before its start: the final step (deleteAll) takes those.
 */
async function deleteChunk(
  tx: Tx,
  table: string,
  shopId: string,
  limit: number,
  from: string,
): Promise<{ removed: number; from: string }> {
  const name = Prisma.raw(`"${table}"`);
  // The purge's own job (and a concurrent one's) stays for the final step.
  const notAPurge = table === "Job" ? Prisma.sql`AND "kind" <> 'purge_shop'` : Prisma.empty;
  if (sqlDialect(tx) === "postgresql") {
    const [chunk] = await tx.$queryRaw<{ removed: number; first: string | null }[]>`
      WITH gone AS (
        DELETE FROM ${name} WHERE ctid = ANY(ARRAY(
          SELECT ctid FROM ${name} WHERE "shopId" = ${shopId} AND ctid >= ${from}::tid ${notAPurge} LIMIT ${limit}))
        RETURNING ctid)
      SELECT count(*)::int AS "removed", min(ctid)::text AS "first" FROM gone`;
    return { removed: chunk!.removed, from: chunk!.first ?? from };
  }
  const removed =
    await tx.$executeRaw`DELETE FROM ${name} WHERE rowid IN (SELECT rowid FROM ${name} WHERE "shopId" = ${shopId} ${notAPurge} LIMIT ${limit})`;
  return { removed, from };
}

/** Deletes every row of the shop from `table`; returns how many. */
async function deleteAll(tx: Tx, table: string, shopId: string): Promise<number> {
  return tx.$executeRaw`DELETE FROM ${Prisma.raw(`"${table}"`)} WHERE "shopId" = ${shopId}`;
}

/** Adds to the shop's receipt (creating it on the first call of a purge), naming this delivery. */
async function recordRemoved(tx: Tx, input: PurgeInput, removed: Partial<ShopPurgeCounts>): Promise<void> {
  const previous = await tx.shopRedactionReceipt.findUnique({ where: { shopDomain: input.shopDomain } });
  const webhookIds = previous ? (JSON.parse(previous.webhookIds) as string[]) : [];
  const total = {
    ...ZERO_COUNTS,
    ...(previous ? (JSON.parse(previous.removedCounts) as ShopPurgeCounts) : {}),
  };
  for (const [key, value] of Object.entries(removed) as [keyof ShopPurgeCounts, number][])
    total[key] += value;
  if (previous && webhookIds.includes(input.webhookId)) {
    await tx.shopRedactionReceipt.update({
      where: { shopDomain: input.shopDomain },
      data: { removedCounts: JSON.stringify(total) },
    });
    return;
  }
  webhookIds.push(input.webhookId);
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
}

/** shop/redact end to end: the database purge, then the shop's export files on disk. */
export async function purgeShopEverywhere(
  db: Db,
  storage: ExportStorage,
  input: PurgeInput,
  tuning?: PurgeTuning,
): Promise<ShopPurgeCounts> {
  // The files go before the final step too: after it the purge's job is gone, and a crash then
  // could leave them behind. After it, again, for whatever an export still running wrote.
  const { counts, shopIds } = await purgeShop(db, input, {
    ...tuning,
    beforeFinalStep: async (ids) => {
      for (const shopId of ids) await removeShopExportDirectory(storage, shopId);
    },
  });
  for (const shopId of shopIds) await removeShopExportDirectory(storage, shopId);
  return counts;
}

/**
 * Purges that stopped for good (their job failed every attempt, or was lost with a database
 * restore) leave a detached shop behind, with whatever it still held. The watchdog puts each back
 * in the queue: shop/redact has no deadline to miss, but it must finish.
 */
export async function requeueStrandedPurges(db: Db, now: Date): Promise<string[]> {
  const detached = await db.shop.findMany({
    where: { domain: { startsWith: PURGING_PREFIX } },
    select: { id: true, domain: true },
  });
  const requeued: string[] = [];
  for (const shop of detached) {
    const shopDomain = shop.domain.slice(PURGING_PREFIX.length, shop.domain.lastIndexOf("/"));
    await db.$transaction(async (tx) => {
      await lockForTransaction(tx, `shop-purge:${shopDomain}`);
      const live = await tx.job.count({
        where: { shopId: shop.id, kind: "purge_shop", status: { in: ["queued", "running"] } },
      });
      if (live > 0) return;
      const receipt = await tx.shopRedactionReceipt.findUnique({ where: { shopDomain } });
      const [webhookId] = receipt ? (JSON.parse(receipt.webhookIds) as string[]) : [];
      await enqueueJob(tx, {
        shopId: shop.id,
        kind: "purge_shop",
        payload: {
          shopDomain,
          shopifyShopId: receipt?.shopifyShopId ?? null,
          webhookId: webhookId ?? "watchdog",
        },
        runAt: now,
      });
      requeued.push(shop.id);
    });
  }
  return requeued;
}
