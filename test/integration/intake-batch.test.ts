import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { parseCompliancePayload } from "../../app/domain/compliance-payloads";
import { getKeyring } from "../../app/keys.server";
import { verifyShopChain } from "../../app/services/audit-log.server";
import { ingestComplianceBatch, type IntakeItem } from "../../app/services/compliance-intake.server";
import { OTHER_SHOP, SHOP } from "../helpers/constants";
import { resetDatabase } from "../helpers/reset";
import { samplePayload, type SampleTopic } from "../helpers/webhooks";

beforeEach(resetDatabase);

const item = (
  topic: SampleTopic,
  shop: string,
  webhookId: string,
  overrides: Record<string, unknown> = {},
): IntakeItem => ({
  meta: { webhookId, shop, apiVersion: "2026-07" },
  compliance: parseCompliancePayload(topic, { ...samplePayload(topic, shop), ...overrides }),
  now: new Date(),
});

describe("one transaction for many deliveries", () => {
  it("handles repeats, shared data requests, several shops and every topic inside one batch", async () => {
    const john = { customer: { id: 1, email: "john@example.com" } };
    const outcomes = await ingestComplianceBatch(getDb(), getKeyring(), [
      item("customers/data_request", SHOP, "w1", { ...john, data_request: { id: 10 } }),
      item("customers/data_request", SHOP, "w1", { ...john, data_request: { id: 10 } }), // same delivery again
      item("customers/data_request", SHOP, "w2", { ...john, data_request: { id: 10 } }), // same request, new delivery
      item("customers/redact", SHOP, "w3", john), // same person: same subject
      item("customers/data_request", OTHER_SHOP, "w4", { ...john, data_request: { id: 10 } }),
      item("shop/redact", OTHER_SHOP, "w5"),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual([
      "recorded",
      "duplicate",
      "duplicate",
      "recorded",
      "recorded",
      "recorded",
    ]);
    expect(outcomes[1]).toMatchObject({ reason: "webhook_id", requestId: outcomes[0]!.requestId });
    expect(outcomes[2]).toMatchObject({ reason: "data_request_id", requestId: outcomes[0]!.requestId });

    const db = getDb();
    expect(await db.privacyRequest.count()).toBe(3);
    expect(await db.webhookDelivery.count()).toBe(5);
    expect(await db.job.count()).toBe(2);
    const subjects = await db.dataSubject.findMany({ include: { shop: true } });
    expect(subjects.map((s) => s.shop.domain).sort()).toEqual([SHOP, OTHER_SHOP].sort());
    for (const shop of await db.shop.findMany())
      expect((await verifyShopChain(db, getKeyring(), shop.id)).ok).toBe(true);

    // A later batch sees everything this one wrote.
    const again = await ingestComplianceBatch(getDb(), getKeyring(), [
      item("customers/data_request", SHOP, "w6", { ...john, data_request: { id: 10 } }),
    ]);
    expect(again[0]).toMatchObject({
      status: "duplicate",
      reason: "data_request_id",
      requestId: outcomes[0]!.requestId,
    });
  });

  it("links a subject first seen by email to its customer id when the id arrives later in the batch", async () => {
    await ingestComplianceBatch(getDb(), getKeyring(), [
      item("customers/data_request", SHOP, "w1", {
        customer: { email: "ann@example.com" },
        data_request: { id: 1 },
      }),
      item("customers/data_request", SHOP, "w2", {
        customer: { id: 77, email: "ANN@example.com" },
        data_request: { id: 2 },
      }),
    ]);
    const subjects = await getDb().dataSubject.findMany();
    expect(subjects).toHaveLength(1);
    expect(subjects[0]!.customerId).toBe("77");
  });
});

describe("a batch holding deliveries for a shop purged by shop/redact", () => {
  it("stores the other shops' deliveries and only the purged shop's webhook ids on its receipt", async () => {
    // GIVEN a purge receipt for SHOP, and no install since
    const purgedAt = new Date();
    await getDb().shopRedactionReceipt.create({
      data: { shopDomain: SHOP, webhookIds: '["redact-1"]', purgedAt, removedCounts: "{}" },
    });

    // WHEN one transaction takes deliveries for both shops, one of them twice
    const outcomes = await ingestComplianceBatch(getDb(), getKeyring(), [
      item("customers/data_request", SHOP, "w1"),
      item("customers/data_request", OTHER_SHOP, "w2"),
      item("customers/redact", SHOP, "w3"),
      item("customers/redact", SHOP, "w3"),
      item("shop/redact", SHOP, "redact-1"),
    ]);

    // THEN only OTHER_SHOP's delivery is stored
    expect(outcomes).toEqual([
      { status: "ignored", reason: "shop_redacted", requestId: null },
      expect.objectContaining({ status: "recorded" }),
      { status: "ignored", reason: "shop_redacted", requestId: null },
      { status: "duplicate", reason: "webhook_id", requestId: null },
      { status: "duplicate", reason: "webhook_id", requestId: null },
    ]);
    const db = getDb();
    expect((await db.shop.findMany()).map((shop) => shop.domain)).toEqual([OTHER_SHOP]);
    expect(await db.webhookDelivery.count()).toBe(1);
    expect(await db.dataSubject.count()).toBe(1);
    const receipt = await db.shopRedactionReceipt.findUniqueOrThrow({ where: { shopDomain: SHOP } });
    expect(JSON.parse(receipt.webhookIds)).toEqual(["redact-1", "w1", "w3"]);
    expect(receipt.purgedAt).toEqual(purgedAt);
  });

  it("records deliveries again once the shop was installed after the purge", async () => {
    await getDb().shopRedactionReceipt.create({
      data: {
        shopDomain: SHOP,
        webhookIds: "[]",
        purgedAt: new Date(Date.now() - 60_000),
        removedCounts: "{}",
      },
    });
    await getDb().shop.create({ data: { domain: SHOP, installedAt: new Date() } });

    const [outcome] = await ingestComplianceBatch(getDb(), getKeyring(), [
      item("customers/redact", SHOP, "w1"),
    ]);

    expect(outcome).toMatchObject({ status: "recorded" });
  });
});
