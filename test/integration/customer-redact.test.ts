import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { createWorker } from "../../app/jobs/worker.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { action } from "../../app/routes/webhooks.compliance";
import { verifyShopChain } from "../../app/services/audit-log.server";
import { SUPERSEDED_BY_ERASURE } from "../../app/services/execution/app-redaction.server";
import { getRequestWithEvents, listRequests } from "../../app/services/request-queries.server";
import { approveRequest } from "../../app/services/requests.server";
import { OTHER_SHOP, SHOP } from "../helpers/constants";
import { noAdminApi, testExportStorage } from "../helpers/worker-deps";
import { resetDatabase } from "../helpers/reset";
import { samplePayload, signedWebhook } from "../helpers/webhooks";

const post = (request: Request) => action({ request, params: {}, context: {} });
const worker = () =>
  createWorker({
    db: getDb(),
    keyring: getKeyring(),
    logger,
    exports: testExportStorage(),
    admin: noAdminApi,
  });

async function deliver(
  topic: "customers/data_request" | "customers/redact",
  shop: string,
  customer: Record<string, unknown>,
  extra = {},
) {
  const response = await post(
    signedWebhook({ topic, shop, body: { ...samplePayload(topic, shop), customer, ...extra } }),
  );
  expect(response.status).toBe(200);
  return (await response.json()) as { requestId: string };
}

beforeEach(resetDatabase);

describe("customers/redact executed by the worker", () => {
  it("erases every piece of the customer's data the app holds, within one worker pass", async () => {
    // GIVEN the customer has an earlier access request, and another customer and another shop exist
    const john = { id: 191167, email: "john@example.com", phone: "555-625-1199" };
    const { requestId: accessId } = await deliver("customers/data_request", SHOP, john, {
      data_request: { id: 1 },
    });
    await deliver(
      "customers/data_request",
      SHOP,
      { id: 42, email: "jane@example.com", phone: "555-000-0042" },
      { data_request: { id: 2 } },
    );
    await deliver("customers/data_request", OTHER_SHOP, john, { data_request: { id: 3 } });

    // WHEN Shopify sends customers/redact for John and the worker runs
    const { requestId: erasureId } = await deliver("customers/redact", SHOP, john);
    const started = Date.now();
    expect(await worker().drain()).toBe(1);
    const elapsedMs = Date.now() - started;

    // THEN the erasure is completed, in well under a second
    expect(elapsedMs).toBeLessThan(5_000);
    const db = getDb();
    const keyring = getKeyring();
    const erasure = await getRequestWithEvents(db, keyring, { id: erasureId, shopDomain: SHOP });
    expect(erasure).toMatchObject({ status: "completed", email: null, phone: null, customerId: "191167" });
    expect(erasure!.events.map((e) => e.action)).toEqual([
      "request.received",
      "request.start",
      "request.complete",
    ]);
    expect(erasure!.events[2]!.data).toMatchObject({
      redacted: { subjects: 1, requests: 2, deliveries: 2 },
      supersededRequests: [accessId],
      ordersToRedact: ["299938", "280263", "220458"],
    });

    // AND his earlier request no longer reveals him, in the request or its audit event, and is
    // closed with the reason: it can no longer be approved (which used to rebuild his export)
    const access = await getRequestWithEvents(db, keyring, { id: accessId, shopDomain: SHOP });
    expect(access).toMatchObject({
      email: null,
      phone: null,
      status: "canceled",
      statusReason: SUPERSEDED_BY_ERASURE,
    });
    expect(access!.events[0]).toMatchObject({ pii: null, piiErased: true });
    expect(access!.events.at(-1)).toMatchObject({ action: "request.supersede", actor: "system:worker" });
    const johnRows = await db.privacyRequest.findMany({
      where: { shop: { domain: SHOP }, customerId: "191167" },
    });
    for (const row of johnRows)
      expect(row).toMatchObject({ emailCipher: null, phoneCipher: null, nameCipher: null, emailHash: null });
    const johnDeliveries = await db.webhookDelivery.findMany({
      where: { requestId: { in: johnRows.map((r) => r.id) } },
    });
    for (const delivery of johnDeliveries) expect(delivery.payload).toBeNull();
    const johnSubjects = await db.dataSubject.findMany({
      where: { shop: { domain: SHOP }, customerId: "191167" },
    });
    expect(johnSubjects.every((s) => s.wrappedKey === null && s.erasedAt !== null)).toBe(true);

    // AND the other customer and the other shop are untouched
    const [jane] = await listRequests(db, keyring, { shopDomain: SHOP, type: "access" }).then((all) =>
      all.filter((r) => r.customerId === "42"),
    );
    expect(jane).toMatchObject({ email: "jane@example.com", phone: "555-000-0042" });
    const [otherShopJohn] = await listRequests(db, keyring, { shopDomain: OTHER_SHOP });
    expect(otherShopJohn).toMatchObject({ email: "john@example.com", phone: "555-625-1199" });

    // AND the audit chain still verifies: erasure shredded keys, it did not rewrite events
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    expect(await verifyShopChain(db, keyring, shop.id)).toMatchObject({ ok: true, count: 6 });
  });

  it("an access request approved before the erasure builds no export once the erasure has run", async () => {
    // GIVEN John's data request was approved (its job is queued), then Shopify sends customers/redact
    const john = { id: 191167, email: "john@example.com" };
    const { requestId: accessId } = await deliver("customers/data_request", SHOP, john, {
      data_request: { id: 9 },
    });
    const db = getDb();
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    await db.$transaction((tx) =>
      approveRequest(tx, getKeyring(), {
        shopId: shop.id,
        requestId: accessId,
        actor: "staff:1",
        now: new Date(),
      }),
    );
    await deliver("customers/redact", SHOP, john);
    // The erasure's job runs first: it was due earlier than the access request's.
    await db.job.updateMany({
      where: { requestId: accessId },
      data: { runAt: new Date(Date.now() + 1_000) },
    });

    // WHEN the worker runs both jobs (the Admin API must not be called: noAdminApi throws)
    await worker().drain();
    await db.job.updateMany({ where: { requestId: accessId }, data: { runAt: new Date() } });
    await worker().drain();

    // THEN the access request was superseded, never started, and no export exists
    const access = await getRequestWithEvents(db, getKeyring(), { id: accessId, shopDomain: SHOP });
    expect(access).toMatchObject({ status: "canceled", statusReason: SUPERSEDED_BY_ERASURE });
    expect(access!.events.some((e) => e.action === "request.start")).toBe(false);
    expect(await db.exportFile.count()).toBe(0);
    expect(await db.job.count({ where: { requestId: accessId, status: "done" } })).toBe(1);
  });

  it("matches a customer known only by email", async () => {
    await deliver("customers/data_request", SHOP, { email: "Only@Example.com" }, { data_request: { id: 7 } });
    const { requestId } = await deliver("customers/redact", SHOP, { email: "only@example.com" });

    await worker().drain();

    const requests = await listRequests(getDb(), getKeyring(), { shopDomain: SHOP });
    expect(requests.find((r) => r.id === requestId)).toMatchObject({ status: "completed" });
    expect(requests.every((r) => r.email === null)).toBe(true);
  });

  it("is idempotent: a second erasure of the same customer completes and changes nothing else", async () => {
    const john = { id: 191167, email: "john@example.com" };
    await deliver("customers/redact", SHOP, john);
    await worker().drain();
    const { requestId } = await deliver("customers/redact", SHOP, john);

    await worker().drain();

    const second = await getRequestWithEvents(getDb(), getKeyring(), { id: requestId });
    expect(second).toMatchObject({ status: "completed" });
    expect(await getDb().job.count({ where: { status: "done" } })).toBe(2);
  });
});
