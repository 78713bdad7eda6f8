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
