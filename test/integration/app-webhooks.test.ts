import { beforeEach, describe, expect, it } from "vitest";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { Session } from "@shopify/shopify-api";
import { getDb } from "../../app/db.server";
import { action as uninstalled } from "../../app/routes/webhooks.app.uninstalled";
import { action as scopesUpdate } from "../../app/routes/webhooks.app.scopes_update";
import { OTHER_SHOP, SHOP } from "../helpers/constants";
import { resetDatabase } from "../helpers/reset";
import { samplePayload, signedWebhook, type SignedWebhookOptions } from "../helpers/webhooks";
import { mswServer } from "../setup/test-env";

beforeEach(resetDatabase);

async function seedShop(domain: string, session: { expires?: Date; refreshTokenExpires?: Date } = {}) {
  const db = getDb();
  await db.shop.create({ data: { domain } });
  await db.session.create({
    data: {
      id: `offline_${domain}`,
      shop: domain,
      state: "",
      accessToken: "shpat_test",
      isOnline: false,
      ...(session.expires ? { ...session, refreshToken: "shprt_old" } : {}),
    },
  });
}

/** The shop resource Shopify sends as the app/uninstalled payload (abridged). */
const shopResource = (domain: string) => ({
  id: 548380009,
  name: "Super Toys",
  email: "super@example.com",
  domain: "shop.example.com",
  myshopify_domain: domain,
  plan_name: "basic",
});

describe("app/uninstalled", () => {
  it("removes the shop's sessions and marks it uninstalled, keeping its records until shop/redact", async () => {
    await seedShop(SHOP);
    await seedShop(OTHER_SHOP);

    const response = await uninstalled({
      request: signedWebhook({
        topic: "app/uninstalled",
        shop: SHOP,
        body: shopResource(SHOP),
        path: "/webhooks/app/uninstalled",
      }),
      params: {},
      context: {},
    });

    expect(response.status).toBe(200);
    const db = getDb();
    expect(await db.session.count({ where: { shop: SHOP } })).toBe(0);
    expect(await db.session.count({ where: { shop: OTHER_SHOP } })).toBe(1);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: SHOP } })).uninstalledAt).toBeInstanceOf(Date);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } })).uninstalledAt).toBeNull();
  });

  const refusals: {
    name: string;
    options: Partial<SignedWebhookOptions>;
    status: number;
    message: RegExp;
  }[] = [
    { name: "a forged signature", options: { secret: "wrong" }, status: 401, message: /HMAC signature/ },
    {
      name: "no signature",
      options: { headers: { "X-Shopify-Hmac-Sha256": null } },
      status: 401,
      message: /Missing X-Shopify-Hmac-Sha256/,
    },
    {
      name: "another topic's header",
      options: { topic: "customers/redact" },
      status: 400,
      message: /Topic customers\/redact is not app\/uninstalled/,
    },
    {
      name: "a signed compliance body replayed as app/uninstalled",
      options: { body: samplePayload("customers/redact", SHOP) },
      status: 400,
      message: /Invalid app\/uninstalled payload: id Required; myshopify_domain Required/,
    },
    {
      name: "the shop resource of another shop",
      options: { body: shopResource(OTHER_SHOP) },
      status: 400,
      message: /myshopify_domain second-store.myshopify.com does not match the signed shop first-store/,
    },
  ];

  it.each(refusals)(
    "refuses $name with $status and keeps the sessions",
    async ({ options, status, message }) => {
      await seedShop(SHOP);
      const request = signedWebhook({
        topic: "app/uninstalled",
        shop: SHOP,
        body: shopResource(SHOP),
        path: "/webhooks/app/uninstalled",
        ...options,
      });

      const response = await uninstalled({ request, params: {}, context: {} });

      expect(response.status).toBe(status);
      expect(await response.text()).toMatch(message);
      expect(await getDb().session.count()).toBe(1);
      expect((await getDb().shop.findUniqueOrThrow({ where: { domain: SHOP } })).uninstalledAt).toBeNull();
    },
  );

  it("accepts Shopify's sample payload, whose myshopify_domain is null", async () => {
    await seedShop(SHOP);
    const response = await uninstalled({
      request: signedWebhook({
        topic: "app/uninstalled",
        shop: SHOP,
        body: { ...shopResource(SHOP), myshopify_domain: null },
        path: "/webhooks/app/uninstalled",
      }),
      params: {},
      context: {},
    });
    expect(response.status).toBe(200);
    expect(await getDb().session.count()).toBe(0);
  });
});

describe("app/scopes_update", () => {
  it("stores the granted scopes on the shop and its sessions", async () => {
    await seedShop(SHOP);
    const body = { id: 1, previous: ["read_customers"], current: ["read_customers", "write_customers"] };

    const response = await scopesUpdate({
      request: signedWebhook({
        topic: "app/scopes_update",
        shop: SHOP,
        body,
        path: "/webhooks/app/scopes_update",
      }),
      params: {},
      context: {},
    });

    expect(response.status).toBe(200);
    expect((await getDb().shop.findUniqueOrThrow({ where: { domain: SHOP } })).scopes).toBe(
      "read_customers,write_customers",
    );
    expect((await getDb().session.findFirstOrThrow()).scope).toBe("read_customers,write_customers");
  });

  it("refuses a signed compliance body replayed as app/scopes_update, keeping the scopes", async () => {
    await seedShop(SHOP);
    const response = await scopesUpdate({
      request: signedWebhook({
        topic: "app/scopes_update",
        shop: SHOP,
        body: samplePayload("shop/redact", SHOP),
        path: "/webhooks/app/scopes_update",
      }),
      params: {},
      context: {},
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/current Required/);
    expect((await getDb().shop.findUniqueOrThrow({ where: { domain: SHOP } })).scopes).toBeNull();
  });

  it("rejects a payload without the current scopes", async () => {
    await seedShop(SHOP);
    const response = await scopesUpdate({
      request: signedWebhook({
        topic: "app/scopes_update",
        shop: SHOP,
        body: { id: 1 },
        path: "/webhooks/app/scopes_update",
      }),
      params: {},
      context: {},
    });
    expect(response.status).toBe(400);
  });
});

describe("app webhooks for a dormant shop (issue 8, finding 4)", () => {
  const dormant = {
    expires: new Date(Date.now() - 3600 * 1000),
    refreshTokenExpires: new Date(Date.now() - 10 * 24 * 3600 * 1000),
  };
  const deliveries = [
    {
      topic: "app/uninstalled",
      action: uninstalled,
      body: shopResource(SHOP),
      path: "/webhooks/app/uninstalled",
    },
    {
      topic: "app/scopes_update",
      action: scopesUpdate,
      body: { id: 1, previous: ["read_customers"], current: ["read_customers"] },
      path: "/webhooks/app/scopes_update",
    },
  ];

  it.each(deliveries)("handles $topic without refreshing the expired offline token", async (delivery) => {
    // GIVEN a shop whose offline token and refresh token both expired
    await seedShop(SHOP, dormant);
    const outbound: string[] = [];
    const record = ({ request }: { request: Request }) => void outbound.push(request.url);
    mswServer.events.on("request:start", record);

    try {
      // WHEN Shopify delivers the webhook
      const response = await delivery.action({
        request: signedWebhook({
          topic: delivery.topic,
          shop: SHOP,
          body: delivery.body,
          path: delivery.path,
        }),
        params: {},
        context: {},
      });

      // THEN it is handled, and nothing called Shopify
      expect(response.status).toBe(200);
      expect(outbound).toEqual([]);
    } finally {
      mswServer.events.removeListener("request:start", record);
    }
  });
});

describe("PrismaSessionStorage on this schema", () => {
  it("stores, overwrites, loads and deletes a session with refresh-token columns", async () => {
    const storage = new PrismaSessionStorage(getDb());
    const session = new Session({
      id: `offline_${SHOP}`,
      shop: SHOP,
      state: "s",
      isOnline: false,
      accessToken: "one",
    });
    session.refreshToken = "refresh-1";
    session.refreshTokenExpires = new Date(Date.now() + 60_000);

    expect(await storage.storeSession(session)).toBe(true);
    session.accessToken = "two";
    expect(await storage.storeSession(session)).toBe(true);

    const loaded = await storage.loadSession(session.id);
    expect(loaded).toMatchObject({ accessToken: "two", refreshToken: "refresh-1" });
    expect(await storage.findSessionsByShop(SHOP)).toHaveLength(1);
    expect(await storage.deleteSession(session.id)).toBe(true);
    expect(await storage.loadSession(session.id)).toBeUndefined();
  });

  it("survives two concurrent first stores of one session (the library's unique-key retry path)", async () => {
    // The storage catches Prisma.PrismaClientKnownRequestError; with a client whose Prisma
    // namespace lacks it, this threw "Right-hand side of 'instanceof' is not callable".
    const storage = new PrismaSessionStorage(getDb());
    const make = (token: string) =>
      new Session({ id: "offline_race", shop: SHOP, state: "s", isOnline: false, accessToken: token });

    const results = await Promise.all([storage.storeSession(make("a")), storage.storeSession(make("b"))]);

    expect(results).toEqual([true, true]);
    expect(await getDb().session.count({ where: { id: "offline_race" } })).toBe(1);
  });
});
