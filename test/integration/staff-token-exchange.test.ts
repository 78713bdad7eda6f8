import { getJwt } from "@shopify/shopify-api/test-helpers";
import { http, HttpResponse } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { action as requestAction } from "../../app/routes/app.requests.$id/route";
import { loader as settingsLoader } from "../../app/routes/app.settings";
import { createTestRequest } from "../helpers/requests";
import { SHOP, TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "../helpers/constants";
import { resetDatabase } from "../helpers/reset";
import { respond } from "../helpers/staff";
import { mswServer } from "../setup/test-env";

beforeEach(resetDatabase);

/** Shopify's token exchange endpoint: an offline token, and an online one naming the staff member. */
function shopifyTokenExchange(user: { id: number; account_owner: boolean; scope?: string }) {
  const asked: string[] = [];
  mswServer.use(
    http.post(`https://${SHOP}/admin/oauth/access_token`, async ({ request }) => {
      const body = (await request.json()) as { requested_token_type: string; client_secret: string };
      if (body.client_secret !== TEST_API_SECRET)
        return HttpResponse.json({ error: "invalid_client" }, { status: 401 });
      asked.push(body.requested_token_type.split(":").pop()!);
      if (body.requested_token_type.endsWith("online-access-token")) {
        return HttpResponse.json({
          access_token: `shpua_${user.id}`,
          scope: "read_customers,write_customers",
          expires_in: 86_399,
          associated_user_scope: user.scope ?? "read_customers,write_customers",
          associated_user: {
            id: user.id,
            first_name: "Sam",
            last_name: "Staff",
            email: "sam@store.example",
            account_owner: user.account_owner,
            locale: "en",
            collaborator: false,
            email_verified: true,
          },
        });
      }
      return HttpResponse.json({
        access_token: "shpat_offline",
        scope: "read_customers,write_customers",
        expires_in: 3600,
        refresh_token: "shprt_x",
        refresh_token_expires_in: 7_776_000,
      });
    }),
  );
  return asked;
}

async function sessionTokenHeader(userId: number) {
  const { token } = await getJwt(SHOP.replace(".myshopify.com", ""), TEST_API_KEY, TEST_API_SECRET, {
    sub: String(userId),
  });
  return { Authorization: `Bearer ${token}` };
}

async function openSettings(userId: number) {
  const request = new Request(`${TEST_APP_URL}/app/settings`, { headers: await sessionTokenHeader(userId) });
  return respond(() => settingsLoader({ request, params: {}, context: {} }));
}

async function approve(userId: number, requestId: string) {
  const request = new Request(`${TEST_APP_URL}/app/requests/${requestId}`, {
    method: "POST",
    headers: await sessionTokenHeader(userId),
    body: new URLSearchParams({ intent: "approve", reviewedSnapshotHash: "b".repeat(64) }),
  });
  return respond(() => requestAction({ request, params: { id: requestId }, context: {} }));
}

describe("who the staff member is, from token exchange", () => {
  it("makes the store owner admin from the online token's associated user, and keeps both tokens", async () => {
    const asked = shopifyTokenExchange({ id: 4242, account_owner: true });

    const response = await openSettings(4242);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      canEdit: true,
      you: { userId: "4242", role: "admin", isOwner: true },
    });
    expect(asked).toEqual(["offline-access-token", "online-access-token"]);
    const sessions = await getDb().session.findMany({ orderBy: { id: "asc" } });
    expect(sessions.map((s) => [s.id, s.isOnline, s.accountOwner])).toEqual([
      [`${SHOP}_4242`, true, true],
      [`offline_${SHOP}`, false, false],
    ]);
  });

  it("makes other staff viewers until an admin assigns them a role", async () => {
    shopifyTokenExchange({ id: 5151, account_owner: false });

    const response = await openSettings(5151);

    expect(await response.json()).toMatchObject({
      canEdit: false,
      you: { userId: "5151", role: "viewer", isOwner: false },
    });
  });

  it("keeps what Shopify lets the staff member do (associated_user_scope) and reads it back on later requests", async () => {
    // GIVEN the owner, whose account may erase customer data, opens the app (token exchange)
    shopifyTokenExchange({
      id: 4343,
      account_owner: true,
      scope: "read_customers,write_customer_data_erasure",
    });
    expect((await openSettings(4343)).status).toBe(200);
    expect(
      (await getDb().session.findUniqueOrThrow({ where: { id: `${SHOP}_4343` } })).associatedUserScope,
    ).toBe("read_customers,write_customer_data_erasure");

    // WHEN they approve an erasure on a later request, with Shopify unreachable (no second exchange)
    mswServer.resetHandlers();
    const { request } = await createTestRequest({ type: "erasure", customerId: "42" });
    const response = await approve(4343, request.id);

    // THEN the scope came back from the stored session and the approval went through
    expect(response.status).toBe(200);
    expect((await getDb().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe(
      "approved",
    );
  });

  it("refuses an erasure approval when the online token's associated_user_scope lacks the permission", async () => {
    shopifyTokenExchange({ id: 4444, account_owner: true, scope: "read_customers,write_customers" });
    const { request } = await createTestRequest({ type: "erasure", customerId: "42" });

    const response = await approve(4444, request.id);

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      error: expect.stringContaining("Shopify does not let your staff account erase customer data"),
    });
  });
});
