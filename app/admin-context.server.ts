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
