import { json } from "@remix-run/node";
import { getDb } from "./db.server";
import { customerIdFromSub, shopFromDest } from "./domain/shopper-requests";
import { getEnv } from "./env.server";
import { getKeyring } from "./keys.server";
import { installedShop, type AccountCaller } from "./services/customer-account.server";
import { authenticate } from "./shopify.server";
import { BodyTooLargeError, fromFetchRequest } from "./webhooks/inbound.server";

/**
 * Customer account extensions run in a sandbox with a null origin: every answer, errors
 * included, must allow any origin, or the page cannot even read why it was refused. The session
 * token travels in the Authorization header, never in a cookie, so `*` exposes nothing.
 */
export function withCors(response: Response): Response {
  response.headers.set("Access-Control-Allow-Origin", "*");
  response.headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
  response.headers.set("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  response.headers.set("Cache-Control", "no-store");
  return response;
}

/** Every refusal: a status, a stable code the page translates, and a sentence for everyone else. */
export function refusal(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  return withCors(json({ error: code, message, ...extra }, { status }));
}

/**
 * Every customer account route starts here. Shopify's library verifies the session token (HS256
 * with the app secret, not expired); this adds what it leaves out for extensions: the token is
 * for this app (`aud`), names a customer (`sub`, a Customer GID) and a shop (`dest`) where the
 * app is installed. The customer and the shop come from the token only, never from the request.
 */
export async function customerAccountContext(request: Request) {
  let token: Awaited<ReturnType<typeof authenticate.public.customerAccount>>["sessionToken"];
  try {
    ({ sessionToken: token } = await authenticate.public.customerAccount(request));
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    if (thrown.status === 204) throw withCors(thrown); // the preflight
    if (thrown.status === 401)
      throw refusal(401, "session", "The session token is missing, invalid or expired");
    throw withCors(thrown);
  }
  if (token.aud !== getEnv().SHOPIFY_API_KEY)
    throw refusal(401, "session", "The session token was issued to another app");
  const customerId = customerIdFromSub(token.sub);
  if (!customerId) throw refusal(401, "signed_out", "Sign in to your account to see your privacy requests");
  const shopDomain = shopFromDest(token.dest);
  const shop = shopDomain ? await installedShop(getDb(), shopDomain) : null;
  if (!shop) throw refusal(404, "not_installed", "Privacy Desk is not installed in this shop");
  const caller: AccountCaller = { shopId: shop.id, shopDomain: shop.domain, customerId };
  return { db: getDb(), keyring: getKeyring(), caller };
}

const MAX_BODY_BYTES = 16 * 1024;

/** The JSON body of a page's POST, refused when it is not JSON or larger than any real one. */
export async function readJsonBody(request: Request): Promise<unknown> {
  if (!(request.headers.get("Content-Type") ?? "").startsWith("application/json"))
    throw refusal(415, "invalid", "Send the request as application/json");
  // The webhooks' bounded reader: a chunked body is cut off at the limit, not buffered whole first.
  let body: Buffer;
  try {
    body = await fromFetchRequest(request).readBody(MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw refusal(413, "invalid", "The request is too large");
    throw error;
  }
  try {
    return JSON.parse(body.toString("utf8")) as unknown;
  } catch {
    throw refusal(400, "invalid", "The request is not valid JSON");
  }
}
