import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { sqlDialect } from "../../app/db-types";
import { createWorker } from "../../app/jobs/worker.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { action } from "../../app/routes/webhooks.compliance";
import { insertRows } from "../../app/services/bulk-insert.server";
import {
  PURGE_REST_PER_MS_HELD,
  purgeShop,
  requeueStrandedPurges,
  type ShopPurgeCounts,
} from "../../app/services/redaction.server";
import { recordInstall } from "../../app/services/shops.server";
import { countAllRows } from "../helpers/db";
import { OTHER_SHOP, SHOP } from "../helpers/constants";
import { resetDatabase } from "../helpers/reset";
import { samplePayload, signedWebhook } from "../helpers/webhooks";
import { noAdminApi, testExportStorage } from "../helpers/worker-deps";

const post = async (
  topic: "customers/data_request" | "customers/redact" | "shop/redact",
  shop: string,
  body?: Record<string, unknown>,
) =>
  (await action({
    request: signedWebhook({ topic, shop, body: body ?? samplePayload(topic, shop) }),
    params: {},
    context: {},
  })) as Response;

const worker = () =>
  createWorker({
    db: getDb(),
    keyring: getKeyring(),
    logger,
    exports: testExportStorage(),
    admin: noAdminApi,
  });

/** A shop with 3 requests through intake, plus `extraEvents` audit events written directly. */
async function shopWithHistory(shop: string, extraEvents: number) {
  for (let i = 1; i <= 3; i += 1)
    expect(
      (
        await post("customers/data_request", shop, {
          ...samplePayload("customers/data_request", shop),
          data_request: { id: i },
          customer: { id: i, email: `c${i}@example.com` },
        })
      ).status,
    ).toBe(200);
  const { id: shopId } = await getDb().shop.findUniqueOrThrow({ where: { domain: shop } });
  const rows = Array.from({ length: extraEvents }, (_, i) => ({
    id: randomUUID(),
    shopId,
    seq: 1000 + i,
    requestId: null,
    actor: "system:test",
    action: "test.filler",
    occurredAt: new Date(),
    data: "{}",
    subjectId: null,
    piiCipher: null,
    chainKeyId: "k",
    prevHash: "x",
    hash: "y",
  }));
  for (let i = 0; i < rows.length; i += 500) await insertRows(getDb(), "AuditEvent", rows.slice(i, i + 500));
  return shopId;
}

const purgeInput = (webhookId = randomUUID()) => ({
  shopDomain: SHOP,
  shopifyShopId: "1",
  webhookId,
  now: new Date(),
});

const receiptCounts = async () =>
  JSON.parse(
    (await getDb().shopRedactionReceipt.findUniqueOrThrow({ where: { shopDomain: SHOP } })).removedCounts,
  ) as ShopPurgeCounts;

beforeEach(resetDatabase);

describe("shop/redact in chunks", () => {
  it("deletes a large shop chunk by chunk, counting every chunk in the receipt, and leaves the other shop alone", async () => {
    // GIVEN a shop with 3 requests and 2,500 more audit events, and another shop
    await shopWithHistory(SHOP, 2_500);
    await shopWithHistory(OTHER_SHOP, 10);
    const otherBefore = await getDb().auditEvent.count({ where: { shop: { domain: OTHER_SHOP } } });

    // WHEN it is purged in chunks of at most 400 rows (sized to 1 ms each)
    const chunks: { table: string; rows: number }[] = [];
    const { counts } = await purgeShop(getDb(), purgeInput(), {
      chunkRows: 400,
      targetChunkMs: 1,
      onChunk: (chunk) => void chunks.push(chunk),
    });

    // THEN the audit events went in several chunks, none bigger than asked for
    const eventChunks = chunks.filter((chunk) => chunk.table === "AuditEvent");
    expect(eventChunks.length).toBeGreaterThan(3);
    expect(Math.max(...eventChunks.map((chunk) => chunk.rows))).toBeLessThanOrEqual(400);
    // AND the receipt counts exactly what went, nothing of the shop is left
    expect(counts.auditEvents).toBe(2_503);
    expect(await receiptCounts()).toEqual(counts);
    expect(counts).toMatchObject({ requests: 3, subjects: 3, deliveries: 3, shops: 1 });
    expect(await getDb().shop.findMany({ select: { domain: true } })).toEqual([{ domain: OTHER_SHOP }]);
    expect(await getDb().auditEvent.count()).toBe(otherBefore);
  });

  it("answers another shop's webhook while a big purge still has chunks to delete", async () => {
    // GIVEN a shop with 2,500 more audit events
    await shopWithHistory(SHOP, 2_500);
    // WHEN it is purged in small chunks and a webhook for another shop arrives as the purge starts
    let chunks = 0;
    const purge = purgeShop(getDb(), purgeInput(), {
      chunkRows: 200,
      targetChunkMs: 1,
      onChunk: () => void (chunks += 1),
    });
    const answered = post("customers/data_request", OTHER_SHOP).then((response) => ({
      status: response.status,
      chunksBefore: chunks,
    }));
    await purge;
    // THEN the webhook was answered before the purge's last chunk, not after it
    const { status, chunksBefore } = await answered;
    expect(status).toBe(200);
    expect(chunks).toBeGreaterThan(5);
    expect(chunksBefore).toBeLessThan(chunks);
  });

  it("rests after every chunk in proportion to how long the chunk took, so other shops get the database in between", async () => {
    // GIVEN a shop with 5,000 more audit events
    await shopWithHistory(SHOP, 5_000);
    // WHEN it is purged in chunks sized to take about 5 ms each
    const chunks: { table: string; ms: number; endedAt: number }[] = [];
    await purgeShop(getDb(), purgeInput(), {
      chunkRows: 200,
      targetChunkMs: 5,
      onChunk: ({ table, ms }) => void chunks.push({ table, ms, endedAt: performance.now() }),
    });
    // THEN between one chunk's end and the next one's start there passed at least the rest
    const restPerMsHeld = PURGE_REST_PER_MS_HELD[sqlDialect(getDb())];
    const gaps = chunks.slice(1).map((next, i) => ({
      gap: next.endedAt - next.ms - chunks[i]!.endedAt,
      rest: restPerMsHeld * chunks[i]!.ms,
    }));
    const eventGaps = gaps.filter(
      (_, i) => chunks[i]!.table === "AuditEvent" && chunks[i + 1]!.table === "AuditEvent",
    );
    expect(eventGaps.length).toBeGreaterThan(3);
    // (timers count whole milliseconds from the event loop's cached clock, so may fire a little early)
    for (const { gap, rest } of gaps) expect(gap).toBeGreaterThanOrEqual(rest - 2);
  });

  it("is finished by the job's retry when the purge stopped halfway, and counts each row once", async () => {
    // GIVEN a shop/redact delivered for a shop with history
    await shopWithHistory(SHOP, 1_200);
    expect((await post("shop/redact", SHOP)).status).toBe(200);
    const job = await getDb().job.findFirstOrThrow({ where: { kind: "purge_shop" } });

    // WHEN the purge stops after its first chunk of audit events (the process died)…
    const payload = JSON.parse(job.payload) as {
      shopDomain: string;
      shopifyShopId: string;
      webhookId: string;
    };
    const stopped = await purgeShop(
      getDb(),
      { ...payload, now: new Date() },
      {
        chunkRows: 300,
        onChunk: (chunk) => {
          if (chunk.table === "AuditEvent") throw new Error("killed");
        },
      },
    ).catch((error: Error) => error.message);
    expect(stopped).toBe("killed");

    // THEN meanwhile the shop is detached: deliveries for it store nothing, and rows remain to delete
    expect(await (await post("customers/redact", SHOP)).json()).toMatchObject({ status: "ignored" });
    expect(await getDb().auditEvent.count()).toBeGreaterThan(0);
    expect(await getDb().job.count({ where: { id: job.id } })).toBe(1);

    // WHEN the worker runs the job again
    await worker().drain();

    // THEN nothing of the shop is left but the receipt, whose counts add up to what there was
    expect(await countAllRows()).toMatchObject({
      shops: 0,
      requests: 0,
      subjects: 0,
      deliveries: 0,
      jobs: 0,
      auditEvents: 0,
      receipts: 1,
    });
    expect(await receiptCounts()).toMatchObject({ auditEvents: 1_203, requests: 3, deliveries: 4, shops: 1 });
  });

  it("lets the shop install again while its old data is still being deleted, without touching the new install", async () => {
    // GIVEN a shop being purged, paused after its first chunk
    await shopWithHistory(SHOP, 600);
    let resume!: () => void;
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    let paused!: () => void;
    const isPaused = new Promise<void>((resolve) => (paused = resolve));
    let first = true;
    const purge = purgeShop(getDb(), purgeInput(), {
      chunkRows: 200,
      targetChunkMs: 1_000_000,
      onChunk: async () => {
        if (!first) return;
        first = false;
        paused();
        await resumed;
      },
    });
    await isPaused;

    // WHEN the merchant installs the app again and a data request arrives
    await recordInstall(getDb(), { domain: SHOP, scopes: "read_customers" });
    const after = await (await post("customers/data_request", SHOP)).json();
    resume();
    await purge;

    // THEN the new install and its request survive the purge of the old shop
    expect(after).toMatchObject({ status: "recorded" });
    const shops = await getDb().shop.findMany();
    expect(shops.map((shop) => shop.domain)).toEqual([SHOP]);
    expect(await getDb().privacyRequest.count({ where: { shopId: shops[0]!.id } })).toBe(1);
    expect(await getDb().privacyRequest.count()).toBe(1);
  });

  it("finishes an interrupted purge without purging an install made since", async () => {
    // GIVEN a purge that stopped after its first chunk
    await shopWithHistory(SHOP, 500);
    expect((await post("shop/redact", SHOP)).status).toBe(200);
    const job = await getDb().job.findFirstOrThrow({ where: { kind: "purge_shop" } });
    const payload = JSON.parse(job.payload) as {
      shopDomain: string;
      shopifyShopId: string;
      webhookId: string;
    };
    await purgeShop(
      getDb(),
      { ...payload, now: new Date() },
      {
        chunkRows: 100,
        targetChunkMs: 1_000_000,
        onChunk: () => {
          throw new Error("killed");
        },
      },
    ).catch(() => undefined);

    // WHEN the shop installs again, receives a request, and only then the job is retried
    await new Promise((resolve) => setTimeout(resolve, 5));
    await recordInstall(getDb(), { domain: SHOP, scopes: "read_customers" });
    expect(await (await post("customers/data_request", SHOP)).json()).toMatchObject({ status: "recorded" });
    await worker().drain();

    // THEN the old shop is gone and the new install, with its request and session-free row, remains
    const shops = await getDb().shop.findMany();
    expect(shops.map((shop) => shop.domain)).toEqual([SHOP]);
    expect(await getDb().privacyRequest.count({ where: { shopId: shops[0]!.id } })).toBe(1);
    expect(await getDb().privacyRequest.count()).toBe(1);
    expect(await getDb().job.count({ where: { kind: "purge_shop" } })).toBe(0);
  });

  it("is queued again by the watchdog when its job is gone, and only then", async () => {
    // GIVEN a purge that stopped halfway and whose job was then lost (failed for good, or a restore)
    await shopWithHistory(SHOP, 300);
    expect((await post("shop/redact", SHOP)).status).toBe(200);
    const job = await getDb().job.findFirstOrThrow({ where: { kind: "purge_shop" } });
    const payload = JSON.parse(job.payload) as {
      shopDomain: string;
      shopifyShopId: string;
      webhookId: string;
    };
    await purgeShop(
      getDb(),
      { ...payload, now: new Date() },
      {
        chunkRows: 100,
        onChunk: () => {
          throw new Error("killed");
        },
      },
    ).catch(() => undefined);

    // WHEN the watchdog looks while the job is still there, nothing is added
    expect(await requeueStrandedPurges(getDb(), new Date())).toEqual([]);
    // …and once it is gone, the purge is queued again, under the same delivery
    await getDb().job.delete({ where: { id: job.id } });
    expect(await requeueStrandedPurges(getDb(), new Date())).toHaveLength(1);
    await worker().drain();

    // THEN the purge finished, with the receipt naming the one delivery
    expect(await countAllRows()).toMatchObject({
      shops: 0,
      auditEvents: 0,
      requests: 0,
      jobs: 0,
      receipts: 1,
    });
    const receipt = await getDb().shopRedactionReceipt.findUniqueOrThrow({ where: { shopDomain: SHOP } });
    expect(JSON.parse(receipt.webhookIds)).toEqual([payload.webhookId]);
  });
});
