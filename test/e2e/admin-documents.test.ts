import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_SCOPES } from "../../app/api-version";
import { createDb, type Db } from "../../app/db.server";
import { createKeyring } from "../../app/security/keyring";
import { createRequest } from "../../app/services/requests.server";
import { sessionToken } from "../../server/demo/session-token";
import { OTHER_SHOP, SHOP, TEST_API_KEY, TEST_API_SECRET, TEST_ENCRYPTION_KEY } from "../helpers/constants";
import { ROOT, startServer } from "../helpers/processes";

const exec = promisify(execFile);
// A browser's user agent: the library answers bots with 410.
const BROWSER =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36";
const HOST = Buffer.from(`admin.shopify.com/store/${SHOP.replace(".myshopify.com", "")}`).toString("base64");
const STAFF = { viewer: "701", approver: "702" } as const;

let server: Awaited<ReturnType<typeof startServer>>;
let db: Db;
let otherShopsRequestId: string;

/** What token exchange would have stored for a staff member of SHOP, with the role an admin gave them. */
async function staffOfShop(shopId: string, userId: string, role: "viewer" | "approver") {
  await db.session.create({
    data: {
      id: `${SHOP}_${userId}`,
      shop: SHOP,
      state: "",
      isOnline: true,
      accessToken: `shpua_${userId}`,
      scope: ACCESS_SCOPES.join(","),
      expires: new Date(Date.now() + 86_400_000),
      userId: BigInt(userId),
      firstName: "Pat",
      lastName: role,
      associatedUserScope: ACCESS_SCOPES.join(","),
    },
  });
  await db.staffRole.create({ data: { shopId, userId, role, assignedBy: "staff:1" } });
}

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, "build/server/index.js")))
    await exec("npm", ["run", "build"], { cwd: ROOT });
  server = await startServer();
  db = createDb(server.env.DATABASE_URL!);
  const shop = await db.shop.create({ data: { domain: SHOP } });
  await db.session.create({
    data: {
      id: `offline_${SHOP}`,
      shop: SHOP,
      state: "",
      isOnline: false,
      accessToken: "shpat_x",
      scope: "read_customers",
    },
  });
  await staffOfShop(shop.id, STAFF.viewer, "viewer");
  await staffOfShop(shop.id, STAFF.approver, "approver");
  const other = await db.shop.create({ data: { domain: OTHER_SHOP } });
  const { request } = await db.$transaction((tx) =>
    createRequest(
      tx,
      createKeyring(TEST_ENCRYPTION_KEY, []),
      {
        shopId: other.id,
        type: "access",
        source: "merchant",
        regime: "gdpr",
        verified: true,
        receivedAt: new Date(),
        customerId: "5",
        email: "someone@example.com",
        phone: null,
      },
      "staff:1",
    ),
  );
  otherShopsRequestId = request.id;
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
});

/** A full page load inside Shopify admin: the iframe's document request, with the session token in the URL. */
async function pageLoad(appPath: string, userId: string | null, extra = "") {
  const token = userId
    ? `&id_token=${sessionToken({ shop: SHOP, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, userId })}`
    : "";
  const separator = appPath.includes("?") ? "&" : "?";
  const response = await fetch(
    `${server.baseUrl}${appPath}${separator}embedded=1&shop=${SHOP}&host=${HOST}${token}${extra}`,
    {
      headers: { "User-Agent": BROWSER },
      redirect: "manual",
    },
  );
  return { status: response.status, headers: response.headers, html: await response.text() };
}

/** Rendered by Polaris inside the app's AppProvider (App Bridge script, navigation), not Remix's fallback. */
function expectInsideTheAppFrame(html: string) {
  expect(html).not.toContain("Application Error");
  expect(html).toMatch(/<title>[^<]+ · Privacy Desk<\/title>/);
  expect(html).toContain("Polaris-Page");
  expect(html).toContain(`data-api-key="${TEST_API_KEY}"`);
  expect(html).toContain("<ui-nav-menu");
}

describe("refusals on a full page load are pages inside the app (built server)", () => {
  it("GIVEN another shop's request WHEN a staff member loads its page THEN 404 'No such request in this shop', in the app frame", async () => {
    const { status, html } = await pageLoad(`/app/requests/${otherShopsRequestId}`, STAFF.approver);

    expect(status).toBe(404);
    expectInsideTheAppFrame(html);
    expect(html).toContain("No such request in this shop");
    expect(html).not.toContain("someone@example.com");
  });

  it("GIVEN a viewer WHEN they load 'Record a request' THEN 403 naming their role, in the app frame", async () => {
    const { status, html } = await pageLoad("/app/requests/new", STAFF.viewer);

    expect(status).toBe(403);
    expectInsideTheAppFrame(html);
    expect(html).toContain("Your role (viewer) does not allow request: create; it needs approver or above");
  });

  it("GIVEN a bad filter WHEN the requests index is loaded THEN 400 with what is wrong, in the app frame", async () => {
    const { status, html } = await pageLoad("/app/requests?status=shipped", STAFF.viewer);

    expect(status).toBe(400);
    expectInsideTheAppFrame(html);
    expect(html).toContain("Bad filter: Unknown status");
  });

  it.each([
    "/app?shop=x.myshopify.com&host=x",
    "/app/requests?shop=x.myshopify.com&host=%25%25",
    "/auth/login-elsewhere?shop=x.myshopify.com&host=x",
  ])(
    "GIVEN a hand-made link with a host that is not base64 of an address (%s) WHEN opened without a session THEN 400 saying so, not 500",
    async (link) => {
      const response = await fetch(`${server.baseUrl}${link}`, {
        headers: { "User-Agent": BROWSER },
        redirect: "manual",
      });
      const html = await response.text();

      expect(response.status).toBe(400);
      expect(html).not.toContain("Application Error");
      expect(html).toContain("its host parameter is not one Shopify gives");
    },
  );

  it("GIVEN a viewer and an approver WHEN they load the requests index and the dashboard THEN only the approver is offered 'Record a request'", async () => {
    for (const appPath of ["/app/requests", "/app"]) {
      const asViewer = await pageLoad(appPath, STAFF.viewer);
      const asApprover = await pageLoad(appPath, STAFF.approver);
      expect([asViewer.status, asApprover.status]).toEqual([200, 200]);
      expect(asViewer.html).not.toContain("Record a request");
      expect(asApprover.html).toContain("Record a request");
    }
  });

  it("GIVEN the library's own answers WHEN a page has no session token, or a data request a forged one THEN they are the library's (bounce redirect, 401 with the retry header)", async () => {
    const bounce = await pageLoad("/app/requests", null);
    expect(bounce.status).toBe(302);
    expect(bounce.headers.get("location")).toContain("/auth/session-token");

    const data = await fetch(`${server.baseUrl}/app/requests.data`, {
      headers: { "User-Agent": BROWSER, Authorization: "Bearer forged.token.value" },
    });
    expect(data.status).toBe(401);
    expect(data.headers.get("X-Shopify-Retry-Invalid-Session-Request")).toBe("1");
  });
});
