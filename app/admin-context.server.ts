import { json } from "@remix-run/node";
import { getDb } from "./db.server";
import { ForbiddenActionError, type StaffAction } from "./domain/roles";
import { getKeyring } from "./keys.server";
import { assertAllowed, staffMemberFor } from "./services/staff.server";
import { authenticate } from "./shopify.server";

/**
 * Every admin loader and action starts here: Shopify authenticates the request (session token),
 * then the staff member's role must allow `action`, or the answer is 403 and nothing happens.
 */
export async function adminContext(request: Request, action: StaffAction) {
  rejectMalformedHost(request);
  const { session, sessionToken } = await authenticate.admin(request);
  const db = getDb();
  const staff = await staffMemberFor(db, session, sessionToken?.sub);
  try {
    assertAllowed(staff, action);
  } catch (error) {
    if (error instanceof ForbiddenActionError) throw forbidden(error);
    throw error;
  }
  return { db, keyring: getKeyring(), staff, session };
}

export function forbidden(error: ForbiddenActionError) {
  return json({ error: error.message, role: error.role }, { status: 403 });
}

/** A bad form or query: 400 with what is wrong, field by field. */
export function badRequest(message: string, fieldErrors: Record<string, string> = {}) {
  return json({ error: message, fieldErrors }, { status: 400 });
}

/**
 * Shopify opens the app with `host`, the base64 of the admin's address. The library decodes it on
 * a page load (a request without a session token) and fails with a 500 when it is not base64 or
 * not an address (`?host=x`): that is someone's hand-made link, answered 400 with what is wrong.
 */
export function rejectMalformedHost(request: Request): void {
  if (request.headers.get("Authorization")?.startsWith("Bearer ")) return;
  const host = new URL(request.url).searchParams.get("host");
  if (host === null || isAdminHost(host)) return;
  throw badRequest(
    "This link to Privacy Desk is damaged: its host parameter is not one Shopify gives. Open Privacy Desk from your Shopify admin.",
  );
}

function isAdminHost(host: string): boolean {
  try {
    return URL.canParse(`https://${atob(host)}`);
  } catch {
    return false;
  }
}
