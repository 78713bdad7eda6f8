import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { ACCESS_SCOPES } from "../../app/api-version";
import { getKeyring } from "../../app/keys.server";
import { action as requestAction } from "../../app/routes/app.requests.$id/route";
import { transitionRequest } from "../../app/services/requests.server";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";
import { embeddedRequest, respond, signedInStaff, type TestStaff } from "../helpers/staff";

beforeEach(resetDatabase);

const WITHOUT_ERASURE = ACCESS_SCOPES.filter((scope) => scope !== "write_customer_data_erasure").join(",");
const REVIEWED = "a".repeat(64);

async function erasureRequest(source: "merchant" | "shopify_webhook", status: "pending_review" | "failed") {
  const { request } = await createTestRequest({
    type: "erasure",
    source,
    customerId: "42",
    email: "sam@example.com",
  });
  if (status === "failed") {
    const events =
      source === "shopify_webhook" ? (["start", "fail"] as const) : (["approve", "start", "fail"] as const);
    await getDb().$transaction(async (tx) => {
      for (const event of events)
        await transitionRequest(tx, getKeyring(), {
          shopId: request.shopId,
          requestId: request.id,
          event,
          actor: "system:test",
          now: new Date(),
        });
    });
  }
  return request;
}

async function post(staff: TestStaff, requestId: string, form: Record<string, string>) {
  return respond(async () =>
    requestAction({
      request: await embeddedRequest(staff, `/app/requests/${requestId}`, { form }),
      params: { id: requestId },
      context: {},
    }),
  );
}

/** The request's status, its queued jobs, and the audit events naming `staff` (if given). */
const state = async (requestId: string, staff?: TestStaff) => ({
  status: (await getDb().privacyRequest.findUniqueOrThrow({ where: { id: requestId } })).status,
  jobs: await getDb().job.count({ where: { payload: { contains: requestId } } }),
  staffEvents: staff ? await getDb().auditEvent.count({ where: { actor: `staff:${staff.userId}` } }) : 0,
});

describe("approving an erasure needs Shopify's permission to erase customer data", () => {
  it("GIVEN an approver whose Shopify account may not erase customer data WHEN they approve an erasure THEN 403 with why, and nothing changes", async () => {
    const approver = await signedInStaff({ userId: "301", role: "approver", userScopes: WITHOUT_ERASURE });
    const request = await erasureRequest("merchant", "pending_review");

    const response = await post(approver, request.id, { intent: "approve", reviewedSnapshotHash: REVIEWED });

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      error: expect.stringContaining("Shopify does not let your staff account erase customer data"),
    });
    expect(await state(request.id, approver)).toEqual({ status: "pending_review", jobs: 0, staffEvents: 0 });
  });

  it("GIVEN an approver who holds the permission WHEN they approve the same erasure THEN it is approved and queued", async () => {
    const approver = await signedInStaff({ userId: "302", role: "approver" });
    const request = await erasureRequest("merchant", "pending_review");

    const response = await post(approver, request.id, { intent: "approve", reviewedSnapshotHash: REVIEWED });

    expect(response.status).toBe(200);
    expect(await state(request.id, approver)).toEqual({ status: "approved", jobs: 1, staffEvents: 1 });
  });

  it("GIVEN the store owner whose scopes Shopify never gave WHEN they approve an erasure THEN 403: owning the store is not Shopify's permission", async () => {
    const owner = await signedInStaff({ userId: "303", owner: true, userScopes: null });
    const request = await erasureRequest("merchant", "pending_review");

    const response = await post(owner, request.id, { intent: "approve", reviewedSnapshotHash: REVIEWED });

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: expect.stringContaining("Shopify has not said") });
    expect((await state(request.id)).status).toBe("pending_review");
  });

  it("GIVEN a failed erasure WHEN an approver without the permission retries it THEN 403; Shopify's own customers/redact may be retried", async () => {
    const approver = await signedInStaff({ userId: "304", role: "approver", userScopes: WITHOUT_ERASURE });
    const merchant = await erasureRequest("merchant", "failed");
    const fromShopify = await erasureRequest("shopify_webhook", "failed");

    expect((await post(approver, merchant.id, { intent: "retry" })).status).toBe(403);
    expect((await state(merchant.id)).status).toBe("failed");

    expect((await post(approver, fromShopify.id, { intent: "retry" })).status).toBe(200);
    expect((await state(fromShopify.id)).status).toBe("approved");
  });

  it("GIVEN an approver without the permission WHEN they deny or cancel an erasure, or approve an access request THEN it is done", async () => {
    const approver = await signedInStaff({ userId: "305", role: "approver", userScopes: WITHOUT_ERASURE });
    const erasure = await erasureRequest("merchant", "pending_review");
    const { request: access } = await createTestRequest({ email: "sam@example.com" });

    expect(
      (await post(approver, erasure.id, { intent: "deny", reason: "Not the account holder" })).status,
    ).toBe(200);
    expect((await post(approver, access.id, { intent: "approve" })).status).toBe(200);
    expect((await state(access.id)).status).toBe("approved");
  });

  it("GIVEN another shop's erasure WHEN approved by a staff member of this shop THEN 404, not a hint about permissions", async () => {
    const approver = await signedInStaff({ userId: "306", role: "approver", userScopes: WITHOUT_ERASURE });
    const { request: elsewhere } = await createTestRequest({
      domain: "second-store.myshopify.com",
      type: "erasure",
      customerId: "42",
    });

    const response = await post(approver, elsewhere.id, {
      intent: "approve",
      reviewedSnapshotHash: REVIEWED,
    });

    expect(response.status).toBe(404);
    expect((await state(elsewhere.id)).status).toBe("pending_review");
  });
});
