import { beforeEach, describe, expect, it } from "vitest";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { Session } from "@shopify/shopify-api";
import { getDb } from "../../app/db.server";
import { action as uninstalled } from "../../app/routes/webhooks.app.uninstalled";
import { action as scopesUpdate } from "../../app/routes/webhooks.app.scopes_update";
import { OTHER_SHOP, SHOP } from "../helpers/constants";
import { resetDatabase } from "../helpers/reset";
import { signedWebhook } from "../helpers/webhooks";

beforeEach(resetDatabase);

async function seedShop(domain: string) {
  const db = getDb();
  await db.shop.create({ data: { domain } });
  await db.session.create({
    data: { id: `offline_${domain}`, shop: domain, state: "", accessToken: "shpat_test", isOnline: false },
  });
}

describe("app/uninstalled", () => {
  it("removes the shop's sessions and marks it uninstalled, keeping its records until shop/redact", async () => {
    await seedShop(SHOP);
    await seedShop(OTHER_SHOP);

    const response = await uninstalled({
      request: signedWebhook({
        topic: "app/uninstalled",
        shop: SHOP,
        body: { id: 1, domain: SHOP },
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

  it("rejects a forged uninstall with 401 and keeps the sessions", async () => {
    await seedShop(SHOP);
    const request = signedWebhook({
      topic: "app/uninstalled",
      shop: SHOP,
      body: {},
      secret: "wrong",
      path: "/webhooks/app/uninstalled",
    });

    const thrown = await uninstalled({ request, params: {}, context: {} }).catch((error: unknown) => error);

    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(401);
    expect(await getDb().session.count()).toBe(1);
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
