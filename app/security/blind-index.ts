import { createHmac } from "node:crypto";

/** Lower-cased and trimmed: Shopify treats customer emails case-insensitively. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * A keyed hash that lets us find a person's rows by email without storing the email in clear.
 * Keyed, so the column cannot be reversed with a dictionary of known addresses.
 */
export function emailBlindIndex(indexKey: Buffer, email: string): string {
  return createHmac("sha256", indexKey).update(normalizeEmail(email)).digest("hex");
}
