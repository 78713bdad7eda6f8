import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import { CODE_LENGTH } from "../../domain/storefront-request";
import type { Keyring } from "../../security/keyring";

/** A one-time code from the operating system's CSPRNG, six digits, leading zeros kept. */
export function newVerificationCode(): string {
  return String(randomInt(0, 10 ** CODE_LENGTH)).padStart(CODE_LENGTH, "0");
}

/**
 * What is stored instead of the code: an HMAC keyed from the master key and bound to the request,
 * so a copy of the database neither shows codes nor lets anyone try the million candidates offline.
 */
export function codeHash(keyring: Keyring, requestId: string, code: string): string {
  return createHmac("sha256", keyring.derive("verification-code"))
    .update(`${requestId}:${code}`)
    .digest("hex");
}

export function codeMatches(
  keyring: Keyring,
  requestId: string,
  code: string,
  storedHash: string | null,
): boolean {
  if (!storedHash) return false;
  const expected = Buffer.from(storedHash, "hex");
  const presented = Buffer.from(codeHash(keyring, requestId, code), "hex");
  return expected.length === presented.length && timingSafeEqual(expected, presented);
}
