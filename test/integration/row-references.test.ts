import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { purgeShop } from "../../app/services/redaction.server";
import { OTHER_SHOP, SHOP } from "../helpers/constants";
import { resetDatabase } from "../helpers/reset";

beforeEach(resetDatabase);

/** How Prisma reports the triggers' refusal on both databases (as it did the foreign keys'). */
const REFUSED = /Foreign key constraint violated/;

async function shopWithSubject(domain: string) {
  const shop = await getDb().shop.create({ data: { domain } });
  const subject = await getDb().dataSubject.create({ data: { shopId: shop.id, customerId: "7" } });
  return { shopId: shop.id, subjectId: subject.id };
}

const request = (shopId: string, subjectId: string | null, id = `req-${Math.random()}`) => ({
  id,
  shopId,
  subjectId,
  type: "access",
  status: "pending_review",
  source: "shopify_webhook",
  regime: "gdpr",
  receivedAt: new Date(),
  dueAt: new Date(Date.now() + 86_400_000),
});

const verification = (shopId: string, requestId: string) => ({
  requestId,
  shopId,
  method: "email_code",
  createdAt: new Date(),
});

/**
 * Two references are checked by triggers, not foreign keys (migrations request_subject_trigger
 * and request_verification_trigger): every write must name a row of its own shop, while deleting
 * the rows referred to (only shop/redact does, children first) runs no check per row.
 */
describe("a request's subject", () => {
  it("may be none, or a subject of the request's shop", async () => {
    const { shopId, subjectId } = await shopWithSubject(SHOP);
    await getDb().privacyRequest.create({ data: request(shopId, null) });
    await getDb().privacyRequest.create({ data: request(shopId, subjectId) });
    expect(await getDb().privacyRequest.count({ where: { shopId } })).toBe(2);
  });

  it("is refused when no such subject exists, and nothing is stored", async () => {
    const { shopId } = await shopWithSubject(SHOP);
    await expect(getDb().privacyRequest.create({ data: request(shopId, "no-such-subject") })).rejects.toThrow(
      /subject/,
    );
    expect(await getDb().privacyRequest.count()).toBe(0);
  });

  it("is refused when it is another shop's subject, on insert and on update", async () => {
    const mine = await shopWithSubject(SHOP);
    const theirs = await shopWithSubject(OTHER_SHOP);
    await expect(
      getDb().privacyRequest.create({ data: request(mine.shopId, theirs.subjectId) }),
    ).rejects.toThrow(REFUSED);

    await getDb().privacyRequest.create({ data: request(mine.shopId, mine.subjectId, "req-mine") });
    await expect(
      getDb().privacyRequest.update({ where: { id: "req-mine" }, data: { subjectId: theirs.subjectId } }),
    ).rejects.toThrow(REFUSED);
    await expect(
      getDb().privacyRequest.update({ where: { id: "req-mine" }, data: { shopId: theirs.shopId } }),
    ).rejects.toThrow(REFUSED);
    const stored = await getDb().privacyRequest.findUniqueOrThrow({ where: { id: "req-mine" } });
    expect({ shopId: stored.shopId, subjectId: stored.subjectId }).toEqual(mine);
  });

  it("goes with its shop on shop/redact while the other shop's stay", async () => {
    const mine = await shopWithSubject(SHOP);
    const theirs = await shopWithSubject(OTHER_SHOP);
    await getDb().privacyRequest.create({ data: request(mine.shopId, mine.subjectId) });
    await getDb().privacyRequest.create({ data: request(theirs.shopId, theirs.subjectId) });

    await purgeShop(getDb(), { shopDomain: SHOP, shopifyShopId: null, webhookId: "w-1", now: new Date() });

    expect(await getDb().dataSubject.findMany({ select: { id: true } })).toEqual([{ id: theirs.subjectId }]);
    expect(await getDb().privacyRequest.findMany({ select: { subjectId: true } })).toEqual([
      { subjectId: theirs.subjectId },
    ]);
  });
});

describe("a storefront verification's request", () => {
  it("must be a request of the verification's shop, on insert and on update", async () => {
    const mine = await shopWithSubject(SHOP);
    const theirs = await shopWithSubject(OTHER_SHOP);
    await getDb().privacyRequest.create({ data: request(mine.shopId, mine.subjectId, "req-mine") });
    await getDb().privacyRequest.create({ data: request(theirs.shopId, theirs.subjectId, "req-theirs") });

    await expect(
      getDb().storefrontVerification.create({ data: verification(mine.shopId, "no-such-request") }),
    ).rejects.toThrow(REFUSED);
    await expect(
      getDb().storefrontVerification.create({ data: verification(mine.shopId, "req-theirs") }),
    ).rejects.toThrow(REFUSED);
    expect(await getDb().storefrontVerification.count()).toBe(0);

    await getDb().storefrontVerification.create({ data: verification(mine.shopId, "req-mine") });
    await expect(
      getDb().storefrontVerification.update({
        where: { requestId: "req-mine" },
        data: { shopId: theirs.shopId },
      }),
    ).rejects.toThrow(REFUSED);
    await expect(
      getDb().storefrontVerification.update({
        where: { requestId: "req-mine" },
        data: { requestId: "req-theirs" },
      }),
    ).rejects.toThrow(REFUSED);
    expect(
      await getDb().storefrontVerification.findMany({ select: { requestId: true, shopId: true } }),
    ).toEqual([{ requestId: "req-mine", shopId: mine.shopId }]);
  });

  it("goes with its shop on shop/redact while the other shop's stay", async () => {
    const mine = await shopWithSubject(SHOP);
    const theirs = await shopWithSubject(OTHER_SHOP);
    for (const [shop, id] of [
      [mine, "req-mine"],
      [theirs, "req-theirs"],
    ] as const) {
      await getDb().privacyRequest.create({ data: request(shop.shopId, shop.subjectId, id) });
      await getDb().storefrontVerification.create({ data: verification(shop.shopId, id) });
    }

    await purgeShop(getDb(), { shopDomain: SHOP, shopifyShopId: null, webhookId: "w-1", now: new Date() });

    expect(await getDb().storefrontVerification.findMany({ select: { requestId: true } })).toEqual([
      { requestId: "req-theirs" },
    ]);
    expect(await getDb().privacyRequest.findMany({ select: { id: true } })).toEqual([{ id: "req-theirs" }]);
  });
});
