import { getDb } from "../../app/db.server";
import { getKeyring } from "../../app/keys.server";
import type { Db } from "../../app/db-types";
import type { Keyring } from "../../app/security/keyring";
import { approveRequest, createRequest, type NewRequest } from "../../app/services/requests.server";
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

/**
 * An access request recorded by a staff member and approved (so its job is queued), written through
 * the app's own services into `db`: for benchmarks, scripts and process tests with their own database.
 */
export async function approvedAccessRequest(
  db: Db,
  keyring: Keyring,
  input: { shopId: string; customerId: string; email: string | null },
) {
  const { request } = await db.$transaction((tx) =>
    createRequest(
      tx,
      keyring,
      {
        shopId: input.shopId,
        type: "access",
        source: "merchant",
        regime: "gdpr",
        verified: true,
        receivedAt: new Date(),
        customerId: input.customerId,
        email: input.email,
        phone: null,
      },
      "staff:1",
    ),
  );
  await db.$transaction((tx) =>
    approveRequest(tx, keyring, {
      shopId: input.shopId,
      requestId: request.id,
      actor: "staff:1",
      now: new Date(),
    }),
  );
  return request;
}
