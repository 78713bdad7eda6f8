import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { createWorker } from "../../app/jobs/worker.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { action } from "../../app/routes/webhooks.compliance";
import { verifyShopChain } from "../../app/services/audit-log.server";
import { listRequests } from "../../app/services/request-queries.server";
import { OTHER_SHOP, SHOP } from "../helpers/constants";
import { noAdminApi, testExportStorage } from "../helpers/worker-deps";
import { countAllRows } from "../helpers/db";
import { resetDatabase } from "../helpers/reset";
import { samplePayload, signedWebhook } from "../helpers/webhooks";

const post = (request: Request) => action({ request, params: {}, context: {} });

async function populate(shop: string) {
  const db = getDb();
  await db.session.create({
    data: { id: `offline_${shop}`, shop, state: "", accessToken: "shpat_x", isOnline: false },
  });
  const { id: shopId } = await db.shop.upsert({
    where: { domain: shop },
    create: { domain: shop },
    update: {},
  });
  await db.staffRole.create({ data: { shopId, userId: "77", role: "approver", assignedBy: "staff:1" } });
  await db.shopSettings.create({
    data: {
      shopId,
      verificationPolicy: "manual",
      autoApproveCustomerAccess: false,
      notificationEmails: '["dpo@example.com"]',
      exportRetentionDays: 7,
    },
  });
  for (let i = 1; i <= 3; i += 1) {
    const body = {
      ...samplePayload("customers/data_request", shop),
      data_request: { id: i },
      customer: { id: i, email: `c${i}@example.com` },
    };
    expect((await post(signedWebhook({ topic: "customers/data_request", shop, body }))).status).toBe(200);
  }
  expect(
    (
      await post(
        signedWebhook({ topic: "customers/redact", shop, body: samplePayload("customers/redact", shop) }),
      )
    ).status,
  ).toBe(200);
}

beforeEach(resetDatabase);

describe("shop/redact", () => {
  it("leaves nothing of the shop but one receipt without personal data, and the other shop intact", async () => {
    // GIVEN two shops with sessions, requests, deliveries, jobs and audit events
    await populate(SHOP);
    await populate(OTHER_SHOP);
    await createWorker({
      db: getDb(),
      keyring: getKeyring(),
      logger,
      exports: testExportStorage(),
      admin: noAdminApi,
    }).drain();
    const otherShopBefore = await listRequests(getDb(), getKeyring(), { shopDomain: OTHER_SHOP });

    // WHEN shop/redact arrives for the first shop and the worker runs
    const webhookId = randomUUID();
    const response = await post(
      signedWebhook({
        topic: "shop/redact",
        shop: SHOP,
        body: samplePayload("shop/redact", SHOP),
        webhookId,
      }),
    );
    expect(response.status).toBe(200);
    await createWorker({
      db: getDb(),
      keyring: getKeyring(),
      logger,
      exports: testExportStorage(),
      admin: noAdminApi,
    }).drain();

    // THEN no row anywhere refers to the first shop…
    const db = getDb();
    const dump = JSON.stringify({
      shops: await db.shop.findMany(),
      sessions: await db.session.findMany(),
      subjects: await db.dataSubject.findMany(),
      requests: await db.privacyRequest.findMany(),
      deliveries: await db.webhookDelivery.findMany(),
      jobs: await db.job.findMany(),
      events: await db.auditEvent.findMany(),
      staffRoles: await db.staffRole.findMany(),
      settings: await db.shopSettings.findMany(),
    });
    expect(dump).not.toContain(SHOP);
    const otherShop = await db.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } });
    for (const table of [
      db.dataSubject,
      db.privacyRequest,
      db.webhookDelivery,
      db.auditEvent,
      db.staffRole,
      db.shopSettings,
    ] as const) {
      const rows = await (table as typeof db.privacyRequest).findMany({ select: { shopId: true } });
      expect(rows.every((row) => row.shopId === otherShop.id)).toBe(true);
    }

    // …except the receipt, which holds the domain, the time and the counts only
    const receipt = await db.shopRedactionReceipt.findUniqueOrThrow({ where: { shopDomain: SHOP } });
    expect(JSON.parse(receipt.webhookIds)).toEqual([webhookId]);
    // 3 access requests + 1 erasure (4 subjects: customers 1-3 and John); the erasure ran before,
    // so its start and complete events count too; jobs: the erasure's and the purge itself.
    expect(JSON.parse(receipt.removedCounts)).toEqual({
      exportFiles: 0,
      staffRoles: 1,
      settings: 1,
      sessions: 1,
      requests: 4,
      subjects: 4,
      deliveries: 5,
      jobs: 2,
      auditEvents: 6,
      shops: 1,
    });
    expect(JSON.stringify(receipt)).not.toMatch(/@example\.com|555-/);

    // AND the other shop still has all of its data, readable, with a valid audit chain
    expect(await listRequests(getDb(), getKeyring(), { shopDomain: OTHER_SHOP })).toEqual(otherShopBefore);
    expect(await db.session.count({ where: { shop: OTHER_SHOP } })).toBe(1);
    expect((await verifyShopChain(db, getKeyring(), otherShop.id)).ok).toBe(true);
  });

  it("ignores a redelivery of the same shop/redact after the purge", async () => {
    await populate(SHOP);
    const webhookId = randomUUID();
    const redact = () =>
      post(
        signedWebhook({
          topic: "shop/redact",
          shop: SHOP,
          body: samplePayload("shop/redact", SHOP),
          webhookId,
        }),
      );
    await redact();
    await createWorker({
      db: getDb(),
      keyring: getKeyring(),
      logger,
      exports: testExportStorage(),
      admin: noAdminApi,
    }).drain();
    const after = await countAllRows();

    const again = await redact();

    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: "duplicate" });
    expect(await countAllRows()).toEqual(after);
  });

  it("writes a receipt even for a shop the app never stored anything for", async () => {
    await post(signedWebhook({ topic: "shop/redact", shop: SHOP, body: samplePayload("shop/redact", SHOP) }));
    await createWorker({
      db: getDb(),
      keyring: getKeyring(),
      logger,
      exports: testExportStorage(),
      admin: noAdminApi,
    }).drain();

    expect(await countAllRows()).toMatchObject({ shops: 0, jobs: 0, deliveries: 0, receipts: 1 });
  });
});
