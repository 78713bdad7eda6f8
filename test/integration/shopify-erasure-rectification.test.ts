import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { ReviewRequiredError } from "../../app/domain/errors";
import { snapshotHash, type RectificationChanges } from "../../app/domain/rectification";
import { createWorker } from "../../app/jobs/worker.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { getRequestWithEvents } from "../../app/services/request-queries.server";
import { approveRequest } from "../../app/services/requests.server";
import { fetchCustomerRecord } from "../../app/shopify-admin/customer-record.server";
import { manualClock } from "../helpers/clock";
import { SHOP } from "../helpers/constants";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";
import { simulatedShopify } from "../helpers/simulated-shopify";
import { testExportStorage } from "../helpers/worker-deps";

beforeEach(resetDatabase);

function shopify() {
  const { store, customer, simulator, admin } = simulatedShopify();
  const clock = manualClock(new Date(Date.now() + 60_000)); // ahead of the runAt of jobs queued now
  const worker = createWorker({
    db: getDb(),
    keyring: getKeyring(),
    logger,
    exports: testExportStorage(),
    admin,
    now: clock.now,
    random: () => 0,
  });
  return { store, customer, simulator, admin, worker, clock };
}

/** What the admin page will do: read the record, show it, and approve with its fingerprint. */
async function approveAsReviewed(
  env: ReturnType<typeof shopify>,
  type: "erasure" | "rectification",
  customerId: string,
  requestedChanges?: RectificationChanges,
) {
  const { shop, request } = await createTestRequest({
    type,
    regime: "gdpr",
    customerId,
    email: "pat@example.com",
    requestedChanges,
  });
  const reviewed = await fetchCustomerRecord(env.admin(SHOP), customerId);
  await getDb().$transaction((tx) =>
    approveRequest(tx, getKeyring(), {
      shopId: shop.id,
      requestId: request.id,
      actor: "staff:9",
      now: new Date(),
      reviewedSnapshotHash: snapshotHash(reviewed),
    }),
  );
  return request.id;
}

const load = (id: string) => getRequestWithEvents(getDb(), getKeyring(), { id });

describe("erasure through Shopify", () => {
  it("requests Shopify's erasure, then erases what the app holds", async () => {
    const env = shopify();
    const id = await approveAsReviewed(env, "erasure", String(env.customer.id));

    await env.worker.drain();

    expect(env.customer.erasureRequestedAt).not.toBeNull();
    const request = await load(id);
    expect(request).toMatchObject({ status: "completed", email: null });
    expect(request!.events.at(-1)!.data).toMatchObject({ shopify: { erasure: "requested" } });
  });

  it("sends the request back to review, calling no mutation, when the record changed after approval", async () => {
    const env = shopify();
    const id = await approveAsReviewed(env, "erasure", String(env.customer.id));
    env.customer.lastName = "Changed";

    await env.worker.drain();

    expect(env.customer.erasureRequestedAt).toBeNull();
    const request = await load(id);
    expect(request).toMatchObject({
      status: "pending_review",
      statusReason: expect.stringMatching(/changed after it was reviewed/),
      email: "pat@example.com",
    });
    expect(
      (await getDb().privacyRequest.findUniqueOrThrow({ where: { id } })).reviewedSnapshotHash,
    ).toBeNull();
  });

  it("completes with DOES_NOT_EXIST recorded when Shopify has no such customer", async () => {
    const env = shopify();
    const id = await approveAsReviewed(env, "erasure", "999999");
    await env.worker.drain();
    const request = await load(id);
    expect(request).toMatchObject({ status: "completed", email: null });
    expect(request!.events.at(-1)!.data).toMatchObject({ shopify: { erasure: "customer_does_not_exist" } });
  });

  it("retries FAILED_TO_REQUEST, then fails the request visibly on the last attempt", async () => {
    const env = shopify();
    const id = await approveAsReviewed(env, "erasure", String(env.customer.id));
    env.store.failErasureFor.add(env.customer.id);
    await getDb().job.updateMany({ data: { maxAttempts: 2 } });

    expect(await env.worker.runOnce()).toBe("retrying");
    expect((await load(id))!.status).toBe("in_progress");
    env.clock.advance(60_000);
    expect(await env.worker.runOnce()).toBe("failed");

    expect(await load(id)).toMatchObject({
      status: "failed",
      statusReason:
        "Shopify could not start the erasure: Failed to request erasure of customer data (gave up after 2 attempts)",
    });
    expect(env.customer.erasureRequestedAt).toBeNull();
  });

  it("cannot be approved without the reviewed record", async () => {
    const { shop, request } = await createTestRequest({ type: "erasure", customerId: "1" });
    await expect(
      getDb().$transaction((tx) =>
        approveRequest(tx, getKeyring(), {
          shopId: shop.id,
          requestId: request.id,
          actor: "staff:9",
          now: new Date(),
        }),
      ),
    ).rejects.toBeInstanceOf(ReviewRequiredError);
    expect((await getDb().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe(
      "pending_review",
    );
  });
});

describe("rectification through Shopify", () => {
  it("applies the corrections and keeps the before/after, sealed, in the audit trail", async () => {
    const env = shopify();
    const before = { firstName: env.customer.firstName, email: env.customer.email };
    const id = await approveAsReviewed(env, "rectification", String(env.customer.id), {
      firstName: "Patricia",
      email: "patricia@example.com",
    });

    await env.worker.drain();

    expect(env.customer).toMatchObject({ firstName: "Patricia", email: "patricia@example.com" });
    const request = await load(id);
    expect(request!.status).toBe("completed");
    const done = request!.events.at(-1)!;
    expect(done.data).toMatchObject({ fieldsChanged: ["firstName", "email"] });
    expect(done.pii).toEqual({
      changes: [
        { field: "firstName", before: before.firstName, after: "Patricia" },
        { field: "email", before: before.email, after: "patricia@example.com" },
      ],
    });
    const raw = await getDb().auditEvent.findFirstOrThrow({
      where: { requestId: id, action: "request.complete" },
    });
    expect(JSON.stringify(raw)).not.toContain("patricia@example.com");
  });

  it("shows Shopify's refusal to the merchant", async () => {
    const env = shopify();
    const other = [...env.store.customers.values()][0]!;
    const id = await approveAsReviewed(env, "rectification", String(env.customer.id), {
      email: other.email!,
    });

    await env.worker.drain();

    expect(await load(id)).toMatchObject({
      status: "failed",
      statusReason: "Shopify refused the correction: Email has already been taken",
    });
    expect(env.customer.email).toBe("pat@example.com");
  });
});
