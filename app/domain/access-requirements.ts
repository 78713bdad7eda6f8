/**
 * What the app needs from Shopify on a store, beyond being installed: access scopes the store
 * owner grants, and protected customer data that Shopify itself must approve for the app. For
 * each, which of the app's capabilities depend on it, what a merchant loses without it, and how
 * it gets fixed; and, given what a store granted, what is missing.
 *
 * Sources: access scopes and "write implies read" — shopify.dev/docs/api/usage/access-scopes and
 * @shopify/shopify-api's AuthScopes (a `write_x` scope implies `read_x`); the 60-day order window —
 * the `Order` description in the 2026-07 schema (vendor/shopify); protected customer data levels —
 * shopify.dev/docs/apps/launch/protected-customer-data.
 */

/** Level 2 protected customer data: the fields Shopify approves one by one. */
export const PROTECTED_FIELDS = ["name", "email", "phone", "address"] as const;
export type ProtectedField = (typeof PROTECTED_FIELDS)[number];

export type Capability =
  | "review"
  | "access_export"
  | "complete_order_history"
  | "rectification"
  | "erasure"
  | "sale_opt_out"
  | "storefront_requests";

export const CAPABILITY_LABEL: Record<Capability, string> = {
  review: "Reviewing a request against the customer's Shopify record",
  access_export: "Access and portability exports",
  complete_order_history: "Orders older than 60 days in exports",
  rectification: "Corrections (rectification) in Shopify",
  erasure: "Erasure through Shopify",
  sale_opt_out: "CCPA “do not sell or share” opt-outs",
  storefront_requests: "Requests from the storefront page (/apps/privacy)",
};

/** Orders Shopify shows an app without `read_all_orders` (2026-07 schema, `Order`). */
export const ORDER_HISTORY_DAYS = 60;

const APPROVE_UPDATED_ACCESS =
  "The store owner grants it by approving Privacy Desk's updated access: open Privacy Desk from Settings → Apps and sales channels and accept the request Shopify shows.";

export interface ScopeRequirement {
  scope: string;
  capabilities: readonly Capability[];
  breaks: string;
  fix: string;
}

/** Every scope the app requests, and why. A test keeps this, ACCESS_SCOPES and shopify.app.toml in step. */
export const SCOPE_REQUIREMENTS: readonly ScopeRequirement[] = [
  {
    scope: "read_customers",
    capabilities: ["review", "access_export", "rectification", "erasure"],
    breaks:
      "Privacy Desk cannot read customers in Shopify: requests cannot be reviewed, and exports, corrections and erasures fail.",
    fix: APPROVE_UPDATED_ACCESS,
  },
  {
    scope: "write_customers",
    capabilities: ["rectification"],
    breaks: "Corrections cannot be made in Shopify: every approved rectification fails.",
    fix: APPROVE_UPDATED_ACCESS,
  },
  {
    scope: "read_orders",
    capabilities: ["access_export"],
    breaks: "Exports cannot include the customer's orders: every approved access request fails.",
    fix: APPROVE_UPDATED_ACCESS,
  },
  {
    scope: "read_all_orders",
    capabilities: ["complete_order_history"],
    breaks: `Exports include only orders from the last ${ORDER_HISTORY_DAYS} days: older orders are left out of what the customer receives.`,
    fix: `${APPROVE_UPDATED_ACCESS} Shopify offers it only to apps it has approved for access to all orders; if the request does not include it, contact Privacy Desk support.`,
  },
  {
    scope: "write_customer_data_erasure",
    capabilities: ["erasure"],
    breaks: "Erasures cannot be started in Shopify: every approved erasure fails.",
    fix: APPROVE_UPDATED_ACCESS,
  },
  {
    scope: "write_privacy_settings",
    capabilities: ["sale_opt_out"],
    breaks: "Shopify refuses “do not sell or share” opt-outs: every approved CCPA opt-out fails.",
    fix: APPROVE_UPDATED_ACCESS,
  },
  {
    scope: "write_app_proxy",
    capabilities: ["storefront_requests"],
    breaks:
      "Shopify does not forward /apps/privacy to Privacy Desk: shoppers cannot make requests on the storefront, and the theme block and privacy-signal embed cannot reach the app.",
    fix: APPROVE_UPDATED_ACCESS,
  },
];

const PROTECTED_DATA_FIX =
  "Shopify approves this for the app itself, not per store: contact Privacy Desk support. (For the app's developer: Partner Dashboard → the app → API access requests → Protected customer data access; README, “Access scopes and protected customer data”.)";

const FIELD_LABEL: Record<ProtectedField, string> = {
  name: "names",
  email: "email addresses",
  phone: "phone numbers",
  address: "addresses",
};

/** What Shopify answered when the app read a customer's protected fields. */
export type ProtectedDataStatus =
  | { state: "approved" }
  | { state: "denied"; customerObject: boolean; fields: readonly ProtectedField[] }
  /** Not checked: no customer to read, no read_customers scope, or Shopify did not answer. */
  | { state: "unverified"; reason: "no_customers" | "no_read_customers" | "unavailable" };

export interface GrantedAccess {
  scopes: readonly string[];
  protectedCustomerData: ProtectedDataStatus;
}

export interface MissingAccess {
  /** Stable key: the scope, or `protected_customer_data`. */
  key: string;
  kind: "scope" | "protected_customer_data";
  title: string;
  breaks: string;
  fix: string;
  capabilities: readonly Capability[];
}

/** A scope list as Shopify writes it ("a,b" or "a, b"), without blanks or repeats. */
export function parseScopes(scopes: string | null | undefined): string[] {
  return [
    ...new Set(
      (scopes ?? "")
        .split(",")
        .map((scope) => scope.trim())
        .filter(Boolean),
    ),
  ];
}

/** The scopes granted, with the read scope each write scope implies (as Shopify and AuthScopes do). */
export function expandScopes(scopes: Iterable<string>): Set<string> {
  const expanded = new Set<string>();
  for (const scope of scopes) {
    expanded.add(scope);
    const write = /^(unauthenticated_)?write_(.+)$/.exec(scope);
    if (write) expanded.add(`${write[1] ?? ""}read_${write[2]}`);
  }
  return expanded;
}

/** The requested scopes the store has not granted, in the order SCOPE_REQUIREMENTS lists them. */
export function missingScopes(granted: Iterable<string>): ScopeRequirement[] {
  const have = expandScopes(granted);
  return SCOPE_REQUIREMENTS.filter((requirement) => !have.has(requirement.scope));
}

/** "a", "a and b", "a, b and c". */
const listed = (items: readonly string[]) =>
  items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

function protectedDataProblem(status: ProtectedDataStatus): MissingAccess | null {
  if (status.state !== "denied") return null;
  const what =
    status.customerObject || status.fields.length === 0
      ? "customer records"
      : listed(status.fields.map((field) => FIELD_LABEL[field]));
  return {
    key: "protected_customer_data",
    kind: "protected_customer_data",
    title:
      status.customerObject || status.fields.length === 0
        ? "Shopify has not approved Privacy Desk to read customer data"
        : `Shopify has not approved Privacy Desk to read customers' ${what}`,
    breaks: `Shopify withholds ${what} from the app: requests cannot be reviewed against the customer's record, and exports, corrections and erasures fail.`,
    fix: PROTECTED_DATA_FIX,
    capabilities: ["review", "access_export", "rectification", "erasure"],
  };
}

/** Everything missing on a store, most damaging first (protected data, then scopes as listed). */
export function missingAccess(granted: GrantedAccess): MissingAccess[] {
  const problems: MissingAccess[] = [];
  const protectedData = protectedDataProblem(granted.protectedCustomerData);
  if (protectedData) problems.push(protectedData);
  for (const requirement of missingScopes(granted.scopes)) {
    problems.push({
      key: requirement.scope,
      kind: "scope",
      title: `Missing permission: ${requirement.scope}`,
      breaks: requirement.breaks,
      fix: requirement.fix,
      capabilities: requirement.capabilities,
    });
  }
  return problems;
}

/** What stands between the app and one capability on this store (empty: nothing). */
export function blockersFor(capability: Capability, granted: GrantedAccess): MissingAccess[] {
  return missingAccess(granted).filter((problem) => problem.capabilities.includes(capability));
}

export type OrderHistoryCoverage = { complete: true } | { complete: false; since: Date; reason: string };

/**
 * Whether an export can hold the customer's whole order history. Without `read_all_orders`
 * Shopify shows only orders created in the last 60 days, silently: lists simply leave older
 * orders out, and asking for an older order by id finds nothing.
 */
export function orderHistoryCoverage(grantedScopes: Iterable<string>, now: Date): OrderHistoryCoverage {
  if (expandScopes(grantedScopes).has("read_all_orders")) return { complete: true };
  return {
    complete: false,
    since: new Date(now.getTime() - ORDER_HISTORY_DAYS * 86_400_000),
    reason: `Shopify shows Privacy Desk only orders from the last ${ORDER_HISTORY_DAYS} days on this store (the read_all_orders permission is missing); older orders are not in this export.`,
  };
}

/**
 * A sentence for the merchant when Shopify refused a call for want of a scope: which permission,
 * what it breaks, how to fix it. `requiredScopes` are the scopes Shopify named (any one suffices).
 */
export function describeMissingScope(requiredScopes: readonly string[]): string {
  const known = SCOPE_REQUIREMENTS.find((requirement) => requiredScopes.includes(requirement.scope));
  const named = requiredScopes.length ? requiredScopes.join(" or ") : "a permission it did not name";
  if (!known) return `Shopify refused the call: Privacy Desk lacks ${named} on this store.`;
  return `Shopify refused the call: Privacy Desk lacks the ${known.scope} permission on this store. ${known.breaks} ${known.fix}`;
}

/** The same for a protected-customer-data refusal. */
export function describeProtectedDataRefusal(
  customerObject: boolean,
  fields: readonly ProtectedField[],
): string {
  return `${protectedDataProblem({ state: "denied", customerObject, fields })!.breaks} ${PROTECTED_DATA_FIX}`;
}
