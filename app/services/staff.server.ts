import type { Session } from "@shopify/shopify-api";
import type { Db } from "../db-types";
import {
  can,
  effectiveRole,
  ERASE_CUSTOMER_DATA_SCOPE,
  ForbiddenActionError,
  parseScopes,
  type Role,
  type StaffAction,
} from "../domain/roles";
import { displayValue } from "../domain/display-text";
import { staffDisplayName, type StaffNames } from "../domain/staff-names";
import type { Actor } from "./audit-log.server";

export interface StaffMember {
  userId: string;
  shopId: string;
  shopDomain: string;
  role: Role;
  isOwner: boolean;
  name: string | null;
  /** What Shopify lets this staff member do (the online token's associated_user_scope); null if unknown. */
  userScopes: string[] | null;
  actor: Actor;
}

/**
 * Who is acting, from the online session: its associated user is the staff member (the session
 * token's `sub`) and says whether they own the store. Owners are admins; others have the role
 * an admin assigned them, or viewer.
 */
export async function staffMemberFor(db: Db, session: Session, tokenSubject?: string): Promise<StaffMember> {
  const user = session.onlineAccessInfo?.associated_user;
  const userId = String(user?.id ?? tokenSubject ?? "");
  if (!userId) throw new Error("The session names no staff member (the app needs online access tokens)");
  // Read first: this runs on every admin request, and the shop row almost always exists (afterAuth).
  const shop =
    (await db.shop.findUnique({ where: { domain: session.shop }, select: { id: true } })) ??
    (await db.shop.upsert({
      where: { domain: session.shop },
      create: { domain: session.shop },
      update: {},
      select: { id: true },
    }));
  const assigned = await db.staffRole.findUnique({
    where: { shopId_userId: { shopId: shop.id, userId } },
    select: { role: true },
  });
  const isOwner = user?.account_owner === true;
  const name = user
    ? staffDisplayName({
        userId,
        firstName: user.first_name ?? null,
        lastName: user.last_name ?? null,
        email: user.email ?? null,
      })
    : null;
  return {
    userId,
    shopId: shop.id,
    shopDomain: session.shop,
    role: effectiveRole({ accountOwner: isOwner, assigned: assigned?.role ?? null }),
    isOwner,
    name,
    userScopes: parseScopes(session.onlineAccessInfo?.associated_user_scope),
    actor: `staff:${userId}`,
  };
}

export function assertAllowed(staff: StaffMember, action: StaffAction): void {
  if (!can(staff.role, action)) throw new ForbiddenActionError(staff.role, action);
}

export interface StaffDirectoryEntry {
  userId: string;
  name: string;
  email: string | null;
  isOwner: boolean;
  /** Whether Shopify lets them erase customer data (their associated_user_scope); null if Shopify did not say. */
  mayEraseCustomerData: boolean | null;
}

/**
 * The staff of one shop who have opened Privacy Desk, named as Shopify named them in their online
 * session (first name, last name, email), owners first, then by name. Only that shop's sessions
 * are read: a person known in another shop is a stranger here.
 */
export async function staffDirectory(db: Db, shopDomain: string): Promise<StaffDirectoryEntry[]> {
  const sessions = await db.session.findMany({
    where: { shop: shopDomain, isOnline: true, userId: { not: null } },
    select: {
      userId: true,
      firstName: true,
      lastName: true,
      email: true,
      accountOwner: true,
      associatedUserScope: true,
    },
    orderBy: [{ expires: "desc" }, { id: "asc" }],
  });
  const byUser = new Map<string, StaffDirectoryEntry>();
  for (const session of sessions) {
    const userId = String(session.userId);
    if (byUser.has(userId)) continue;
    byUser.set(userId, {
      userId,
      name: staffDisplayName({
        userId,
        firstName: session.firstName,
        lastName: session.lastName,
        email: session.email,
      }),
      email: session.email ? displayValue(session.email) : null,
      isOwner: session.accountOwner,
      mayEraseCustomerData:
        parseScopes(session.associatedUserScope)?.includes(ERASE_CUSTOMER_DATA_SCOPE) ?? null,
    });
  }
  return [...byUser.values()].sort(
    (a, b) => Number(b.isOwner) - Number(a.isOwner) || a.name.localeCompare(b.name, "en"),
  );
}

/** Display names by user id, for actorName and the timeline. */
export function staffNames(directory: StaffDirectoryEntry[]): StaffNames {
  return new Map(directory.map((entry) => [entry.userId, entry.name]));
}
