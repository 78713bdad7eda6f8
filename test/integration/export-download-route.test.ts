import { getJwt, USER_ID } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { storeExport } from "../../app/exports/export-store.server";
import { getExportStorage, getKeyring } from "../../app/keys.server";
import { loader } from "../../app/routes/app.exports.$exportId";
import { OTHER_SHOP, SHOP, TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "../helpers/constants";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";
import { respond, signedInStaff } from "../helpers/staff";

beforeEach(resetDatabase);

/** The store owner (admin) by default; the token's `sub` is USER_ID. */
async function offlineSession(shop: string, role: "owner" | "viewer" = "owner") {
  await signedInStaff({ shop, userId: String(USER_ID), owner: role === "owner" });
}

async function storedExport(now = new Date()) {
  const { shop, request } = await createTestRequest({ email: "pat@example.com" });
  async function* content() {
    yield Buffer.from("PK\u0003\u0004 pretend zip");
  }
  return storeExport(getDb(), getKeyring(), getExportStorage(), {
    shopId: shop.id,
    requestId: request.id,
    fileName: `privacy-export-${request.id}.zip`,
    source: content(),
    actor: "staff:1",
    now,
  });
}

async function download(exportId: string, options: { shop?: string; secret?: string; token?: boolean } = {}) {
  const headers = new Headers();
  if (options.token !== false) {
    const { token } = await getJwt(
      (options.shop ?? SHOP).replace(".myshopify.com", ""),
      TEST_API_KEY,
      options.secret ?? TEST_API_SECRET,
    );
    headers.set("Authorization", `Bearer ${token}`);
  }
  const request = new Request(`${TEST_APP_URL}/app/exports/${exportId}`, { headers });
  return respond(() => loader({ request, params: { exportId }, context: {} }));
}

const downloads = () => getDb().auditEvent.findMany({ where: { action: "export.downloaded" } });

describe("GET /app/exports/:exportId", () => {
  it("streams the decrypted file to a staff member of the shop and audits who it was", async () => {
    await offlineSession(SHOP);
    const file = await storedExport();

    const response = await download(file.id);

    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/zip");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${file.fileName}"`);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.text()).toBe("PK\u0003\u0004 pretend zip");
    expect((await downloads()).map((event) => event.actor)).toEqual([`staff:${USER_ID}`]);
  });

  it("refuses a forged session token and a request without one, recording no download", async () => {
    await offlineSession(SHOP);
    const file = await storedExport();

    expect((await download(file.id, { secret: "not-the-app-secret" })).status).toBe(401);
    expect([302, 401]).toContain((await download(file.id, { token: false })).status);
    expect(await downloads()).toEqual([]);
  });

  it("refuses a viewer with 403, recording no download", async () => {
    await offlineSession(SHOP, "viewer");
    const file = await storedExport();

    const response = await download(file.id);

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      error: expect.stringContaining("Your role (viewer) does not allow export: download"),
    });
    expect(await downloads()).toEqual([]);
  });

  it("does not serve another shop's export", async () => {
    await offlineSession(OTHER_SHOP);
    const file = await storedExport();

    const response = await download(file.id, { shop: OTHER_SHOP });

    expect(response.status).toBe(404);
    expect(await downloads()).toEqual([]);
  });

  it("answers 410 Gone once the export has expired", async () => {
    await offlineSession(SHOP);
    const file = await storedExport(new Date(Date.now() - 8 * 86_400_000));

    const response = await download(file.id);

    expect(response.status).toBe(410);
    expect(await response.text()).toMatch(/expired on .* and was deleted/);
  });
});
