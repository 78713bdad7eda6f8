import { getJwt } from "@shopify/shopify-api/test-helpers";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "./constants";

/**
 * A session token as Shopify issues one to a customer account extension: HS256 with the app
 * secret, `aud` the app's client id, `dest` the bare shop domain, `sub` the customer's GID.
 * Overrides forge whatever a test needs (another secret, another app, no customer…).
 */
export async function customerToken(input: {
  shop: string;
  customerId: string | null;
  secret?: string;
  claims?: Record<string, unknown>;
}): Promise<string> {
  const { token } = await getJwt(
    input.shop.replace(".myshopify.com", ""),
    TEST_API_KEY,
    input.secret ?? TEST_API_SECRET,
    {
      iss: undefined,
      dest: input.shop,
      sub: input.customerId === null ? undefined : `gid://shopify/Customer/${input.customerId}`,
      sid: undefined,
      exp: Math.floor(Date.now() / 1000) + 300,
      nbf: Math.floor(Date.now() / 1000) - 5,
      iat: Math.floor(Date.now() / 1000) - 5,
      ...input.claims,
    },
  );
  return token;
}

/** A fetch from the extension's sandbox: a null origin, the token as a bearer header. */
export function extensionRequest(
  path: string,
  token: string | null,
  init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
): Request {
  const headers = new Headers({ Origin: "null", ...init.headers });
  if (token) headers.set("Authorization", `Bearer ${token}`);
  if (init.json !== undefined) headers.set("Content-Type", "application/json");
  return new Request(`${TEST_APP_URL}${path}`, {
    method: init.method ?? (init.json !== undefined ? "POST" : "GET"),
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
  });
}
