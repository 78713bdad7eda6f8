import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { createWorker } from "../../app/jobs/worker.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { action } from "../../app/routes/webhooks.compliance";
import { verifyShopChain } from "../../app/services/audit-log.server";
import { SHOP_PURGED_TABLES } from "../../app/services/redaction.server";
import { listRequests } from "../../app/services/request-queries.server";
import { recordInstall } from "../../app/services/shops.server";
import { OTHER_SHOP, SHOP } from "../helpers/constants";
import { noAdminApi, testExportStorage } from "../helpers/worker-deps";
import { countAllRows } from "../helpers/db";
import { resetDatabase } from "../helpers/reset";
import { samplePayload, signedWebhook } from "../helpers/webhooks";

const post = (request: Request) => action({ request, params: {}, context: {} });

const runWorker = () =>
  createWorker({
    db: getDb(),
    keyring: getKeyring(),
    logger,
    exports: testExportStorage(),
    admin: noAdminApi,
  }).drain();

/** Every row anywhere, as text: to show a shop or a shopper's data is nowhere. */
async function dumpAllRows() {
  const db = getDb();
  return JSON.stringify({
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
}

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
      exportLinks: 0,
      digestRuns: 0,
      staffRoles: 1,
      settings: 1,
      storefront: 0,
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

describe("shop/redact is final until the shop installs the app again (issue 8, finding 11)", () => {
  async function purgedShopWithEarlierDelivery() {
    // GIVEN a data request Shopify delivered before the shop was purged…
    const earlier = {
      topic: "customers/data_request",
      shop: SHOP,
      body: {
        ...samplePayload("customers/data_request", SHOP),
        customer: { id: 5, email: "early@example.com" },
      },
      webhookId: randomUUID(),
    };
    expect((await post(signedWebhook(earlier))).status).toBe(200);
    // …and the shop/redact that purged it
    const redactId = randomUUID();
    await post(
      signedWebhook({
        topic: "shop/redact",
        shop: SHOP,
        body: samplePayload("shop/redact", SHOP),
        webhookId: redactId,
      }),
    );
    await runWorker();
    expect(await countAllRows()).toMatchObject({ shops: 0, requests: 0, deliveries: 0, receipts: 1 });
    return { earlier, redactId };
  }

  it("acknowledges a redelivery of an earlier delivery with its original webhook id, storing nothing", async () => {
    const { earlier, redactId } = await purgedShopWithEarlierDelivery();
    const before = await countAllRows();

    // WHEN Shopify redelivers the earlier data request
    const response = await post(signedWebhook(earlier));

    // THEN it is acknowledged (so Shopify stops), the shop is not re-created, no personal data is stored
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ignored", reason: "shop_redacted", requestId: null });
    expect(await countAllRows()).toEqual(before);
    const dump = await dumpAllRows();
    expect(dump).not.toContain(SHOP);
    expect(dump).not.toContain("early@example.com");
    // AND the receipt keeps only the delivery's id as a trace
    const receipt = await getDb().shopRedactionReceipt.findUniqueOrThrow({ where: { shopDomain: SHOP } });
    expect(JSON.parse(receipt.webhookIds)).toEqual([redactId, earlier.webhookId]);
    expect(JSON.stringify(receipt)).not.toContain("early@example.com");

    // AND a second redelivery is a plain duplicate
    expect(await (await post(signedWebhook(earlier))).json()).toMatchObject({
      status: "duplicate",
      reason: "webhook_id",
    });
  });

  it("stores nothing from new deliveries of any topic until the shop installs again, then records them", async () => {
    await purgedShopWithEarlierDelivery();
    const before = await countAllRows();

    // WHEN new deliveries of every topic arrive for the purged shop
    const outcomes = [];
    for (const topic of ["customers/data_request", "customers/redact", "shop/redact"] as const)
      outcomes.push(
        await (await post(signedWebhook({ topic, shop: SHOP, body: samplePayload(topic, SHOP) }))).json(),
      );

    // THEN all are acknowledged and none stored anything (nor queued a job)
    expect(outcomes).toEqual(Array(3).fill({ status: "ignored", reason: "shop_redacted", requestId: null }));
    expect(await countAllRows()).toEqual(before);
    expect(await dumpAllRows()).not.toContain("john@example.com");

    // WHEN the merchant installs the app again (afterAuth) and a new data request arrives
    await recordInstall(getDb(), { domain: SHOP, scopes: "read_customers" });
    const again = await post(
      signedWebhook({
        topic: "customers/data_request",
        shop: SHOP,
        body: samplePayload("customers/data_request", SHOP),
      }),
    );

    // THEN it is recorded as usual
    expect(await again.json()).toMatchObject({ status: "recorded" });
    expect(await listRequests(getDb(), getKeyring(), { shopDomain: SHOP })).toHaveLength(1);
  });

  it("lets another shop's concurrent deliveries through", async () => {
    await purgedShopWithEarlierDelivery();

    // WHEN deliveries for the purged shop and another shop arrive at once
    const responses = await Promise.all(
      [SHOP, OTHER_SHOP].map((shop) =>
        post(
          signedWebhook({ topic: "customers/redact", shop, body: samplePayload("customers/redact", shop) }),
        ),
      ),
    );

    // THEN only the other shop's is stored
    expect(await Promise.all(responses.map((r) => r.json()))).toEqual([
      { status: "ignored", reason: "shop_redacted", requestId: null },
      expect.objectContaining({ status: "recorded" }),
    ]);
    expect((await getDb().shop.findMany()).map((shop) => shop.domain)).toEqual([OTHER_SHOP]);
  });
});

describe("shop/redact's reach", () => {
  it("GIVEN the schema WHEN a model holds a shopId THEN shop/redact empties its table", () => {
    // A table added later without a place in the purge would outlive shop/redact.
    const withShopId = Prisma.dmmf.datamodel.models
      .filter((model) => model.fields.some((field) => field.name === "shopId"))
      .map((model) => model.name)
      .sort();
    expect([...SHOP_PURGED_TABLES].sort()).toEqual(withShopId);
  });
});
