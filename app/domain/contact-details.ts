/**
 * What a shopper's email address or phone number may look like when it enters the app. These
 * values end up in the merchant's index, exports and audit trail, so anything that could
 * disguise one address as another (bidirectional overrides, zero-width characters, controls) or
 * carry markup is refused rather than cleaned up: a changed address is a different person.
 */

/** RFC 5321: a forward path is at most 256 octets including the angle brackets. */
export const MAX_EMAIL_LENGTH = 254;
/** RFC 5321 §4.5.3.1.1. */
const MAX_LOCAL_PART_LENGTH = 64;
/** E.164 allows 15 digits; this leaves room for a country prefix, spaces and brackets. */
export const MAX_PHONE_LENGTH = 32;

/**
 * Controls (Cc), format characters (Cf: the bidi embeddings and overrides U+202A–U+202E, the
 * isolates U+2066–U+2069, the marks U+200E/U+200F, zero-width joiners, the BOM), line and
 * paragraph separators.
 */
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/**
 * dot-atom text (RFC 5322 §3.2.3), widened to non-ASCII letters, marks and digits as RFC 6531
 * allows. Quoted local parts and address literals are not accepted: Shopify does not store them.
 */
const LOCAL_ATOM = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+$/u;
/** A DNS label, ASCII or an IDN U-label. */
const DOMAIN_LABEL = /^[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]{0,61}[\p{L}\p{M}\p{N}])?$/u;

/** Why `email` cannot be a shopper's address, or null when it can. */
export function emailProblem(email: string): string | null {
  if (email.length > MAX_EMAIL_LENGTH) return `is longer than ${MAX_EMAIL_LENGTH} characters`;
  if (INVISIBLE_OR_CONTROL.test(email))
    return "contains control or invisible formatting characters (such as bidirectional overrides)";
  const at = email.lastIndexOf("@");
  if (at < 0) return "is not an email address (no @)";
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length === 0 || local.length > MAX_LOCAL_PART_LENGTH)
    return `needs a part before the @ of 1 to ${MAX_LOCAL_PART_LENGTH} characters`;
  if (!local.split(".").every((atom) => LOCAL_ATOM.test(atom)))
    return "has characters or dots that an email address cannot have before the @";
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label)))
    return "has no valid domain after the @";
  if (/^\d+$/.test(labels.at(-1)!)) return "has no valid domain after the @";
  return null;
}

/** Why `phone` cannot be a phone number as Shopify stores one, or null when it can. */
export function phoneProblem(phone: string): string | null {
  if (phone.length > MAX_PHONE_LENGTH) return `is longer than ${MAX_PHONE_LENGTH} characters`;
  if (!/^[0-9+().\- ]+$/.test(phone)) return "may hold only digits, spaces and + ( ) - .";
  if (!/[0-9]/.test(phone)) return "has no digits";
  return null;
}
