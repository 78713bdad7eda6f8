import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { parse as parseCsv } from "csv-parse/sync";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import dataSchema from "../../app/exports/data-schema.v1.json";
import { openExportDownload } from "../../app/exports/export-store.server";
import { createWorker } from "../../app/jobs/worker.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { action } from "../../app/routes/webhooks.compliance";
import { getRequestWithEvents } from "../../app/services/request-queries.server";
import { approveRequest } from "../../app/services/requests.server";
import type { BucketOptions } from "../../simulator/admin-api";
import { addCustomer } from "../../simulator/store";
import { SHOP } from "../helpers/constants";
import { resetDatabase } from "../helpers/reset";
import { simulatedShopify } from "../helpers/simulated-shopify";
import { testExportStorage } from "../helpers/worker-deps";
import { unzip } from "../helpers/zip";
import { samplePayload, signedWebhook } from "../helpers/webhooks";

beforeEach(resetDatabase);

/** Shopify sends customers/data_request for a customer with `orders` orders; the merchant approves it. */
async function approvedDataRequest(orders: number, bucket?: BucketOptions) {
  const shopify = simulatedShopify({ bucket });
  const customer = addCustomer(shopify.store, { orders, lineItemsPerOrder: 2, email: "dana@example.com" });
  const body = {
    ...samplePayload("customers/data_request", SHOP),
    customer: { id: customer.id, email: "dana@example.com" },
  };
  const response = await action({
    request: signedWebhook({ topic: "customers/data_request", shop: SHOP, body }),
    params: {},
    context: {},
  });
  const { requestId } = (await response.json()) as { requestId: string };
  const request = await getDb().privacyRequest.findUniqueOrThrow({ where: { id: requestId } });
  await getDb().$transaction((tx) =>
    approveRequest(tx, getKeyring(), {
      shopId: request.shopId,
      requestId,
      actor: "staff:3",
      now: new Date(),
    }),
  );
  return { ...shopify, requestId, shopId: request.shopId };
}

async function downloadedPackage(shopId: string, exportId: string) {
  const download = await openExportDownload(getDb(), getKeyring(), testExportStorage(), {
    shopId,
    exportId,
    actor: "staff:3",
    now: new Date(),
  });
  if (download.status !== 200) throw new Error(download.message);
  const chunks: Buffer[] = [];
  for await (const chunk of download.body) chunks.push(chunk);
  return unzip(Buffer.concat(chunks));
}

describe("access requests end to end", () => {
  it.each([
    { path: "paged", orders: 40, bulkAboveOrders: 250 },
    { path: "bulk", orders: 40, bulkAboveOrders: 10 },
  ])(
    "a Shopify data request, approved, becomes an encrypted export with every order ($path)",
    async ({ orders, bulkAboveOrders }) => {
      const { requestId, shopId, admin } = await approvedDataRequest(orders);
      const exports = { ...testExportStorage(), bulkAboveOrders };

      await createWorker({ db: getDb(), keyring: getKeyring(), logger, exports, admin }).drain();

      const request = await getRequestWithEvents(getDb(), getKeyring(), { id: requestId });
      expect(request!.status).toBe("completed");
      const completed = request!.events.at(-1)!.data as { exportId: string; orders: number };
      expect(completed.orders).toBe(orders);

      const files = await downloadedPackage(shopId, completed.exportId);
      const data = JSON.parse(files.get("data.json")!.toString());
      expect(data.orders).toHaveLength(orders);
      expect(data.customer.defaultEmailAddress.emailAddress).toBe("dana@example.com");
      expect(data.appRecords.requests.map((r: { id: string }) => r.id)).toEqual([requestId]);
      // The events up to the moment the package was built (export.created comes after).
      expect(data.appRecords.auditEvents.map((e: { action: string }) => e.action)).toEqual([
        "request.received",
        "request.approve",
        "request.start",
      ]);
      // The spool of orders is gone once the export is stored.
      expect(readdirSync(path.join(testExportStorage().dir, "spool"))).toEqual([]);
    },
  );
});

describe("a 1,000-order customer's export with the bucket restoring 50 points/s", () => {
  it.each([
    { path: "paged", bulkAboveOrders: 5_000 },
    { path: "bulk", bulkAboveOrders: 250 },
  ])(
    "completes with no THROTTLED reply, and the package is complete and valid ($path)",
    async ({ bulkAboveOrders }) => {
      const { requestId, shopId, admin, simulator, elapsedMs, throttleWaitMs } = await approvedDataRequest(
        1_000,
        { size: 1_000, restoreRate: 50 },
      );

      await createWorker({
        db: getDb(),
        keyring: getKeyring(),
        logger,
        exports: { ...testExportStorage(), bulkAboveOrders },
        admin,
      }).drain();

      const request = await getRequestWithEvents(getDb(), getKeyring(), { id: requestId });
      expect(request!.status).toBe("completed");
      expect(simulator.stats.throttled).toBe(0);
      // The client paced itself: the (simulated) run lasted as long as the points take to restore.
      expect(elapsedMs()).toBeGreaterThanOrEqual(((simulator.stats.actualCost - 1_000) / 50) * 1_000);
      if (bulkAboveOrders > 1_000) expect(throttleWaitMs()).toBeGreaterThan(60_000);

      const { exportId } = request!.events.at(-1)!.data as { exportId: string };
      const files = await downloadedPackage(shopId, exportId);

      const manifest = JSON.parse(files.get("manifest.json")!.toString()) as {
        files: { file: string; sha256: string; bytes: number }[];
        auditChainHead: { seq: number; hash: string; anchor: string };
      };
      // The shop's chain head as the package was built (before its own export.created): an anchor.
      const created = request!.events.find((event) => event.action === "export.created")!;
      expect(manifest.auditChainHead).toMatchObject({
        seq: created.seq - 1,
        anchor: `${created.seq - 1}:${manifest.auditChainHead.hash}`,
      });
      expect(manifest.auditChainHead.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(manifest.files.map((entry) => entry.file).sort()).toEqual(
        [...files.keys()].filter((name) => name !== "manifest.json").sort(),
      );
      for (const entry of manifest.files) {
        const content = files.get(entry.file)!;
        expect({
          file: entry.file,
          sha256: createHash("sha256").update(content).digest("hex"),
          bytes: content.length,
        }).toEqual(entry);
      }

      const data = JSON.parse(files.get("data.json")!.toString());
      const validate = new Ajv2020({ allErrors: true, validateFormats: false }).compile(dataSchema);
      expect(validate(data) ? [] : validate.errors).toEqual([]);
      expect(data.orders).toHaveLength(1_000);

      const orders = parseCsv(files.get("orders.csv")!, { columns: true }) as Record<string, string>[];
      const lines = parseCsv(files.get("order_lines.csv")!, { columns: true }) as Record<string, string>[];
      expect(orders).toHaveLength(1_000);
      expect(lines).toHaveLength(2_000);
      expect(new Set(lines.map((line) => line.order_id))).toEqual(new Set(orders.map((order) => order.id)));
    },
    60_000,
  );
});
