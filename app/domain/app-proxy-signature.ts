import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Shopify's app proxy signature (shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies):
 * Shopify appends `shop`, `logged_in_customer_id`, `path_prefix`, `timestamp` and `signature` to
 * the query of every request it forwards. `signature` is the hex HMAC-SHA256, keyed with the app
 * secret, of every other query parameter: decoded, a repeated key's values joined with ",", each
 * written `key=value`, the pairs sorted, concatenated without separators. Only the query is
 * signed: a POST body is not, and nothing in it may be trusted like the query.
 *
 * Written here rather than taken from `authenticate.public.appProxy`, which keeps only the last
 * value of a repeated key (so Shopify's own documented example fails it) and loads, and may
 * refresh, the shop's offline session on every storefront request (ADR 010).
 */

/** Shopify's library allows this much clock difference either way; a signed URL is good for no longer. */
export const APP_PROXY_TIMESTAMP_TOLERANCE_SECONDS = 90;

/** What a valid signature vouches for. */
export interface SignedProxyQuery {
  shop: string;
  /** Shopify's numeric customer id when a customer is logged in to the storefront, else null. */
  loggedInCustomerId: string | null;
  /** Where the merchant mounted the proxy, e.g. `/apps/privacy`. */
  pathPrefix: string;
  timestamp: number;
  /** Every signed parameter (repeated keys joined with ","), the signature excluded. */
  params: ReadonlyMap<string, string>;
}

export type ProxyVerification =
  { ok: true; query: SignedProxyQuery } | { ok: false; reason: ProxyRefusal; message: string };

export type ProxyRefusal = "missing_signature" | "bad_signature" | "stale" | "malformed";

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/;
const CUSTOMER_ID = /^[1-9]\d{0,19}$/;
/** The prefixes Shopify lets a merchant choose, then the subpath (letters, digits, - and _). */
const PATH_PREFIX = /^\/(?:apps|a|community|tools)\/[A-Za-z0-9_-]{1,64}$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

/** The decoded query as Shopify reads it: each key with all its values, in order of appearance. */
export function groupQuery(search: string): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(search)) {
    const values = grouped.get(key);
    if (values) values.push(value);
    else grouped.set(key, [value]);
  }
  return grouped;
}

/** The signed message: `key=v1,v2` for every key but `signature`, sorted, concatenated. */
export function appProxyMessage(grouped: ReadonlyMap<string, readonly string[]>): string {
  const pairs = [...grouped]
    .filter(([key]) => key !== "signature")
    .map(([key, values]) => `${key}=${values.join(",")}`);
  // Byte order of the UTF-8 pairs, as Ruby's String#sort in Shopify's reference implementation.
  pairs.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return pairs.join("");
}

export function appProxySignature(grouped: ReadonlyMap<string, readonly string[]>, secret: string): string {
  return createHmac("sha256", secret).update(appProxyMessage(grouped)).digest("hex");
}

/**
 * Verifies a forwarded request's query (`?…`, or without the `?`) against the app secret at
 * `nowSeconds`. Nothing in the query is believed until the signature matches; then the
 * parameters Shopify adds must be well formed and appear once each.
 */
export function verifyAppProxyQuery(search: string, secret: string, nowSeconds: number): ProxyVerification {
  const grouped = groupQuery(search);
  const signatures = grouped.get("signature") ?? [];
  if (signatures.length === 0 || !signatures[0])
    return { ok: false, reason: "missing_signature", message: "The request carries no app proxy signature" };
  if (signatures.length > 1 || !SIGNATURE.test(signatures[0]))
    return { ok: false, reason: "bad_signature", message: "The app proxy signature is malformed" };
  const expected = Buffer.from(appProxySignature(grouped, secret), "hex");
  const presented = Buffer.from(signatures[0], "hex");
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected))
    return {
      ok: false,
      reason: "bad_signature",
      message: "The app proxy signature does not match the query",
    };

  // Signed, so Shopify sent these values; each must still be exactly what Shopify sends.
  const single = (key: string): string | null => {
    const values = grouped.get(key);
    return values && values.length === 1 ? values[0]! : null;
  };
  const timestampText = single("timestamp");
  const timestamp = timestampText && /^\d{1,12}$/.test(timestampText) ? Number(timestampText) : NaN;
  if (!Number.isFinite(timestamp))
    return { ok: false, reason: "malformed", message: "The signed timestamp is missing or repeated" };
  if (Math.abs(nowSeconds - timestamp) > APP_PROXY_TIMESTAMP_TOLERANCE_SECONDS)
    return {
      ok: false,
      reason: "stale",
      message: `The signed timestamp is more than ${APP_PROXY_TIMESTAMP_TOLERANCE_SECONDS} seconds from now`,
    };
  const shop = single("shop");
  if (!shop || !SHOP_DOMAIN.test(shop))
    return {
      ok: false,
      reason: "malformed",
      message: "The signed shop is missing, repeated or not a myshopify.com domain",
    };
  const customer = single("logged_in_customer_id");
  if (grouped.has("logged_in_customer_id") && customer === null)
    return { ok: false, reason: "malformed", message: "logged_in_customer_id appears more than once" };
  if (customer && !CUSTOMER_ID.test(customer))
    return { ok: false, reason: "malformed", message: "logged_in_customer_id is not a customer id" };
  const pathPrefix = single("path_prefix");
  if (!pathPrefix || !PATH_PREFIX.test(pathPrefix))
    return {
      ok: false,
      reason: "malformed",
      message: "The signed path_prefix is missing, repeated or not an app proxy path",
    };

  const params = new Map(
    [...grouped].filter(([key]) => key !== "signature").map(([key, v]) => [key, v.join(",")]),
  );
  return {
    ok: true,
    query: { shop, loggedInCustomerId: customer || null, pathPrefix, timestamp, params },
  };
}

/** Signs a query the way Shopify does: for the demo's stand-in storefront, tests and benchmarks. */
export function signAppProxyQuery(params: URLSearchParams, secret: string): URLSearchParams {
  const signed = new URLSearchParams(params);
  signed.delete("signature");
  signed.append("signature", appProxySignature(groupQuery(signed.toString()), secret));
  return signed;
}
