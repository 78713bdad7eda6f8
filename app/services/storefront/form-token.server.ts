import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Tx } from "../../db-types";
import { FORM_TOKEN_TTL_MS } from "../../domain/storefront-request";
import type { Keyring } from "../../security/keyring";

/**
 * The token in every form the app renders on the storefront. It binds the form to the shop and
 * the logged-in customer of the signed query it was rendered for, expires after two hours, and is
 * spent once: a page on another site cannot make a shopper's browser send a request in their
 * name (it cannot read a token), a replayed or double-sent form is refused, and a token rendered
 * for one customer is worthless for another.
 */
export interface TokenBinding {
  shop: string;
  customerId: string | null;
}

function mac(keyring: Keyring, binding: TokenBinding, issuedAt: number, nonce: string): Buffer {
  return createHmac("sha256", keyring.derive("storefront-form"))
    .update(`${binding.shop}|${binding.customerId ?? ""}|${issuedAt}|${nonce}`)
    .digest();
}

export function issueFormToken(keyring: Keyring, binding: TokenBinding, now: Date): string {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const nonce = randomBytes(16).toString("base64url");
  return `${issuedAt}.${nonce}.${mac(keyring, binding, issuedAt, nonce).toString("base64url")}`;
}

export type TokenCheck =
  { ok: true; nonce: string; expiresAt: Date } | { ok: false; reason: "missing" | "invalid" | "expired" };

/** Checks a token against the signed query it came with; does not spend it. */
export function checkFormToken(
  keyring: Keyring,
  token: string | undefined,
  binding: TokenBinding,
  now: Date,
): TokenCheck {
  if (!token) return { ok: false, reason: "missing" };
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: "invalid" };
  const issuedAt = Number(match[1]);
  const expected = mac(keyring, binding, issuedAt, match[2]!);
  const presented = Buffer.from(match[3]!, "base64url");
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected))
    return { ok: false, reason: "invalid" };
  const age = now.getTime() - issuedAt * 1000;
  if (age > FORM_TOKEN_TTL_MS || age < -60_000) return { ok: false, reason: "expired" };
  return { ok: true, nonce: match[2]!, expiresAt: new Date(issuedAt * 1000 + FORM_TOKEN_TTL_MS) };
}

/** Spends a checked token inside the transaction that acts on the form; false if it was spent before. */
export async function spendFormToken(
  tx: Tx,
  shopId: string,
  token: { nonce: string; expiresAt: Date },
): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO "FormTokenUse" ("nonce", "shopId", "expiresAt") VALUES (${token.nonce}, ${shopId}, ${token.expiresAt})
    ON CONFLICT ("nonce") DO NOTHING`;
  return inserted === 1;
}
