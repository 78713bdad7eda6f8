import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { getKeyring } from "../../app/keys.server";
import { action, loader } from "../../app/routes/app.requests.$id/route";
import { transitionRequest } from "../../app/services/requests.server";
import type { RequestPageData } from "../../app/components/request/page-data";
import { OTHER_SHOP } from "../helpers/constants";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";
import { embeddedRequest, respond, signedInStaff, type TestStaff } from "../helpers/staff";

beforeEach(resetDatabase);

async function openPage(staff: TestStaff, requestId: string) {
  const response = await respond(async () =>
    loader({
      request: await embeddedRequest(staff, `/app/requests/${requestId}`),
      params: { id: requestId },
      context: {},
    }),
  );
  return (await response.json()) as RequestPageData;
}

async function post(staff: TestStaff, requestId: string, form: Record<string, string>) {
  const response = await respond(async () =>
    action({
      request: await embeddedRequest(staff, `/app/requests/${requestId}`, { form }),
      params: { id: requestId },
      context: {},
    }),
  );
  return {
    status: response.status,
    body: (await response.json()) as { ok?: true; message?: string; error?: string },
  };
}

/** A storefront access request, completed with an export, in a shop that holds exports for release. */
async function heldExport() {
  const { shop, request } = await createTestRequest({
    source: "storefront",
    customerId: null,
    email: "shopper@example.com",
    locale: "en",
  });
  await getDb().shopSettings.create({
    data: {
      shopId: shop.id,
      verificationPolicy: "email_confirmation",
      autoApproveCustomerAccess: false,
      notificationEmails: "[]",
      exportRetentionDays: 7,
      holdExportsForRelease: true,
    },
  });
  const file = await getDb().exportFile.create({
    data: {
      id: randomUUID(),
      shopId: shop.id,
      requestId: request.id,
      fileName: "export.zip",
      path: "x.zip.enc",
      keyId: "k1",
      sizeBytes: 10,
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 7 * 86_400_000),
    },
  });
  for (const event of ["approve", "start", "complete"] as const)
    await getDb().$transaction((tx) =>
      transitionRequest(tx, getKeyring(), {
        shopId: shop.id,
        requestId: request.id,
        event,
        actor: "staff:1",
        now: new Date(),
      }),
    );
  return { shop, request, file };
}

describe("the export's delivery on the request page", () => {
  it("GIVEN a held export WHEN an approver releases it THEN the requester's email is queued, and revoking then kills the emailed link", async () => {
    const approver = await signedInStaff({ userId: "501", role: "approver" });
    const { shop, request, file } = await heldExport();

    const before = await openPage(approver, request.id);
    expect(before.delivery).toMatchObject({
      exportId: file.id,
      awaitingRelease: true,
      liveLinks: 0,
      downloads: 0,
    });
    expect(await getDb().outboundEmail.count({ where: { template: "export_ready" } })).toBe(0);

    const released = await post(approver, request.id, { intent: "release_export", exportId: file.id });
    expect(released).toMatchObject({ status: 200, body: { ok: true } });
    expect(await getDb().outboundEmail.count({ where: { template: "export_ready" } })).toBe(1);
    expect((await post(approver, request.id, { intent: "release_export", exportId: file.id })).status).toBe(
      409,
    );

    // The email job makes the link when it sends; here one stands in for it.
    await getDb().exportLink.create({
      data: {
        id: randomUUID(),
        shopId: shop.id,
        requestId: request.id,
        exportId: file.id,
        kind: "email_link",
        tokenHash: randomUUID(),
        expiresAt: file.expiresAt,
        createdAt: new Date(),
      },
    });
    expect((await openPage(approver, request.id)).delivery).toMatchObject({
      awaitingRelease: false,
      liveLinks: 1,
    });
    const revoked = await post(approver, request.id, { intent: "revoke_links" });
    expect(revoked).toMatchObject({ status: 200, body: { message: "1 download link revoked" } });
    expect((await openPage(approver, request.id)).delivery).toMatchObject({ liveLinks: 0 });
    const audit = await getDb().auditEvent.findMany({
      where: { requestId: request.id, action: { in: ["export.released", "export.links_revoked"] } },
      orderBy: { seq: "asc" },
    });
    expect(audit.map((event) => [event.action, event.actor])).toEqual([
      ["export.released", "staff:501"],
      ["export.links_revoked", "staff:501"],
    ]);
  });

  it("GIVEN a viewer, or an approver of another shop WHEN they post a release THEN it is refused and nothing is queued", async () => {
    const viewer = await signedInStaff({ userId: "502", role: "viewer" });
    const { request, file } = await heldExport();
    expect((await post(viewer, request.id, { intent: "release_export", exportId: file.id })).status).toBe(
      403,
    );

    const stranger = await signedInStaff({ shop: OTHER_SHOP, userId: "503", role: "approver" });
    const foreign = await post(stranger, request.id, { intent: "release_export", exportId: file.id });
    expect(foreign.status).toBe(404);
    expect((await post(stranger, request.id, { intent: "revoke_links" })).status).toBe(404);
    expect(await getDb().outboundEmail.count({ where: { template: "export_ready" } })).toBe(0);
    expect(await getDb().exportFile.findUniqueOrThrow({ where: { id: file.id } })).toMatchObject({
      releasedAt: null,
    });
  });
});
