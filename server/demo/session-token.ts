import { createHmac, randomUUID } from "node:crypto";

/**
 * A session token exactly as Shopify's admin issues one to an embedded app: an HS256 JWT signed
 * with the app's secret, naming the shop (dest) and the staff member (sub), valid for a minute.
 * The demo's stand-in admin frame uses it so the real authenticate.admin path runs unchanged.
 */
export function sessionToken(input: {
  shop: string;
  apiKey: string;
  apiSecret: string;
  userId: string;
  now?: number;
}): string {
  const now = Math.floor((input.now ?? Date.now()) / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const header = encode({ alg: "HS256", typ: "JWT" });
  const payload = encode({
    iss: `https://${input.shop}/admin`,
    dest: `https://${input.shop}`,
    aud: input.apiKey,
    sub: input.userId,
    exp: now + 60,
    nbf: now - 5,
    iat: now,
    jti: randomUUID(),
    sid: randomUUID(),
  });
  const signature = createHmac("sha256", input.apiSecret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/**
 * A session token as Shopify gives one to a customer account UI extension
 * (shopify.sessionToken.get()): HS256 with the app's secret, `aud` the app's client id, `dest`
 * the shop's domain, `sub` the signed-in customer's GID, valid for five minutes.
 */
export function customerAccountSessionToken(input: {
  shop: string;
  apiKey: string;
  apiSecret: string;
  customerId: string;
  now?: number;
}): string {
  const now = Math.floor((input.now ?? Date.now()) / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const header = encode({ alg: "HS256", typ: "JWT" });
  const payload = encode({
    dest: input.shop,
    aud: input.apiKey,
    sub: `gid://shopify/Customer/${input.customerId}`,
    exp: now + 300,
    nbf: now - 5,
    iat: now,
    jti: randomUUID(),
  });
  const signature = createHmac("sha256", input.apiSecret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}
