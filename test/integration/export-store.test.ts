import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { openExportDownload, purgeExpiredExports, storeExport } from "../../app/exports/export-store.server";
import { createWorker } from "../../app/jobs/worker.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { action } from "../../app/routes/webhooks.compliance";
import { OTHER_SHOP, SHOP } from "../helpers/constants";
import { noAdminApi, testExportStorage } from "../helpers/worker-deps";
import { resetDatabase } from "../helpers/reset";
import { samplePayload, signedWebhook } from "../helpers/webhooks";
import { waitFor } from "../helpers/processes";

beforeEach(resetDatabase);

async function* contentOf(text: string) {
  yield Buffer.from(text);
}

async function readBody(body: AsyncIterable<Buffer>) {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts).toString();
}

/** A request of `shop` (via a real data_request webhook) with one stored export. */
async function requestWithExport(shop = SHOP, now = new Date("2026-05-01T10:00:00.000Z")) {
  const response = await action({
    request: signedWebhook({
      topic: "customers/data_request",
      shop,
      body: samplePayload("customers/data_request", shop),
    }),
    params: {},
    context: {},
  });
  const { requestId } = (await response.json()) as { requestId: string };
  const request = await getDb().privacyRequest.findUniqueOrThrow({ where: { id: requestId } });
  const file = await storeExport(getDb(), getKeyring(), testExportStorage(), {
    shopId: request.shopId,
    requestId,
    fileName: `privacy-export-${requestId}.zip`,
    source: contentOf("PK… john@example.com …"),
    actor: "staff:42",
    now,
  });
  return { request, file, now };
}

const auditActions = async (requestId: string) =>
  (await getDb().auditEvent.findMany({ where: { requestId }, orderBy: { seq: "asc" } })).map(
    (e) => `${e.actor} ${e.action}`,
  );

describe("stored exports", () => {
  it("are encrypted on disk, downloadable by staff of the shop, and every download is audited", async () => {
    const { request, file, now } = await requestWithExport();
    const onDisk = path.resolve(testExportStorage().dir, file.path);
    expect(existsSync(onDisk)).toBe(true);

    const download = await openExportDownload(getDb(), getKeyring(), testExportStorage(), {
      shopId: request.shopId,
      exportId: file.id,
      actor: "staff:7",
      now,
    });

    expect(download.status).toBe(200);
    if (download.status !== 200) return;
    expect(download.fileName).toBe(`privacy-export-${request.id}.zip`);
    expect(await readBody(download.body)).toBe("PK… john@example.com …");
    expect(await auditActions(request.id)).toEqual([
      "shopify request.received",
      "staff:42 export.created",
      "staff:7 export.downloaded",
    ]);
  });

  it("are not found from another shop", async () => {
    const { file } = await requestWithExport(SHOP);
    const other = await getDb().shop.create({ data: { domain: OTHER_SHOP } });
    const download = await openExportDownload(getDb(), getKeyring(), testExportStorage(), {
      shopId: other.id,
      exportId: file.id,
      actor: "staff:1",
      now: new Date(),
    });
    expect(download).toEqual({ status: 404, message: "No such export in this shop" });
  });

  it("expire after the retention period: the file is deleted, the download answers 410 Gone", async () => {
    const { request, file, now } = await requestWithExport();
    const eightDaysLater = new Date(now.getTime() + 8 * 86_400_000);

    expect(
      await purgeExpiredExports(
        getDb(),
        getKeyring(),
        testExportStorage(),
        new Date(now.getTime() + 6 * 86_400_000),
      ),
    ).toBe(0);
    expect(await purgeExpiredExports(getDb(), getKeyring(), testExportStorage(), eightDaysLater)).toBe(1);

    expect(existsSync(path.resolve(testExportStorage().dir, file.path))).toBe(false);
    const download = await openExportDownload(getDb(), getKeyring(), testExportStorage(), {
      shopId: request.shopId,
      exportId: file.id,
      actor: "staff:7",
      now: eightDaysLater,
    });
    expect(download).toEqual({
      status: 410,
      message: "This export expired on 2026-05-08 and was deleted; create a new one from the request",
    });
    expect(await auditActions(request.id)).toContain("system:retention export.expired");
  });

  it("retention runs in the worker and books its next run", async () => {
    const { file } = await requestWithExport(SHOP, new Date(Date.now() - 30 * 86_400_000));
    const worker = createWorker({
      db: getDb(),
      keyring: getKeyring(),
      logger,
      exports: testExportStorage(),
      admin: noAdminApi,
      idleMs: 20,
    });
    worker.start();
    await waitFor(
      async () => (await getDb().exportFile.findUniqueOrThrow({ where: { id: file.id } })).deletedAt,
      5_000,
      "retention to delete the expired export",
    );
    await worker.stop();
    expect((await getDb().exportFile.findUniqueOrThrow({ where: { id: file.id } })).deletedAt).not.toBeNull();
    const next = await getDb().job.findMany({ where: { kind: "purge_expired_exports", status: "queued" } });
    expect(next).toHaveLength(1);
    expect(next[0]!.runAt.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
  });

  it("go with the person when Shopify asks to erase them", async () => {
    const { request, file } = await requestWithExport();
    await action({
      request: signedWebhook({
        topic: "customers/redact",
        shop: SHOP,
        body: samplePayload("customers/redact", SHOP),
      }),
      params: {},
      context: {},
    });
    await createWorker({
      db: getDb(),
      keyring: getKeyring(),
      logger,
      exports: testExportStorage(),
      admin: noAdminApi,
    }).drain();

    expect(existsSync(path.resolve(testExportStorage().dir, file.path))).toBe(false);
    const download = await openExportDownload(getDb(), getKeyring(), testExportStorage(), {
      shopId: request.shopId,
      exportId: file.id,
      actor: "staff:7",
      now: new Date(),
    });
    expect(download.status).toBe(410);
  });

  it("go with the shop on shop/redact, directory and all", async () => {
    const { request } = await requestWithExport();
    await action({
      request: signedWebhook({ topic: "shop/redact", shop: SHOP, body: samplePayload("shop/redact", SHOP) }),
      params: {},
      context: {},
    });
    await createWorker({
      db: getDb(),
      keyring: getKeyring(),
      logger,
      exports: testExportStorage(),
      admin: noAdminApi,
    }).drain();

    expect(readdirSync(testExportStorage().dir)).not.toContain(request.shopId);
    expect(await getDb().exportFile.count()).toBe(0);
  });
});
