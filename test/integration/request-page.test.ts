import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ACCESS_SCOPES } from "../../app/api-version";
import { getDb } from "../../app/db.server";
import { getKeyring } from "../../app/keys.server";
import { loader } from "../../app/routes/app.requests.$id/route";
import { loadRequestPage } from "../../app/routes/app.requests.$id/request-page.server";
import { transitionRequest } from "../../app/services/requests.server";
import { staffMemberFor } from "../../app/services/staff.server";
import { sessionStorage } from "../../app/shopify.server";
import { OTHER_SHOP, SHOP } from "../helpers/constants";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";
import { simulatedShopify } from "../helpers/simulated-shopify";
import { embeddedRequest, respond, signedInStaff, type TestStaff } from "../helpers/staff";
import { mswServer } from "../setup/test-env";
import type { RequestPageData } from "../../app/components/request/page-data";

beforeEach(resetDatabase);
afterEach(() => mswServer.resetHandlers());

const WITHOUT_ERASURE = ACCESS_SCOPES.filter((scope) => scope !== "write_customer_data_erasure").join(",");

async function openPage(staff: TestStaff, requestId: string) {
  const response = await respond(async () =>
    loader({
      request: await embeddedRequest(staff, `/app/requests/${requestId}`),
      params: { id: requestId },
      context: {},
    }),
  );
  return { status: response.status, body: (await response.json()) as RequestPageData & { error?: string } };
}

async function erasureAwaitingReview(customerId: string) {
  return (await createTestRequest({ type: "erasure", customerId, email: "pat@example.com", regime: "gdpr" }))
    .request;
}

describe("the request page", () => {
  it("GIVEN an approver whom Shopify does not let erase customer data WHEN they open an erasure THEN Approve is offered, disabled with why, beside the record it would act on", async () => {
    const { customer } = simulatedShopify();
    const approver = await signedInStaff({ userId: "401", role: "approver", userScopes: WITHOUT_ERASURE });
    const request = await erasureAwaitingReview(String(customer.id));

    const { status, body } = await openPage(approver, request.id);

    expect(status).toBe(200);
    expect(body.actions).toContain("approve");
    expect(body.blocked.approve).toContain("Shopify does not let your staff account erase customer data");
    expect(body.evidence).toMatchObject({ problem: null, record: { email: "pat@example.com" } });
    expect(body.reviewedSnapshotHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("GIVEN an approver who may erase WHEN they open the same erasure THEN nothing is blocked", async () => {
    const { customer } = simulatedShopify();
    const approver = await signedInStaff({ userId: "402", role: "approver" });
    const request = await erasureAwaitingReview(String(customer.id));

    const { body } = await openPage(approver, request.id);

    expect(body.blocked).toEqual({});
  });

  it("GIVEN an erasure whose customer Shopify cannot be asked for WHEN opened THEN approval is blocked with the reason", async () => {
    const approver = await signedInStaff({ userId: "403", role: "approver" });
    const request = await erasureAwaitingReview("42");
    // Shopify refuses the read (a top-level error, which is not retried).
    mswServer.use(
      http.post(/\/admin\/api\/[^/]+\/graphql\.json$/, () =>
        HttpResponse.json({ errors: [{ message: "Access denied", extensions: { code: "ACCESS_DENIED" } }] }),
      ),
    );

    const { body } = await openPage(approver, request.id);

    expect(body.evidence?.problem).toContain("Shopify could not be asked for the customer");
    expect(body.blocked.approve).toContain("could not be read");
  });

  it("GIVEN another shop's request WHEN opened THEN 404 with what is wrong", async () => {
    const viewer = await signedInStaff({ userId: "404", role: "viewer" });
    const { request } = await createTestRequest({ domain: OTHER_SHOP, email: "x@example.com" });

    const { status, body } = await openPage(viewer, request.id);

    expect(status).toBe(404);
    expect(body).toEqual({ error: "No such request in this shop" });
  });

  it("GIVEN events by staff, Shopify and the worker WHEN the timeline is read THEN it is sentences naming people, this shop's staff by name", async () => {
    const viewer = await signedInStaff({ userId: "405", role: "viewer" });
    await signedInStaff({ userId: "406", role: "approver", name: { firstName: "Arjun", lastName: "Patel" } });
    // A staff member known only in another shop is not named here.
    await signedInStaff({
      shop: OTHER_SHOP,
      userId: "407",
      name: { firstName: "Elsewhere", lastName: "Person" },
    });
    const { request } = await createTestRequest({
      email: "pat@example.com",
      regime: "gdpr",
      receivedAt: new Date("2026-11-06T10:00:00Z"),
    });
    await getDb().$transaction(async (tx) => {
      const move = (
        event: "approve" | "start" | "fail",
        actor: `staff:${string}` | "system:worker",
        reason?: string,
      ) =>
        transitionRequest(tx, getKeyring(), {
          shopId: request.shopId,
          requestId: request.id,
          event,
          actor,
          now: new Date("2026-11-08T09:30:00Z"),
          reason,
        });
      await move("approve", "staff:406");
      await move("start", "system:worker");
      await move("fail", "system:worker", "Shopify answered \u202EFAILED");
    });
    await getDb().$transaction(async (tx) => {
      const { appendAuditEvent } = await import("../../app/services/audit-log.server");
      await appendAuditEvent(tx, getKeyring(), {
        shopId: request.shopId,
        requestId: request.id,
        actor: "staff:407",
        action: "request.retry",
        occurredAt: new Date("2026-11-09T00:00:00Z"),
      });
    });

    const { body } = await openPage(viewer, request.id);

    expect(body.timeline.map((entry) => [entry.sentence, entry.detail, entry.at])).toEqual([
      ["Recorded by Staff member 1; GDPR deadline 6 Dec 2026", null, "6 Nov 2026, 10:00 UTC"],
      ["Approved by Arjun Patel", null, "8 Nov 2026, 09:30 UTC"],
      ["Privacy Desk started carrying it out", null, "8 Nov 2026, 09:30 UTC"],
      ["Failed", "Shopify answered \u202EFAILED", "8 Nov 2026, 09:30 UTC"],
      ["Retried by Staff member 407", null, "9 Nov 2026, 00:00 UTC"],
    ]);
  });

  it("GIVEN the page WHEN loaded THEN the request row is read once", async () => {
    const { customer, admin } = simulatedShopify();
    const approver = await signedInStaff({ userId: "408", role: "approver" });
    const request = await erasureAwaitingReview(String(customer.id));
    const session = (await sessionStorage.loadSession(`${approver.shop}_${approver.userId}`))!;
    const staff = await staffMemberFor(getDb(), session);
    const reads: string[] = [];
    const counted = getDb().$extends({
      query: {
        privacyRequest: {
          async $allOperations({ operation, args, query }) {
            reads.push(operation);
            return query(args);
          },
        },
      },
    }) as unknown as ReturnType<typeof getDb>;

    const page = await loadRequestPage(
      { db: counted, keyring: getKeyring(), staff, admin: () => admin(SHOP), now: new Date() },
      request.id,
    );

    expect(page?.request.id).toBe(request.id);
    expect(reads).toEqual(["findMany"]);
  });
});
