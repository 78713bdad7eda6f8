/**
 * Who may do what in Privacy Desk. Roles are ordered: each one may do everything the one before
 * it may. The store owner is always admin; a staff member without an assigned role is a viewer.
 */
export const ROLES = ["viewer", "approver", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ACTIONS = [
  "request.view",
  "request.create",
  "request.verify",
  "request.approve",
  "request.deny",
  "request.extend",
  "request.cancel",
  "request.retry",
  "export.download",
  "audit.view",
  "audit.verify",
  "audit.export",
  "settings.view",
  "settings.update",
] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];

const MINIMUM_ROLE: Record<StaffAction, Role> = {
  "request.view": "viewer",
  "request.create": "approver",
  "request.verify": "approver",
  "request.approve": "approver",
  "request.deny": "approver",
  "request.extend": "approver",
  "request.cancel": "approver",
  "request.retry": "approver",
  // The package is the shopper's personal data; looking at the list is not the same as taking it.
  "export.download": "approver",
  "audit.view": "viewer",
  "audit.verify": "viewer",
  "audit.export": "approver",
  "settings.view": "viewer",
  "settings.update": "admin",
};

const rank = (role: Role) => ROLES.indexOf(role);

export function minimumRole(action: StaffAction): Role {
  return MINIMUM_ROLE[action];
}

export function can(role: Role, action: StaffAction): boolean {
  return rank(role) >= rank(MINIMUM_ROLE[action]);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** The owner is admin whatever a row says; others have their assigned role, or viewer. */
export function effectiveRole(input: { accountOwner: boolean; assigned: string | null }): Role {
  if (input.accountOwner) return "admin";
  return isRole(input.assigned) ? input.assigned : "viewer";
}

export class ForbiddenActionError extends Error {
  constructor(
    readonly role: Role,
    readonly action: StaffAction,
  ) {
    super(
      `Your role (${role}) does not allow ${action.replace(".", ": ")}; it needs ${MINIMUM_ROLE[action]} or above`,
    );
    this.name = "ForbiddenActionError";
  }
}

/**
 * Shopify's customerRequestDataErasure needs the app's `write_customer_data_erasure` scope and
 * also that the staff member asking may erase customer data. Privacy Desk calls it later, with
 * the shop's offline token, so it checks the second half itself: the staff member's online token
 * lists what they hold in `associated_user_scope`.
 */
export const ERASE_CUSTOMER_DATA_SCOPE = "write_customer_data_erasure";

/** A comma-separated scope list as Shopify sends it; null when Shopify did not say (unknown). */
export function parseScopes(scope: string | null | undefined): string[] | null {
  if (scope === null || scope === undefined) return null;
  return scope
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * Why this staff member may not set off an erasure in Shopify, or null when they may. Approving
 * an erasure that Privacy Desk asks Shopify to carry out, or retrying one that failed, sets it
 * off; Shopify's own customers/redact erasures never reach Shopify's erasure API from here.
 */
export function erasurePermissionProblem(input: {
  action: StaffAction;
  request: { type: string; source: string };
  userScopes: readonly string[] | null;
}): string | null {
  const setsOffShopifyErasure =
    (input.action === "request.approve" || input.action === "request.retry") &&
    input.request.type === "erasure" &&
    input.request.source !== "shopify_webhook";
  if (!setsOffShopifyErasure || input.userScopes?.includes(ERASE_CUSTOMER_DATA_SCOPE)) return null;
  const what = input.action === "request.retry" ? "retry this erasure" : "approve this erasure";
  if (input.userScopes === null)
    return `Shopify has not said whether your staff account may erase customer data, so you cannot ${what}. Close Privacy Desk and open it again from your Shopify admin; if this stays, ask the store owner.`;
  return `Shopify does not let your staff account erase customer data, so you cannot ${what}. The store owner can give you that permission in Shopify (Settings › Users), or a colleague who has it can ${what}.`;
}

/** A staff member without Shopify's permission to erase customer data tried to set an erasure off. */
export class ErasureNotPermittedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ErasureNotPermittedError";
  }
}
