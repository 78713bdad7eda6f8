import type { Db } from "../../db-types";
import { CODE_TTL_MS, UNVERIFIED_EXPIRY_MS } from "../../domain/storefront-request";
import type { Keyring } from "../../security/keyring";
import { transitionRequest } from "../requests.server";
import { pruneRateLimits } from "./rate-limit.server";
import { STOREFRONT } from "./storefront-requests.server";

export const UNVERIFIED_EXPIRY_REASON =
  "The shopper did not confirm the request with the code sent by email within 14 days";

/**
 * Up to `limit` storefront requests still waiting for their email code past the expiry. Requests
 * waiting for the merchant to verify by hand are skipped page by page, so however many of those
 * there are, they never hide the ones waiting for a code.
 */
async function staleCodeRequests(db: Db, now: Date, limit: number) {
  const found: { id: string; shopId: string }[] = [];
  let after: string | undefined;
  while (found.length < limit) {
    const page = await db.privacyRequest.findMany({
      where: {
        status: "awaiting_verification",
        receivedAt: { lt: new Date(now.getTime() - UNVERIFIED_EXPIRY_MS) },
        ...(after ? { id: { gt: after } } : {}),
      },
      select: { id: true, shopId: true },
      orderBy: { id: "asc" },
      take: limit,
    });
    after = page.at(-1)?.id;
    const byCode = await db.storefrontVerification.findMany({
      where: { requestId: { in: page.map((request) => request.id) }, method: "email_code", verifiedAt: null },
      select: { requestId: true, shopId: true },
    });
    const waiting = new Set(byCode.map((verification) => `${verification.shopId}/${verification.requestId}`));
    found.push(...page.filter((request) => waiting.has(`${request.shopId}/${request.id}`)));
    if (page.length < limit) break;
  }
  return found.slice(0, limit);
}

/**
 * The `storefront_housekeeping` job (every 15 minutes):
 * - a storefront request still waiting for its code 14 days after it was received is canceled,
 *   with the reason (its deadline ran from receipt all along); one waiting for the merchant to
 *   verify by hand is the merchant's to close, and is left alone;
 * - a code the mail server never took is not kept past its 15 minutes;
 * - spent rate-limit counters and form tokens are dropped.
 */
export async function storefrontHousekeeping(db: Db, keyring: Keyring, now: Date) {
  const stale = await staleCodeRequests(db, now, 500);
  let expired = 0;
  for (const request of stale) {
    await db.$transaction(async (tx) => {
      const current = await tx.privacyRequest.findFirst({
        where: { id: request.id, shopId: request.shopId, status: "awaiting_verification" },
        select: { id: true },
      });
      if (!current) return;
      await transitionRequest(tx, keyring, {
        shopId: request.shopId,
        requestId: request.id,
        event: "cancel",
        actor: STOREFRONT,
        now,
        reason: UNVERIFIED_EXPIRY_REASON,
      });
      await tx.storefrontVerification.update({
        where: { requestId: request.id },
        data: { codeCipher: null },
      });
      expired += 1;
    });
  }
  const codesWiped = (
    await db.storefrontVerification.updateMany({
      where: { codeCipher: { not: null }, codeIssuedAt: { lt: new Date(now.getTime() - CODE_TTL_MS) } },
      data: { codeCipher: null },
    })
  ).count;
  const counters = await pruneRateLimits(db, now);
  const tokens = (await db.formTokenUse.deleteMany({ where: { expiresAt: { lt: now } } })).count;
  return { expired, codesWiped, counters, tokens };
}
