import { getDb } from "../../app/db.server";
import { getKeyring } from "../../app/keys.server";
import { createRequest, type NewRequest } from "../../app/services/requests.server";
import { SHOP } from "./constants";

/** A request created the way the app creates one, in `domain`'s shop (created if needed). */
export async function createTestRequest(
  overrides: Partial<Omit<NewRequest, "shopId">> & { domain?: string } = {},
) {
  const { domain = SHOP, ...fields } = overrides;
  const db = getDb();
  const shop = await db.shop.upsert({ where: { domain }, create: { domain }, update: {} });
  const input: NewRequest = {
    shopId: shop.id,
    type: "access",
    source: "merchant",
    regime: "ccpa",
    verified: true,
    receivedAt: new Date(),
    customerId: "5",
    email: null,
    phone: null,
    ...fields,
  };
  const { request } = await db.$transaction((tx) => createRequest(tx, getKeyring(), input, "staff:1"));
  return { shop, request };
}
